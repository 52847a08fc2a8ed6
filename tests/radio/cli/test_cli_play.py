"""`radio play --now` waits for the daemon and says plainly when its request expired."""

from radio.bulletins import lifecycle as bulletins
from radio.schedule import commands
from radio.cli import cli
from radio.store.connection import connect
from tests.support.actors import LEADER, OFFICER


def approved(home, clock):
    db = connect(home.database)
    bulletin_id = bulletins.add_bulletin(db, actor=OFFICER, title="Cảnh báo", text="Bão số 5.", now=clock.now(), priority="urgent")
    bulletins.approve_bulletin(db, bulletin_id, actor=LEADER, expected_sha256=None, by="leader", now=clock.now())
    return db, bulletin_id


def test_no_daemon_means_expired_and_never_aired(runner, home, clock):
    db, bulletin_id = approved(home, clock)
    # its sleeps advance the clock: no real wait
    result = runner.invoke(cli, ["play", "--now", str(bulletin_id)], obj={"clock": clock})
    assert result.exit_code == 3
    assert result.output.splitlines()[-1] == (
        "Error: No station daemon took the request within 30 s; it has expired and will not air. "
        "Start the station with `radio station` (or `radio serve`) and ask again.")
    (row,) = db["commands"].rows
    assert row["result"] == "expired"
    assert commands.take_pending(db, clock.now()) == []  # a daemon started later does not air it


def test_the_expiry_is_a_setting(runner, home, clock):
    db, bulletin_id = approved(home, clock)
    assert runner.invoke(cli, ["settings", "set", "urgent_expiry_s", "10"]).exit_code == 0
    start = clock.now()
    # its sleeps advance the clock: no real wait
    result = runner.invoke(cli, ["play", "--now", str(bulletin_id)], obj={"clock": clock})
    assert "within 10 s" in result.output
    assert (clock.now() - start).total_seconds() == 10


def test_no_wait_leaves_it_to_the_daemon_to_expire(runner, home, clock):
    db, bulletin_id = approved(home, clock)
    result = runner.invoke(cli, ["play", "--now", str(bulletin_id), "--no-wait"], obj={"clock": clock})
    assert result.exit_code == 0 and "expires in 30 s" in result.output
    clock.advance(31)
    assert commands.take_pending(db, clock.now()) == []
    assert next(db["commands"].rows)["result"] == "expired"
