"""Amplifier hooks behave like try/finally, with timeouts, and report their outcome."""

import pytest

from radio.station.hooks import amplifier, run_hook


def settings(tmp_path, before="", after="", timeout=5.0):
    return {"hook_before": before, "hook_after": after, "hook_timeout_s": timeout}


def test_before_and_after_run_in_order(tmp_path):
    trace = tmp_path / "trace"
    outcomes = []
    with amplifier(settings(tmp_path, f"sh -c 'echo on >> {trace}'", f"sh -c 'echo off >> {trace}'"), outcomes):
        trace.open("a").write("play\n")
    assert trace.read_text().split() == ["on", "play", "off"]
    assert [o["hook"] for o in outcomes] == ["before", "after"] and all(o["ok"] for o in outcomes)


def test_after_hook_runs_even_when_playing_fails(tmp_path):
    trace = tmp_path / "trace"
    outcomes = []
    with pytest.raises(RuntimeError):
        with amplifier(settings(tmp_path, "true", f"touch {trace}"), outcomes):
            raise RuntimeError("sound card gone")
    assert trace.exists()


def test_a_stuck_hook_times_out(tmp_path):
    outcome = run_hook("before", "sleep 5", timeout_s=0.2)
    assert not outcome["ok"] and "timed out after 0.2 s" in outcome["error"]
    assert outcome["seconds"] < 2


def test_a_missing_command_is_reported_not_raised():
    outcome = run_hook("after", "/nonexistent/relay off", timeout_s=1)
    assert not outcome["ok"] and "No such file" in outcome["error"]


def test_failing_hook_reports_its_exit_code_and_output():
    outcome = run_hook("before", "sh -c 'echo relay busy; exit 3'", timeout_s=1)
    assert outcome["exit_code"] == 3 and outcome["output"] == "relay busy"
