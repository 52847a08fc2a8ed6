"""The same file through ``radio bulletin add --file`` and through the admin's import makes
the same bulletin: the same title and text (the title paragraph not repeated, so not read
twice on air), the same content hash, and the same note when the encoding was guessed."""

import io

import pytest
from click.testing import CliRunner

from radio.bulletins import lifecycle as bulletins
from radio.bulletins.spoken import spoken_text_of
from radio.cli import cli
from tests.content.test_importers import VIET, _cp1258

TITLE = "Tuyên truyền dịch vụ công trực tuyến"
BODY = ["Người dân có thể nộp hồ sơ trực tuyến mức độ 3, 4 tại Cổng dịch vụ công.",
        "Mọi thắc mắc xin liên hệ bộ phận một cửa của Ủy ban nhân dân xã."]


@pytest.fixture
def docx_file(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for paragraph in (TITLE, *BODY):
        document.add_paragraph(paragraph)
    path = tmp_path / "bai-viet.docx"
    document.save(path)
    return path


@pytest.fixture
def cli_run(app, monkeypatch):
    monkeypatch.setenv("RADIO_HOME", app.config["RADIO_HOME"])

    def run(*args):
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result
    return run


def admin_import(client, path):
    data = {"document": (io.BytesIO(path.read_bytes()), path.name), "topic": "cchc", "priority": "normal"}
    return client.post("/bulletins/import", data=data, content_type="multipart/form-data",
                       follow_redirects=True).get_data(as_text=True)


def test_a_docx_makes_the_same_bulletin_through_the_cli_and_the_admin(client, auth, db, cli_run, docx_file):
    cli_id = int(cli_run("bulletin", "add", "--file", str(docx_file)).stdout.strip())
    auth.login()
    assert "Đã nhập bản tin từ tệp bai-viet.docx." in admin_import(client, docx_file)
    from_cli, from_admin = bulletins.get_bulletin(db, cli_id), bulletins.get_bulletin(db, cli_id + 1)
    assert (from_cli["title"], from_cli["text"]) == (from_admin["title"], from_admin["text"]) \
        == (TITLE, "\n\n".join(BODY))
    assert bulletins.content_sha256(from_cli) == bulletins.content_sha256(from_admin)
    # what speech is made from reads the title once
    assert spoken_text_of(from_cli["title"], from_cli["text"]).count(TITLE) == 1


def test_a_guessed_encoding_is_noted_through_both_faces(client, auth, db, cli_run, tmp_path):
    path = tmp_path / "cp1258.txt"
    path.write_bytes(_cp1258(f"{TITLE}\n\n{VIET}"))
    result = cli_run("bulletin", "add", "--file", str(path))
    assert result.stdout.strip().isdigit()  # the id alone on stdout, the note on stderr
    assert "read as Windows-1258 text; check the accents" in result.stderr
    auth.login()
    html = admin_import(client, path)
    assert "Tệp được đọc theo bảng mã Windows-1258; hãy kiểm tra lại dấu tiếng Việt" in html
    first, second = bulletins.list_bulletins(db)
    assert (first["title"], first["text"]) == (second["title"], second["text"]) == (TITLE, VIET)
    assert bulletins.content_sha256(first) == bulletins.content_sha256(second)


def test_a_title_given_at_the_cli_keeps_the_documents_first_paragraph(db, cli_run, docx_file):
    """Only a paragraph that is the bulletin's title leaves the text: with another title
    chosen, the document's heading is content the officer may want read."""
    new_id = int(cli_run("bulletin", "add", "--file", str(docx_file), "--title", "Tin CCHC").stdout)
    row = bulletins.get_bulletin(db, new_id)
    assert (row["title"], row["text"]) == ("Tin CCHC", "\n\n".join((TITLE, *BODY)))


def test_an_unreadable_file_stores_nothing_through_the_cli(db, app, monkeypatch, tmp_path):
    monkeypatch.setenv("RADIO_HOME", app.config["RADIO_HOME"])
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"not a zip")
    result = CliRunner().invoke(cli, ["bulletin", "add", "--file", str(bad)])
    assert result.exit_code == 1 and "hong.docx: not a readable Word .docx file" in result.output
    assert bulletins.list_bulletins(db) == []
