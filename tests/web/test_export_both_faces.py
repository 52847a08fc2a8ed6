"""The CLI's ``radio log export`` and the admin's download go through one export function
(:func:`radio.reports.exports.export`): the same formats, the same whole-or-nothing write."""

import pytest
from click.testing import CliRunner

from radio.cli import cli
from radio.reports import exports


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_both_faces_export_through_the_library(client, auth, app, monkeypatch, tmp_path, fmt):
    calls = []
    real = exports.export

    def spy(db, path, fmt, period, **kwargs):
        calls.append((fmt, period.key if period else None))
        return real(db, path, fmt, period, **kwargs)
    monkeypatch.setattr(exports, "export", spy)
    monkeypatch.setenv("RADIO_HOME", app.config["RADIO_HOME"])
    out = tmp_path / f"nhat-ky.{fmt}"
    result = CliRunner().invoke(cli, ["log", "export", "--format", fmt, "--month", "2026-11", "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    auth.login("lanhdao", "leader")
    response = client.get(f"/log/export.{fmt}?month=2026-11")
    assert response.status_code == 200 and response.mimetype == exports.FORMATS[fmt]
    assert calls == [(fmt, "2026-11"), (fmt, "2026-11")]
    # both are the same kind of file (a zip: the Office formats)
    assert out.read_bytes()[:2] == response.get_data()[:2] == b"PK"
