"""Every setting has a type and a range or choices."""

from datetime import UTC, datetime

import pytest

from radio import settings
from radio.errors import ValidationError
from tests.support.actors import ADMIN

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("name, value", [
    ("keep_programmes_days", "0"),  # would delete the next programme before it airs
    ("grace_minutes", "-1"),        # would log every slot missed
    ("espeak_rate", "0"),           # would make every render fail
    ("espeak_rate", "451"),
    ("gap_ms", "1.5"),
    ("target_lufs", "nan"),
    ("target_lufs", "inf"),
    ("use_jingles", "maybe"),
    ("engine", "google"),
    ("espeak_voice", "en"),
    ("quiet_before", "25:00"),
    ("quiet_after", "9pm"),
    ("output", "speaker"),
    ("station_name", "  "),
    ("urgent_expiry_s", "0"),
    ("output_retry_s", "0"),
])
def test_out_of_range_values_are_refused_naming_the_range(fresh_db, name, value):
    with pytest.raises(ValidationError) as info:
        settings.save(fresh_db, name, value, actor=ADMIN, now=NOW)
    assert f'Setting "{name}" must be {settings._BY_NAME[name].allowed()}; got {value!r}.' == str(info.value)
    assert fresh_db["settings"].count == 0


@pytest.mark.parametrize("name, value, expected", [
    ("keep_programmes_days", "1", 1),
    ("grace_minutes", "0", 0),
    ("espeak_rate", "80", 80),
    ("target_lufs", "-23", -23.0),
    ("use_jingles", "off", False),
    ("output", "file:/srv/radio/aired", "file:/srv/radio/aired"),
    ("quiet_before", "05:00", "05:00"),
])
def test_values_in_range_are_saved(fresh_db, name, value, expected):
    assert settings.save(fresh_db, name, value, actor=ADMIN, now=NOW) == expected
    assert fresh_db["settings"].get(name)["value"] == str(expected)


def test_every_setting_states_what_it_allows_and_its_default_is_allowed():
    for setting in settings.SETTINGS:
        assert setting.allowed()
        assert settings.check(setting.name, setting.default) == setting.default
        if setting.kind in ("integer", "number"):
            assert setting.minimum is not None and setting.maximum is not None, setting.name


def test_toml_types_are_checked_too(home):
    home.settings_file.write_text("grace_minutes = true\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r'radio.toml: Setting "grace_minutes" must be an integer'):
        settings.load(home)
    home.settings_file.write_text("keep_programmes_days = 0\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="keep_programmes_days"):
        settings.load(home)
    home.settings_file.write_text("gap_ms = 500.0\n", encoding="utf-8")
    assert settings.load(home)["gap_ms"] == 500


def test_misspelt_keys_in_radio_toml_are_reported_with_the_closest_name(home):
    home.settings_file.write_text('grace_minute = 5\ncolour = "red"\nengine = "espeak"\n', encoding="utf-8")
    warnings = settings.file_warnings(home)
    assert warnings == [
        f'{home.settings_file}: unknown setting "grace_minute" is ignored. Did you mean "grace_minutes"?',
        f'{home.settings_file}: unknown setting "colour" is ignored.',
    ]
    assert settings.load(home)["engine"] == "espeak"


def test_a_bad_value_saved_by_an_older_version_falls_back_with_a_warning(home, db):
    db["settings"].upsert({"name": "keep_programmes_days", "value": "0"}, pk="name")
    warnings = []
    assert settings.load(home, db, warnings=warnings)["keep_programmes_days"] == 14
    assert len(warnings) == 1 and "keep_programmes_days" in warnings[0]


def test_unknown_setting_suggests_the_closest(fresh_db):
    with pytest.raises(ValidationError, match='Did you mean "espeak_rate"'):
        settings.save(fresh_db, "espeak_rat", "150", actor=ADMIN, now=NOW)


def test_template_is_written_whole_or_not_at_all(home, monkeypatch):
    def full_disk(self, data, *args, **kwargs):
        with open(self, "w", encoding="utf-8") as fh:  # half of it reaches the disk, then it is full
            fh.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(home.settings_file), "write_text", full_disk)
    with pytest.raises(OSError):
        settings.write_template(home)
    assert not home.settings_file.exists()
    assert list(home.root.glob("radio.toml*")) == []


def test_the_daemon_reports_misspelt_keys_and_keeps_good_settings_on_a_bad_edit(home, caplog):
    from radio.station import Station

    home.settings_file.write_text("grace_minute = 5\ngrace_minutes = 7\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="radio.station"):
        station = Station(home, output="file:/tmp/unused")
    assert 'unknown setting "grace_minute" is ignored. Did you mean "grace_minutes"?' in caplog.text
    assert station.settings["grace_minutes"] == 7
    home.settings_file.write_text("grace_minutes = -1\n", encoding="utf-8")  # edited while running
    with caplog.at_level("ERROR", logger="radio.station"):
        station._reload_settings()
    assert station.settings["grace_minutes"] == 7
    assert "Settings not reloaded, keeping the previous ones" in caplog.text
    station.db.conn.close()
