"""The outputs page (admins) and the audit trail page (leaders, admins)."""

import pytest

from radio.schedule import slot_edits
from radio.bulletins import lifecycle as bulletins
from radio.schedule import outputs
from tests.support.actors import ADMIN, LEADER, OFFICER

from .conftest import START


def test_admin_adds_an_icecast_output_and_never_sees_its_password(client, auth, db):
    auth.login("quantri", "admin")
    page = client.post("/outputs/", data={"name": "loa-ip", "label": "Loa IP", "zone": "Toàn xã",
                                          "spec": "icecast://192.0.2.1:8000/xa",
                                          "password": "kin-bi-mat"}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Đã thêm đầu ra loa-ip." in html and "icecast://source:***@192.0.2.1:8000/xa" in html
    assert "kin-bi-mat" not in html
    assert outputs.get_output(db, "loa-ip")["spec"] == "icecast://source:kin-bi-mat@192.0.2.1:8000/xa"
    for url in ("/outputs/", "/slots/", "/audit/", "/log/"):
        assert "kin-bi-mat" not in client.get(url).get_data(as_text=True)
    html = client.post("/outputs/loa-ip/remove", follow_redirects=True).get_data(as_text=True)
    assert "Đã xóa đầu ra loa-ip." in html and db["outputs"].count == 0


@pytest.mark.parametrize("role", ["officer", "leader"])
def test_only_admins_manage_outputs(client, auth, db, role):
    outputs.add_output(db, name="thon2", spec="pulse:thon2", actor=ADMIN, now=START)
    auth.login(role, role)
    assert client.get("/outputs/").status_code == 403
    assert client.post("/outputs/", data={"name": "x", "spec": "file:/tmp/x"}).status_code == 403
    assert client.post("/outputs/thon2/remove").status_code == 403
    assert client.post("/outputs/thon2/loudspeakers", data={"loudspeakers": "no"}).status_code == 403
    assert [r["name"] for r in outputs.list_outputs(db)] == ["thon2"]


def test_file_output_warns_the_admin(client, auth):
    auth.login("quantri", "admin")
    html = client.post("/outputs/", data={"name": "tep", "spec": "file:/tmp/radio-out"},
                       follow_redirects=True).get_data(as_text=True)
    assert "ra tệp (không phát ra loa)" in html


def test_the_admin_says_which_outputs_feed_loudspeakers(client, auth, db):
    """An output says whether it feeds loudspeakers; the admin can override."""
    auth.login("quantri", "admin")
    html = client.post("/outputs/", data={"name": "nghe-thu", "spec": "pulse:nghe", "loudspeakers": "no"},
                       follow_redirects=True).get_data(as_text=True)
    assert "không nối với loa" in html and "không phát ra loa" in html
    assert outputs.loudspeakers_of(db, "pulse:nghe") == (False, "nghe-thu")
    client.post("/outputs/nghe-thu/loudspeakers", data={"loudspeakers": "auto"})
    assert outputs.loudspeakers_of(db, "pulse:nghe") == (True, "nghe-thu")
    html = client.post("/outputs/nghe-thu/loudspeakers", data={"loudspeakers": "maybe"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Hãy chọn: theo loại, có hoặc không." in html
    assert client.post("/outputs/none/loudspeakers", data={"loudspeakers": "no"}).status_code == 404


def test_audit_page_lists_changes_for_leaders(client, auth, db):
    new_id = bulletins.add_bulletin(db, title="Tin", text="x", now=START, actor=OFFICER)
    bulletins.approve_bulletin(db, new_id, actor=LEADER, now=START, expected_sha256=None)
    auth.login("lanhdao", "leader")
    html = client.get("/audit/").get_data(as_text=True)
    assert "Nhật ký thao tác" in html and "duyệt bản tin" in html and "thêm bản tin" in html
    assert "Bản tin số 1" in html and "22/11/2026 09:00" in html
    assert "Mức ưu tiên: thường" in html and "Tiêu đề: Tin" in html
    assert "priority:" not in html and "bulletin:1" not in html


def test_audit_page_reads_role_changes_and_slot_edits_in_vietnamese(client, auth, db):
    from radio.schedule import slots
    from radio.accounts import users
    users.add_user(db, username="canbo2", password="mat-khau-dai-du-manh-1", role="officer", actor=ADMIN, now=START)
    users.set_role(db, ADMIN, "canbo2", "leader", now=START)
    slot_id = slots.add_slot(db, at="05:30", days="daily", topics="cchc", actor=ADMIN, now=START)
    slot_edits.update_slot(db, slot_id, at="06:00", actor=ADMIN, now=START)
    auth.login("lanhdao", "leader")
    html = client.get("/audit/").get_data(as_text=True)
    assert "Vai trò: Công chức VH-XH → Lãnh đạo UBND" in html
    assert "Giờ phát: 05:30 → 06:00" in html and "Khung giờ số 1" in html
    assert "Chủ đề: Cải cách hành chính (CCHC)" in html and "Tài khoản canbo2" in html
    assert "Ngày trong tuần: hàng ngày" in html and "Tên:" not in html


def test_audit_page_is_paged_and_refuses_officers(client, auth, db):
    for n in range(60):
        bulletins.add_bulletin(db, title=f"Tin {n}", text="x", now=START, actor=OFFICER)
    auth.login("lanhdao", "leader")
    first = client.get("/audit/").get_data(as_text=True)
    assert "Trang 1/2" in first and "Bản tin số 60<" in first and "Bản tin số 1<" not in first
    assert "Bản tin số 1<" in client.get("/audit/?page=2").get_data(as_text=True)
    for page in ("3", "0", "9" * 30, "²"):
        assert client.get(f"/audit/?page={page}").status_code == 404
    auth.logout()
    auth.login()
    assert client.get("/audit/").status_code == 403
