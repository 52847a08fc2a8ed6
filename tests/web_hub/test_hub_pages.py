"""The province admin's pages: logging in, writing a draft (typed or from a file), bad input
refused in Vietnamese with nothing written, approval refused to an editor, a leader's
approve-and-send with the servers down, and the pages showing a projection."""

from __future__ import annotations

import io
import re

import docx
import pytest

from radio.accounts.roles import Actor, PermissionDeniedError
from radio.hub import Message, Targets, apply_down, apply_up, approve, write_bulletin
from radio.hub.projection import record_delivered
from radio.hub.sending import approve_and_send
from radio.network.subjects import up_subject
from tests.support.station_log import FakeLog, aired, ack, heartbeat, proof

from .conftest import PASSWORD, START

pytestmark = pytest.mark.timeout(60)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def bulletin_rows(hub):
    return hub.db.execute("SELECT id, status, approved_by FROM bulletins ORDER BY id").fetchall()


def draft(hub, **fields) -> str:
    values = dict(cls="khan-cap", title="Bão số 3", text="Bão số 3 đổ bộ; người dân ở trong nhà.",
                  targets=Targets(all=True), now=START, by="Phạm Thị Biên")
    values.update(fields)
    return write_bulletin(hub.db, **values)


# -- logging in ------------------------------------------------------------------------------
def csrf_of(page) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))[1]


def test_a_user_logs_in_with_the_password_and_sees_the_pages(app):
    client = app.test_client()
    assert client.get("/stations/").status_code == 302
    page = client.get("/auth/login")
    assert "Đăng nhập" in page.get_data(as_text=True)
    wrong = client.post("/auth/login", data={"username": "editor", "password": "sai-mat-khau-123",
                                             "csrf_token": csrf_of(page)})
    assert "Sai tên đăng nhập hoặc mật khẩu." in text_of(wrong)
    done = client.post("/auth/login?next=/stations/", data={"username": "editor", "password": PASSWORD,
                                                            "csrf_token": csrf_of(page)})
    assert done.status_code == 302 and done.location.endswith("/stations/")
    shown = text_of(client.get("/stations/"))
    assert "Các đài xã" in shown and "Phạm Thị Biên" in shown and "Biên tập viên" in shown


def test_a_post_without_its_csrf_token_is_refused(app, hub):
    client = app.test_client()
    from .conftest import log_in

    log_in(client, hub, "editor")
    response = client.post("/bulletins/new", data={"title": "T", "text": "X", "cls": "thuong", "to": "all"})
    assert response.status_code == 400
    assert "mã bảo mật" in text_of(response)
    assert bulletin_rows(hub) == []


# -- writing a draft -------------------------------------------------------------------------
def test_an_editor_writes_a_draft_for_a_zone(as_role, hub):
    response = as_role("editor").post("/bulletins/new", data={
        "title": "Lịch tiêm chủng", "text": "Tiêm chủng mở rộng vào thứ bảy.", "cls": "thuong", "topic": "y tế",
        "valid_from": "2026-12-09", "valid_until": "2026-12-12", "repeat": "2", "to": "zones", "zones": ["bac"]})
    assert response.status_code == 302
    row = hub.db.execute("SELECT * FROM bulletins").fetchone()
    found = dict(zip([d[0] for d in hub.db.execute("SELECT * FROM bulletins").description], row))
    assert found["status"] == "draft" and found["created_by"] == "Phạm Thị Biên" and found["repeat_count"] == 2
    assert Targets.from_json(found["targets"]) == Targets(zones=("bac",))


def test_a_draft_from_a_docx_upload(as_role, hub):
    document = docx.Document()
    document.add_paragraph("Thông báo phòng chống dịch")
    document.add_paragraph("Người dân rửa tay thường xuyên.")
    data = io.BytesIO()
    document.save(data)
    data.seek(0)
    response = as_role("editor").post("/bulletins/new", data={
        "cls": "uu-tien", "repeat": "1", "to": "stations", "stations": ["XA01", "XA03"],
        "file": (data, "thong-bao.docx")}, content_type="multipart/form-data")
    assert response.status_code == 302
    title, text, imported = hub.db.execute("SELECT title, text, imported_from FROM bulletins").fetchone()
    assert title == "Thông báo phòng chống dịch" and "rửa tay" in text and imported == "thong-bao.docx"


