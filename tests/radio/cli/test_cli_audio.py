"""``radio bulletin add --audio``: a human reading as a new draft, or a one-line refusal."""

from radio.cli import cli
from radio.store.connection import connect
from tests.support.recordings import tone_file


def run(runner, *args):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_add_with_audio_then_show(runner, home, tmp_path):
    reading = tone_file(tmp_path / "doc-tieng-thai.ogg")
    result = run(runner, "bulletin", "add", "--title", "Lịch tiêm chủng", "--audio", str(reading),
                 "--language", "Tiếng Thái")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1"
    shown = run(runner, "bulletin", "show", "1")
    assert "recording: " in shown.output and "(Tiếng Thái)" in shown.output
    result = run(runner, "bulletin", "approve", "1", "--by", "Chủ tịch")
    assert result.exit_code == 0 and "done with recording" in result.output


def test_add_with_non_audio_is_one_line_and_writes_nothing(runner, home, tmp_path):
    fake = tmp_path / "thong-bao.mp3"
    fake.write_text("not audio at all\n" * 20)
    result = run(runner, "bulletin", "add", "--title", "T", "--audio", str(fake))
    assert result.exit_code == 1
    # refused on its content before ffmpeg runs (a playlist would make it read other files)
    assert result.output.startswith("Error: The file is not a recording: its content is not WAV, MP3")
    assert result.output.count("\n") == 1
    db = connect(home.database)
    assert db["bulletins"].count == 0 and list(home.recordings.iterdir()) == []


def test_audio_needs_a_title_and_no_file(runner, tmp_path):
    reading = tone_file(tmp_path / "a.wav")
    assert "--audio needs --title" in run(runner, "bulletin", "add", "--audio", str(reading)).output
    assert "--language describes" in run(runner, "bulletin", "add", "--title", "T", "--text", "x",
                                          "--language", "Tiếng Thái").output
