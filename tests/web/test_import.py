import io

import pytest

from radio.bulletins import lifecycle as bulletins


def upload(client, name, payload, **fields):
    data = {"document": (io.BytesIO(payload), name), "topic": "cchc", "priority": "normal", **fields}
    return client.post("/bulletins/import", data=data, content_type="multipart/form-data",
                       follow_redirects=True)


def test_import_page(client, auth):
    auth.login()
    html = client.get("/bulletins/import").get_data(as_text=True)
    assert "Nhập bản tin từ tệp (.docx, .txt)" in html and 'enctype="multipart/form-data"' in html


def test_import_txt(client, auth, db):
    auth.login()
    text = "Thông báo lịch tiếp công dân\n\nỦy ban nhân dân xã tiếp công dân vào thứ Năm hằng tuần.\n"
    html = upload(client, "thong-bao.txt", text.encode("utf-8"), priority="priority").get_data(as_text=True)
    assert "Đã nhập bản tin từ tệp thong-bao.txt." in html
    (row,) = bulletins.list_bulletins(db)
    assert row["title"] == "Thông báo lịch tiếp công dân"
    assert "Ủy ban nhân dân xã tiếp công dân" in row["text"]
    assert (row["status"], row["priority"], row["created_by"]) == ("draft", "priority", "officer")


def test_import_docx(client, auth, db, tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("Tuyên truyền dịch vụ công trực tuyến")
    document.add_paragraph("Người dân có thể nộp hồ sơ trực tuyến mức độ 3, 4 tại Cổng dịch vụ công.")
    path = tmp_path / "bai-viet.docx"
    document.save(path)
    auth.login()
    html = upload(client, "bai-viet.docx", path.read_bytes()).get_data(as_text=True)
    assert "Đã nhập bản tin từ tệp bai-viet.docx." in html
    (row,) = bulletins.list_bulletins(db)
    assert row["title"] == "Tuyên truyền dịch vụ công trực tuyến"
    assert "mức độ 3, 4 tại Cổng dịch vụ công." in row["text"]


@pytest.mark.parametrize("name,payload,message", [
    ("anh.png", b"\x89PNG", "Không đọc được tệp anh.png: không nhập được tệp loại .png"),
    ("trong.txt", b"   \n\n", "Không đọc được tệp trong.txt: tệp không có nội dung."),
    ("hong.docx", b"not a zip", "Không đọc được tệp hong.docx: không phải tệp Word .docx"),
    ("latin.txt", "Thông báo".encode("cp1258", errors="replace") + b"\xff", "Không đọc được tệp latin.txt"),
])
def test_import_bad_file_changes_nothing(client, auth, db, name, payload, message):
    auth.login()
    response = upload(client, name, payload)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert bulletins.list_bulletins(db) == []


def test_import_without_file(client, auth, db):
    auth.login()
    response = client.post("/bulletins/import", data={"topic": "cchc", "priority": "normal"},
                           content_type="multipart/form-data")
    assert "Hãy chọn một tệp .docx hoặc .txt để nhập." in response.get_data(as_text=True)
    assert bulletins.list_bulletins(db) == []


def test_import_does_not_repeat_the_title_and_offers_the_plans_parts(client, auth, db):
    auth.login()
    plan = ("KẾ HOẠCH tuyên truyền CCHC năm 2022\n\nCăn cứ Kế hoạch số 05/KH-UBND.\n\n"
            "I. MỤC ĐÍCH, YÊU CẦU\n\nNâng cao nhận thức.\n\nII. NỘI DUNG\n\nDịch vụ công trực tuyến.\n")
    response = upload(client, "ke-hoach.txt", plan.encode("utf-8"))
    html = response.get_data(as_text=True)
    (row,) = bulletins.list_bulletins(db)
    assert row["title"] == "KẾ HOẠCH tuyên truyền CCHC năm 2022"
    assert row["text"].startswith("Căn cứ Kế hoạch") and "KẾ HOẠCH tuyên truyền" not in row["text"]
    assert response.request.path == f"/bulletins/{row['id']}/edit"
    assert "Tệp có 2 phần" in html and 'id="section-pick"' in html
    assert "I. MỤC ĐÍCH, YÊU CẦU" in html and "II. NỘI DUNG" in html

# -- uploads that answered 500 or clogged the station ----------------------------------
def test_exploit_upload_with_a_300_character_extension(client, auth, db):
    auth.login()
    response = upload(client, "tin." + "x" * 300, b"Thong bao")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "không nhập được tệp loại" in html
    assert "x" * 70 not in html and bulletins.list_bulletins(db) == []


def test_exploit_docx_bomb_upload_is_refused(client, auth, db, tmp_path):
    from tests.content.test_importers import _zip_bomb

    path = tmp_path / "bom.docx"
    _zip_bomb(path, 51 * 1024 * 1024)
    auth.login()
    html = upload(client, "bom.docx", path.read_bytes()).get_data(as_text=True)
    assert "khi giải nén, tệp phình ra quá 5 MB" in html and bulletins.list_bulletins(db) == []


def test_upload_past_the_size_limit_is_refused_before_parsing(client, auth, db):
    auth.login()
    html = upload(client, "dai.txt", b"a" * (5 * 1024 * 1024 + 10)).get_data(as_text=True)
    assert "tệp lớn hơn 5120 KB" in html and bulletins.list_bulletins(db) == []


def test_utf16_without_bom_imports_as_text(client, auth, db):
    auth.login()
    text = "Thông báo lịch tiếp công dân\n\nỦy ban nhân dân xã tiếp công dân vào thứ Năm."
    upload(client, "utf16.txt", text.encode("utf-16-le"))
    (row,) = bulletins.list_bulletins(db)
    assert row["title"] == "Thông báo lịch tiếp công dân"


def test_windows_1258_imports_with_a_note_to_check(client, auth, db):
    from tests.content.test_importers import VIET, _cp1258

    auth.login()
    html = upload(client, "cp1258.txt", _cp1258(VIET)).get_data(as_text=True)
    assert "Tệp được đọc theo bảng mã Windows-1258; hãy kiểm tra lại dấu tiếng Việt" in html
    (row,) = bulletins.list_bulletins(db)
    assert row["text"] == VIET

