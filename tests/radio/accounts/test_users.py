"""Accounts in the library: roles checked, audit rows written, password policy, the viewer role."""

import pytest
from sqlite_utils import Database

from radio.accounts import audit, users
from radio.accounts.roles import Actor, PermissionDeniedError
from radio.errors import NotFoundError, StateError, ValidationError
from radio.store.migrations import migrations
from radio.accounts.passwords import MIN_LENGTH, check_password, common_passwords
from radio.store.connection import connect
from radio.accounts.users import OPERATOR

GOOD = "loa-thon-ba-2026"
ADMIN = Actor("quantri", "admin")
OFFICER = Actor("canbo", "officer")


@pytest.fixture
def station(fresh_db, clock):
    users.add_user(fresh_db, username="quantri", password=GOOD, role="admin", now=clock.now())
    users.add_user(fresh_db, username="canbo", password=GOOD, role="officer", now=clock.now())
    return fresh_db


@pytest.mark.parametrize("password, message", [
    ("12345678", "at least 10 characters"),
    ("x" * 201, "at most 200 characters"),
    ("1234567890", "most common"),
    ("qwertyuiop", "most common"),
    ("PASSWORD123", "most common"),
    ("matkhau123", "most common"),
    ("canbo-2026-xyz", "username"),
    ("CanBo2026!!", "username"),
    ("xa-minh-duc-1", "station name"),
    ("Xã Minh Đức 99", "station name"),
])
def test_weak_passwords_are_refused(password, message):
    with pytest.raises(ValidationError, match=message):
        check_password(password, username="canbo", station_name="Minh Đức")


@pytest.mark.parametrize("password, message", [
    # each was accepted once
    ("1111111111", "too easy to guess"),
    ("abcdefghij", "too easy to guess"),
    ("12345678901", "too easy to guess"),
    ("Aa1234567890", "too easy to guess"),
    ("9876543210a", "too easy to guess"),
    ("abcabcabcabc", "too easy to guess"),
    ("MinhDuc2026", "station name"),
    ("Minh Đức 2026", "station name"),
    ("minh-duc-2026", "station name"),
    ("Đức-Minh-2026", "too easy to guess"),
    ("Thanh-Đức-2026!", "too easy to guess"),
    ("LanhDao2026!", "username"),
    ("lanh-dao-1999", "username"),
    ("password2026", "too easy to guess"),
])
def test_guessable_passwords_are_refused(password, message):
    with pytest.raises(ValidationError, match=message):
        check_password(password, username="lanh-dao", station_name="Đài truyền thanh xã Minh Đức")


@pytest.mark.parametrize("password", ["loa-thon-ba-2026", "Thôn Đông có loa mới", "ghi-am-ban-tin",
                                      "chu-tich-moi-2027", "Demo-UBND-2026", "mat-khau-rieng-1"])
def test_passwords_of_ones_own_words_pass(password):
    check_password(password, username="lanhdao", station_name="Đài truyền thanh xã Minh Đức")


def test_common_password_list_is_shipped_and_sizable():
    common = common_passwords()
    assert len(common) > 5000 and "password123" in common and "qwertyuiop" in common
    check_password("loa-phuong-moi", username="canbo", station_name="Minh Đức")  # no error
    assert MIN_LENGTH == 10


def test_add_user_checks_policy_and_writes_nothing_on_error(fresh_db, clock):
    with pytest.raises(ValidationError, match="most common"):
        users.add_user(fresh_db, username="a1", password="1234567890", role="officer", now=clock.now())
    assert users.list_users(fresh_db) == [] and audit.entries(fresh_db) == []


def test_add_user_needs_an_admin_and_is_audited(station, clock):
    with pytest.raises(PermissionDeniedError):
        users.add_user(station, username="x1", password=GOOD, role="admin", now=clock.now(), actor=OFFICER)
    assert users.find_user(station, "x1") is None
    users.add_user(station, username="xem", password=GOOD, role="viewer", now=clock.now(), actor=ADMIN)
    assert users.get_user(station, "xem")["role"] == "viewer"
    row = audit.entries(station, limit=1)[0]
    assert (row["username"], row["action"], row["target"], row["detail"]) == (
        "quantri", "user.add", "user:xem", {"role": "viewer"})


