"""``radio hub user add`` (the password asked twice) and ``radio hub user list``."""

from __future__ import annotations

from click.testing import CliRunner

from radio.cli import cli

from .conftest import PASSWORD


def radio(env, *args, input=None):
    return CliRunner().invoke(cli, ["hub", *args], env=env, input=input, catch_exceptions=False)


def test_an_account_is_added_with_a_province_role_and_listed(tmp_path):
    env = {"RADIO_HUB_HOME": str(tmp_path / "hub")}
    assert radio(env, "init", "--name", "Tỉnh Thử").exit_code == 0
    added = radio(env, "user", "add", "thamdinh", "--role", "leader", "--name", "Trần Thị B",
                  input=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.exit_code == 0, added.output
    assert "User thamdinh added (leader)." in added.output
    listed = radio(env, "user", "list")
    assert "thamdinh" in listed.output and "leader" in listed.output and "Trần Thị B" in listed.output


def test_a_commune_role_or_a_weak_password_is_refused(tmp_path):
    env = {"RADIO_HUB_HOME": str(tmp_path / "hub")}
    radio(env, "init")
    officer = radio(env, "user", "add", "canbo", "--role", "officer", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert officer.exit_code == 2 and "officer" in officer.output
    weak = radio(env, "user", "add", "bientap", "--role", "editor", input="123\n123\n")
    assert weak.exit_code != 0 and "Error" in weak.output
    assert "No accounts yet" in radio(env, "user", "list").output
