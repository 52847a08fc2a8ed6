"""``radio link``: joining with the hub's file, its status, the inbox, taking a bulletin in."""

import json
import stat

from radio.clock import to_utc_text
from radio.cli import cli
from radio.link import inbox, join_path
from radio.network import Authority
from radio.network.messages import ProvincialBulletin
from radio.store.connection import connect


def join_file(tmp_path, code="XA-TAN-AN"):
    authority = Authority.create(tmp_path / "hub", name="Tỉnh Thử")
    path = tmp_path / f"{code}.creds"
    path.write_text(authority.join_file(code, ["nats://127.0.0.1:4222"]), encoding="utf-8")
    return path


def test_join_keeps_the_file_private_and_status_names_the_station(runner, home, tmp_path):
    done = runner.invoke(cli, ["link", "join", "--credentials", str(join_file(tmp_path))])
    assert done.exit_code == 0, done.output
    assert "as station XA-TAN-AN" in done.output and "nats://127.0.0.1:4222" in done.output
    kept = join_path(home)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    status = runner.invoke(cli, ["link", "status", "--json"])
    data = json.loads(status.output)
    assert data["joined"] and data["code"] == "XA-TAN-AN" and data["province"] == "Tỉnh Thử"
    assert data["link"] == {} and data["outbox"] == {}
    text = runner.invoke(cli, ["link", "status"]).output
    assert "Station XA-TAN-AN" in text and "not run yet" in text


def test_a_file_that_is_not_a_join_file_is_one_line_and_joins_nothing(runner, home, tmp_path):
    bad = tmp_path / "x.creds"
    bad.write_text("hello", encoding="utf-8")
    done = runner.invoke(cli, ["link", "join", "--credentials", str(bad)])
    assert done.exit_code != 0 and "Traceback" not in done.output
    assert "not a NATS credentials file" in done.output
    assert not join_path(home).exists()
    assert "Not joined" in runner.invoke(cli, ["link", "status"]).output


def test_the_inbox_lists_and_accept_takes_a_thuong_bulletin_in(runner, home, clock):
    assert runner.invoke(cli, ["init"]).exit_code == 0
    db = connect(home.database)
    now = to_utc_text(clock.now())
    inbox.receive(db, ProvincialBulletin(id="P-7", station="XA-TAN-AN", cls="thuong", title="Lịch tiếp dân",
                                         text="Tỉnh thông báo lịch tiếp công dân.", sent_at=now,
                                         approved_by="Ban biên tập", approved_at=now, province="Tỉnh"),
                  b"{}", now=clock.now())
    listing = runner.invoke(cli, ["link", "inbox"]).output
    assert "P-7" in listing and "thông thường" in listing and "received" in listing
    done = runner.invoke(cli, ["link", "accept", "P-7"])
    assert done.exit_code == 0, done.output
    assert "bulletin #1" in done.output
    again = runner.invoke(cli, ["link", "accept", "P-7"])
    assert again.exit_code == 1 and "not waiting" in again.output
    missing = runner.invoke(cli, ["link", "accept", "P-404"])
    assert missing.exit_code == 1 and "No provincial bulletin P-404" in missing.output