def test_password_change_rules(station, clock):
    users.set_password(station, OFFICER, "canbo", "mat-khau-rieng-1", now=clock.now())  # own: allowed
    with pytest.raises(PermissionDeniedError):
        users.set_password(station, OFFICER, "quantri", "mat-khau-rieng-1", now=clock.now())
    users.set_password(station, ADMIN, "canbo", "mat-khau-rieng-2", now=clock.now())
    assert users.get_user(station, "canbo")["password_changed_at"]
    assert [r["action"] for r in audit.entries(station)][:2] == ["user.passwd", "user.passwd"]
    with pytest.raises(NotFoundError):
        users.set_password(station, ADMIN, "nobody", GOOD, now=clock.now())


def test_disable_enable_and_role(station, clock):
    users.disable_user(station, ADMIN, "canbo", now=clock.now())
    assert users.get_user(station, "canbo")["disabled_at"]
    with pytest.raises(StateError, match="already disabled"):
        users.disable_user(station, ADMIN, "canbo", now=clock.now())
    users.enable_user(station, ADMIN, "canbo", now=clock.now())
    assert users.get_user(station, "canbo")["disabled_at"] is None
    with pytest.raises(StateError, match="not disabled"):
        users.enable_user(station, ADMIN, "canbo", now=clock.now())
    users.set_role(station, OPERATOR, "canbo", "leader", now=clock.now())
    assert users.get_user(station, "canbo")["role"] == "leader"
    with pytest.raises(ValidationError, match="Unknown role"):
        users.set_role(station, OPERATOR, "canbo", "chief", now=clock.now())
    for action in (users.disable_user, users.enable_user):
        with pytest.raises(PermissionDeniedError):
            action(station, OFFICER, "quantri", now=clock.now())
    actions = [r["action"] for r in audit.entries(station)]
    assert actions[:3] == ["user.role", "user.enable", "user.disable"]


def test_the_last_admin_stays(station, clock):
    with pytest.raises(StateError, match="last admin"):
        users.disable_user(station, OPERATOR, "quantri", now=clock.now())
    with pytest.raises(StateError, match="last admin"):
        users.set_role(station, OPERATOR, "quantri", "leader", now=clock.now())
    users.set_role(station, OPERATOR, "canbo", "admin", now=clock.now())
    users.disable_user(station, OPERATOR, "quantri", now=clock.now())


def test_first_admin_only_on_an_empty_station(fresh_db, clock):
    user = users.create_first_admin(fresh_db, username="quantri", password=GOOD, now=clock.now())
    assert user["role"] == "admin"
    with pytest.raises(StateError, match="already has accounts"):
        users.create_first_admin(fresh_db, username="other", password=GOOD, now=clock.now())


def test_migration_keeps_existing_accounts_and_allows_viewer(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m150_trustweb_accounts")
    db.execute("INSERT INTO users VALUES ('chutich', 'Chủ tịch', 'leader', 'scrypt:hash', '2026-01-01')")
    db.conn.commit()
    with pytest.raises(Exception, match="CHECK"):
        db.execute("INSERT INTO users VALUES ('xem', 'Xem', 'viewer', 'h', '2026-01-01')")
    db.conn.close()
    db = connect(path)
    row = users.get_user(db, "chutich")
    assert (row["role"], row["password_hash"], row["disabled_at"], row["demo"]) == (
        "leader", "scrypt:hash", None, 0)
    db.execute("INSERT INTO users (username, display_name, role, password_hash, created_at) "
               "VALUES ('xem', 'Xem', 'viewer', 'h', '2026-01-01')")
    assert {"sessions", "login_failures"} <= set(db.table_names())


def test_an_old_world_readable_database_is_made_private(tmp_path):
    path = tmp_path / "radio.db"
    connect(path).conn.close()
    path.chmod(0o644)
    connect(path).conn.close()
    assert path.stat().st_mode & 0o777 == 0o600
