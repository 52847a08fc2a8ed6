"""Hypothesis over the arguments of every command.

Whatever a user types: no traceback, an exit code from the documented set (never
4, a bug), one ``Error:`` line when refused, and a refused command leaves every
table as it was.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radio.bulletins import lifecycle as bulletins
from radio.cli import reference as cli_reference
from radio.schedule import slots
from radio.cli import cli
from radio.clock import ManualClock
from radio.store.home import open_home
from radio.store.connection import connect
from radio.hub import add_station, init_hub
from tests.support.fake_gtts import refused_url
from tests.support.actors import LEADER, OFFICER

#: they run until stopped; their start-up errors are covered in test_cli_failures (and the
#: hub's in tests/radio/cli/test_hub_cli.py)
LONG_RUNNING = {("station",), ("serve",), ("demo",), ("hub", "serve"), ("hub", "admin")}
COMMANDS = [(path, command) for path, command in cli_reference.walk(cli)
            if not isinstance(command, click.Group) and path not in LONG_RUNNING]
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)

WORDS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "-", "--", "--help", "-1", "0", "1", "2", "99", "9" * 30, "nan", "inf",
                     "daily", "mon,wed", "08:00", "27:00", "2026-11-30", "2020-01-01", "2026-13",
                     "2026-11", "approved", "urgent", "vi", "espeak", "keep_programmes_days",
                     "grace_minutes", "espeak_rate", "UBND", "Thông báo", "x" * 500, "\x00", "’",
                     "file:/nonexistent/dir", "icecast://", "pulse:",
                     # each was accepted or a traceback once
                     "²", "٣", "1_0", "cchc\x00", "a\x1bb", "0001-01-01", "9999-12-31"]),
)
NUMBERS = st.one_of(st.integers(-3, 5), st.sampled_from([2**63, -2**63, 10**30])).map(str)
FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-3, 400)).map(str)


def _paths(tmp):
    return st.sampled_from([str(tmp / "out.wav"), str(tmp / "out.csv"), str(tmp / "no" / "such" / "x.csv"),
                            str(tmp), "", str(tmp / "out.docx")])


def _value(param, tmp):
    kind = param.type
    if isinstance(kind, click.Choice):
        return st.one_of(st.sampled_from(list(kind.choices)), WORDS)
    if isinstance(kind, (click.Path, click.File)):
        return _paths(tmp)
    if isinstance(kind, click.types.IntParamType):
        return st.one_of(NUMBERS, WORDS)
    if isinstance(kind, click.types.FloatParamType):
        return st.one_of(FLOATS, WORDS)
    return WORDS


@st.composite
def arguments(draw, command, tmp):
    """An argument list for *command*: its options in any subset, its arguments, maybe junk."""
    args: list[str] = []
    for param in command.params:
        if isinstance(param, click.Option):
            if param.name == "help" or not (param.required or draw(st.booleans())):
                continue
            if param.is_flag:
                args.append(draw(st.sampled_from(param.opts + param.secondary_opts)))
            else:
                args += [draw(st.sampled_from(param.opts)), draw(_value(param, tmp))]
    for param in command.params:
        if isinstance(param, click.Argument) and (param.required or draw(st.booleans())):
            args.append(draw(_value(param, tmp)))
    if draw(st.integers(0, 9)) == 0:
        args.append(draw(WORDS))
    return args


def _snapshot(database) -> list[str]:
    db = connect(database)
    try:
        return list(db.conn.iterdump())
    finally:
        db.conn.close()


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    """A station with a draft, an approved bulletin and a slot, so small ids hit real objects."""
    home = open_home(tmp_path_factory.mktemp("fuzz") / "station")
    db = connect(home.database)
    bulletins.add_bulletin(db, actor=OFFICER, title="Bản nháp", text="UBND xã thông báo.", now=NOW)
    approved = bulletins.add_bulletin(db, actor=OFFICER, title="Đã duyệt", text="Lịch tiếp dân.", now=NOW)
    bulletins.approve_bulletin(db, approved, actor=LEADER, expected_sha256=None, by="leader", now=NOW)
    slots.add_slot(db, actor=OFFICER, at="06:00", days="daily", now=NOW)
    db.conn.close()
    return home


@pytest.fixture(scope="module")
def hub_home(tmp_path_factory):
    """A hub with a station, its servers at a port where nothing listens (refused at once)."""
    root = tmp_path_factory.mktemp("fuzz-hub")
    hub, _ = init_hub(root / "hub", clock=ManualClock(NOW), name="Tỉnh Thử", servers=["nats://127.0.0.1:1"])
    add_station(hub, "XA01", name="Xã Một", zone="bac", join_path=root / "XA01.creds", now=NOW)
    hub.close()
    return root / "hub"


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_arguments_end_cleanly(station, hub_home, tmp_path, path, command, data):
    proxy = refused_url()  # speech never reaches the network
    env = {"HTTPS_PROXY": proxy, "https_proxy": proxy, "NO_PROXY": "", "RADIO_HOME": str(station.root),
           "RADIO_HUB_HOME": str(hub_home)}
    args = data.draw(arguments(command, tmp_path), label="args")
    stdin = data.draw(st.text(max_size=60), label="stdin")
    before = _snapshot(station.database)
    # play --now waits on the clock: a manual one, so instantly
    result = CliRunner().invoke(cli, [*path, *args], input=stdin, env=env, obj={"clock": ManualClock(NOW)})
    output = result.output
    assert result.exit_code in (0, 1, 2, 3), output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in output
    if result.exit_code in (1, 3):
        errors = [line for line in output.splitlines() if line.startswith("Error: ")]
        prompt_closed = output.rstrip().endswith("Aborted!")  # click's answer to EOF at a prompt
        assert len(errors) == 1 or (prompt_closed and not errors), output
        expired_request = path == ("play",) and "has expired" in output  # the request itself is the record
        if not expired_request:
            assert _snapshot(station.database) == before, f"refused, yet the database changed: {output}"