@pytest.mark.parametrize("fields,message", [
    ({"title": "", "text": ""}, "Bản tin cần có tiêu đề và nội dung"),
    ({"valid_from": "12/09/2026"}, "Ngày bắt đầu không phải là một ngày"),
    ({"valid_from": "2026-12-10", "valid_until": "2026-12-09"}, "Ngày kết thúc ở trước ngày bắt đầu."),
    ({"repeat": "99"}, "Số lần phát là một số từ 1 đến 50."),
    ({"to": "stations"}, "Hãy chọn nơi nhận"),
    ({"cls": "rat-gap"}, "Hãy chọn loại tin"),
    ({"to": "stations", "stations": ["XA99"]}, "Không lưu được bản tin"),
])
def test_bad_input_gets_a_vietnamese_message_and_writes_nothing(as_role, hub, fields, message):
    data = {"title": "Tiêu đề", "text": "Nội dung", "cls": "thuong", "repeat": "1", "to": "all", **fields}
    response = as_role("editor").post("/bulletins/new", data=data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert bulletin_rows(hub) == []


def test_a_file_that_is_not_a_bulletin_is_refused(as_role, hub):
    response = as_role("editor").post("/bulletins/new", data={
        "cls": "thuong", "repeat": "1", "to": "all", "file": (io.BytesIO(b"\x00\x01"), "x.pdf")},
        content_type="multipart/form-data")
    assert "Chỉ nhận tệp .txt hoặc .docx." in text_of(response)
    assert bulletin_rows(hub) == []


# -- approving -------------------------------------------------------------------------------
def test_an_editor_cannot_approve_or_send_in_the_page_or_the_library(as_role, hub):
    bulletin_id = draft(hub)
    client = as_role("editor")
    assert "Duyệt và gửi" not in text_of(client.get(f"/bulletins/{bulletin_id}"))
    assert client.post(f"/bulletins/{bulletin_id}/send").status_code == 403
    editor = Actor("editor", "editor", "Phạm Thị Biên")
    with pytest.raises(PermissionDeniedError):
        approve(hub.db, bulletin_id, now=START, actor=editor)
    with pytest.raises(PermissionDeniedError):
        approve_and_send(hub, bulletin_id, actor=editor)
    with pytest.raises(PermissionDeniedError):
        write_bulletin(hub.db, cls="thuong", title="T", text="X", targets=Targets(all=True), now=START,
                       actor=Actor("viewer", "viewer"))
    assert bulletin_rows(hub) == [(bulletin_id, "draft", None)]


def test_a_leader_sends_with_the_servers_down_one_line_and_nothing_half_written(as_role, hub):
    bulletin_id = draft(hub)
    client = as_role("leader")
    page = text_of(client.get(f"/bulletins/{bulletin_id}"))
    assert "Duyệt và gửi" in page and 'data-confirm="Duyệt và gửi bản tin này' in page
    response = client.post(f"/bulletins/{bulletin_id}/send", follow_redirects=True)
    shown = text_of(response)
    errors = re.findall(r'<div class="flash flash-error" role="alert">([^<]*)</div>', shown)
    assert errors == ["Không gửi được: không kết nối được máy chủ NATS của tỉnh. Bản tin vẫn là bản nháp, chưa gửi "
                      "cho đài nào; hãy thử lại khi máy chủ hoạt động."]
    assert "Traceback" not in shown
    assert bulletin_rows(hub) == [(bulletin_id, "draft", None)]
    assert hub.db.execute("SELECT count(*) FROM sends").fetchone()[0] == 0
    assert hub.db.execute("SELECT count(*) FROM audit WHERE action = 'bulletin.approve'").fetchone()[0] == 0


def test_a_viewer_only_reads(as_role, hub):
    bulletin_id = draft(hub)
    client = as_role("viewer")
    assert client.get("/bulletins/").status_code == 200
    assert "Viết bản tin" not in text_of(client.get("/bulletins/"))
    assert client.post("/bulletins/new", data={"title": "T", "text": "X", "cls": "thuong", "to": "all"}).status_code == 403
    assert client.post(f"/bulletins/{bulletin_id}/send").status_code == 403
    assert bulletin_rows(hub) == [(bulletin_id, "draft", None)]


# -- the projection shown --------------------------------------------------------------------
def up(hub, seq, code, kind, data):
    return apply_up(hub.db, Message(up_subject(code, kind), data, seq=seq, at=f"2026-12-08T01:{seq:02d}:00.000+00:00",
                                    msg_id=f"{code}.{kind}.{seq}"))


@pytest.fixture
def projected(hub, clock):
    """A khẩn cấp approved and delivered to the three stations: XA01 aired it, XA02 scheduled it,
    XA03 only received it and its chain has an edited entry."""
    bulletin_id = draft(hub)
    approve(hub.db, bulletin_id, by="Trần Văn Thẩm", now=START)
    for code in ("XA01", "XA02", "XA03"):
        hub.db["sends"].insert({"bulletin_id": bulletin_id, "station": code, "sent_at": "2026-12-08T01:00:00.000+00:00"})
        record_delivered(hub.db, bulletin_id, code, seq={"XA01": 1, "XA02": 2, "XA03": 3}[code],
                         sent_at="2026-12-08T01:00:00.000+00:00")
    seq = iter(range(1, 100))
    one, three = FakeLog("XA01"), FakeLog("XA03")
    entry = one.append(title="Bão số 3")
    up(hub, next(seq), "XA01", "heartbeat", heartbeat(START))
    up(hub, next(seq), "XA01", "ack", ack(bulletin_id, "received", START))
    up(hub, next(seq), "XA01", "proof", proof(entry))
    up(hub, next(seq), "XA01", "ack", aired(bulletin_id, entry, START))
    up(hub, next(seq), "XA02", "ack", ack(bulletin_id, "received", START))
    up(hub, next(seq), "XA02", "ack", ack(bulletin_id, "scheduled", START, scheduled_for="2026-12-08T10:00:00.000+00:00"))
    up(hub, next(seq), "XA03", "ack", ack(bulletin_id, "received", START))
    up(hub, next(seq), "XA03", "proof", proof(three.append(), reason="đã sửa"))
    return bulletin_id, entry


def test_the_stations_page_shows_online_heartbeats_in_hanoi_time_and_the_chains(as_role, projected):
    shown = text_of(as_role("viewer").get("/stations/"))
    xa01 = re.search(r'data-code="XA01">(.*?)</tr>', shown)[1]
    assert "Xã XA01" in xa01 and "bac" in xa01 and "trực tuyến" in xa01 and "08/12/2026 08:00" in xa01
    assert "đã xác minh (1 mục)" in xa01
    xa02 = re.search(r'data-code="XA02">(.*?)</tr>', shown)[1]
    assert "mất kết nối" in xa02 and "chưa có" in xa02
    xa03 = re.search(r'data-code="XA03">(.*?)</tr>', shown)[1]
    assert "1 cảnh báo" in xa03
    alerts = text_of(as_role("viewer").get("/alerts/"))
    assert "XA03" in alerts and "mục bị sửa" in alerts


def test_the_bulletin_pages_show_each_station_state(as_role, projected):
    bulletin_id, entry = projected
    client = as_role("viewer")
    listing = text_of(client.get("/bulletins/"))
    row = re.search(rf'data-id="{bulletin_id}">(.*?)</tr>', listing)[1]
    assert "khẩn cấp" in row and "prio-urgent" in row and "đã duyệt" in row
    assert "<td>3/3</td> <td>1/3</td>" in row  # delivered to three, aired at one
    shown = text_of(client.get(f"/bulletins/{bulletin_id}"))
    assert "Duyệt bởi Trần Văn Thẩm" in shown and "Duyệt và gửi" not in shown
    xa01 = re.search(r'data-code="XA01">(.*?)</tr>', shown)[1]
    assert "đã phát" in xa01 and f"mục {entry[0]['id']}" in xa01 and entry[0]["hash"][:12] in xa01
    assert "(đã xác minh)" in xa01
    xa02 = re.search(r'data-code="XA02">(.*?)</tr>', shown)[1]
    assert "đã xếp lịch" in xa02 and "phát lúc 08/12/2026 17:00" in xa02
    xa03 = re.search(r'data-code="XA03">(.*?)</tr>', shown)[1]
    assert "đã nhận" in xa03


def test_an_unknown_bulletin_is_a_vietnamese_404(as_role):
    response = as_role("viewer").get("/bulletins/P-20990101-0001")
    assert response.status_code == 404 and "Không tìm thấy" in text_of(response)


# -- the admin's pages -----------------------------------------------------------------------
def test_an_admin_registers_a_station_and_downloads_its_join_file(as_role, hub):
    client = as_role("admin")
    response = client.post("/stations/add", data={"code": "xa-moi", "name": "Xã Mới", "zone": "nam"},
                           follow_redirects=True)
    assert "Đã đăng ký đài XA-MOI." in text_of(response)
    assert hub.db.execute("SELECT name, zone, added_by FROM stations WHERE code = 'XA-MOI'").fetchone() == (
        "Xã Mới", "nam", "admin")
    join = client.get("/stations/XA-MOI/join")
    assert join.status_code == 200
    assert join.data == (hub.home.root / "joins" / "XA-MOI.creds").read_bytes()
    assert "attachment" in join.headers["Content-Disposition"]
    assert hub.db.execute("SELECT action, target FROM audit WHERE action = 'station.add'").fetchall() == [
        ("station.add", "station:XA-MOI")]
    again = client.post("/stations/add", data={"code": "XA-MOI", "name": "Xã Mới"}, follow_redirects=True)
    assert "Không đăng ký được đài" in text_of(again)
    assert as_role("leader").post("/stations/add", data={"code": "XA-KHAC", "name": "Xã Khác"}).status_code == 403
    assert hub.db.execute("SELECT count(*) FROM stations").fetchone()[0] == 4


def test_an_admin_sees_the_accounts_with_their_province_roles(as_role):
    shown = text_of(as_role("admin").get("/stations/accounts"))
    assert "Ban biên tập thẩm định" in shown and "Trần Văn Thẩm" in shown and "Biên tập viên" in shown


def test_a_demo_login_works_only_in_the_demo(app, hub):
    from radio.hub.accounts import add_hub_user

    add_hub_user(hub.db, username="bientap", password="SoanTin-Tinh-2026", role="editor", now=START,
                 province=hub.province, demo=True)
    for demo, expected in ((False, "tài khoản thử nghiệm"), (True, None)):
        app.config["DEMO"] = demo
        client = app.test_client()
        page = client.get("/auth/login")
        response = client.post("/auth/login", data={"username": "bientap", "password": "SoanTin-Tinh-2026",
                                                    "csrf_token": csrf_of(page)})
        if expected:
            assert expected in text_of(response)
        else:
            assert response.status_code == 302
