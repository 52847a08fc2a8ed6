"""Named outputs: admin-only configuration, passwords never shown."""

from __future__ import annotations

import pytest

from radio.accounts import audit
from radio.schedule import outputs
from radio.cli import cli
from radio.errors import NotFoundError, ValidationError
from radio.schedule.slots import add_slot
from tests.support.actors import ADMIN, OFFICER

ICECAST = "icecast://source:s3cr3t-pass@192.168.1.20:8000/xa"


def test_icecast_password_is_stored_but_never_listed(fresh_db, clock):
    row = outputs.add_output(fresh_db, name="loa-ip", spec=ICECAST, zone="Loa IP", actor=ADMIN, now=clock.now())
    assert row["spec"] == "icecast://source:***@192.168.1.20:8000/xa" and row["kind"] == "icecast"
    assert outputs.get_output(fresh_db, "loa-ip")["spec"] == ICECAST  # the daemon needs it
    assert "s3cr3t" not in repr(outputs.list_outputs(fresh_db))
    assert "s3cr3t" not in repr(audit.entries(fresh_db))


@pytest.mark.parametrize("name, spec, message", [
    ("Thôn 2", "pulse:thon2", "Output name"), ("x" * 40, "pulse:thon2", "Output name"),
    ("thon2", "loa:thon2", "accepted forms"), ("thon2", " ", "Give the output's spec"),
])
def test_bad_outputs_are_refused(fresh_db, clock, name, spec, message):
    with pytest.raises(ValidationError, match=message):
        outputs.add_output(fresh_db, name=name, spec=spec, actor=ADMIN, now=clock.now())
    assert fresh_db["outputs"].count == 0


def test_an_output_in_use_cannot_be_removed(fresh_db, clock):
    outputs.add_output(fresh_db, name="thon2", spec="pulse:thon2", actor=ADMIN, now=clock.now())
    add_slot(fresh_db, at="17:00", days="daily", now=clock.now(), output="thon2", actor=OFFICER)
    with pytest.raises(ValidationError, match="used by slot"):
        outputs.remove_output(fresh_db, "thon2", actor=ADMIN, now=clock.now())
    with pytest.raises(NotFoundError):
        outputs.remove_output(fresh_db, "none", actor=ADMIN, now=clock.now())


def test_kind_and_masking():
    assert [outputs.kind_of(s) for s in ("device", "device:hw", "pulse:a,b", "file:/x", ICECAST, "", "loa:x")] == [
        "device", "device", "pulse", "file", "icecast", None, None]
    assert outputs.masked("pulse:a") == "pulse:a"


def test_cli_output_add_asks_for_the_icecast_password(runner, home):
    result = runner.invoke(cli, ["output", "add", "loa-ip", "icecast://source@127.0.0.1:8000/xa",
                                 "--zone", "Loa IP"], input="kin-bi-mat\n")
    assert result.exit_code == 0, result.output
    assert "kin-bi-mat" not in result.output.replace("Icecast source password: ", "")
    listing = runner.invoke(cli, ["output", "list"])
    assert "icecast://source:***@127.0.0.1:8000/xa" in listing.output and "kin-bi-mat" not in listing.output
    result = runner.invoke(cli, ["output", "add", "tep", "file:/tmp/x"])
    assert result.exit_code == 0 and "nothing reaches the loudspeakers" in result.output
    assert runner.invoke(cli, ["output", "remove", "tep"]).exit_code == 0
    bad = runner.invoke(cli, ["slot", "add", "--at", "17:00", "--days", "daily", "--output", "file:/tmp/y"])
    assert bad.exit_code == 1 and bad.output.startswith("Error: Output \"file:/tmp/y\" is not one of")


def test_upgrade_turns_free_text_slot_outputs_into_named_outputs(clock):
    """Slots of a station from before m141 keep airing where they did, through named outputs."""
    from sqlite_utils import Database

    from radio.store.migrations import migrations

    db = Database(memory=True)
    migrations.apply(db, stop_before="m140_trustlib_bulletin_return")
    for n, spec in enumerate(("pulse:thon1,thon2", "pulse:thon1,thon2", "file:/srv/x", "loa:nonsense"), 1):
        db["slots"].insert(dict(id=n, at_time="17:00:00", days="daily", created_at="2026-11-01T00:00:00.000+00:00",
                                output=spec))
    migrations.apply(db)
    assert [s["output"] for s in db["slots"].rows_where(order_by="id")] == [
        "slot-output-2", "slot-output-2", "slot-output-1", None]
    assert {r["name"]: (r["kind"], r["spec"]) for r in outputs.list_outputs(db)} == {
        "slot-output-1": ("file", "file:/srv/x"), "slot-output-2": ("pulse", "pulse:thon1,thon2")}
