"""The province's monthly report from hub.db alone, filled through the projection from the
stations' messages: who met the target, how each provincial bulletin aired, the chains;
the XLSX read back by openpyxl, the DOCX by python-docx."""

from datetime import UTC, datetime, timedelta

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from radio.clock import to_utc_text
from radio.hub import Message, Targets, add_station, apply_down, apply_up, approve, write_bulletin
from radio.hub.report import build, export
from radio.hub.sending import copy_for
from radio.hub.bulletins import get
from radio.network.subjects import down_subject, up_subject
from radio.reports import periods
from tests.support.station_log import T0, FakeLog, ack, aired, heartbeat, proof

pytestmark = pytest.mark.timeout(60)

DECEMBER = periods.parse("2026-12")
NOW = datetime(2027, 1, 2, 2, 0, tzinfo=UTC)  # 09:00 on 2 January in Hanoi: December has ended
SPEAKERS = {"output": "pulse:loa", "output_kind": "pulse"}


class Province:
    """RADIO_UP and RADIO_DOWN as the hub's consumer would apply them."""

    def __init__(self, hub):
        self.hub, self.up, self.down = hub, 0, 0

    def send_up(self, code, kind, data, at=T0):
        self.up += 1
        assert apply_up(self.hub.db, Message(up_subject(code, kind), data, seq=self.up, at=to_utc_text(at),
                                             msg_id=f"{code}.{kind}.{self.up}")) in ("applied", "duplicate")

    def bulletin(self, title, *, to, sent, cls="thuong", topic="cchc"):
        bulletin_id = write_bulletin(self.hub.db, cls=cls, title=title, text=f"{title}.", topic=topic,
                                     targets=Targets.parse(to), now=sent)
        approve(self.hub.db, bulletin_id, by="Nguyễn Văn A", now=sent)
        row = get(self.hub.db, bulletin_id)
        for code in to.split(","):
            self.down += 1
            apply_down(self.hub.db, Message(down_subject(code, "bulletin"),
                                            copy_for(self.hub, row, code, to_utc_text(sent)), seq=self.down))
        return bulletin_id


@pytest.fixture
def province(hub, tmp_path, hub_clock):
    for code, name in (("XA-TAN-AN", "Xã Tân An"), ("XA-BINH-MINH", "Xã Bình Minh"), ("XA-HOA-LAC", "Xã Hòa Lạc")):
        add_station(hub, code, name=name, join_path=tmp_path / f"{code}.creds", now=hub_clock.now())
    p = Province(hub)
    # a bulletin of November: not in December's report
    p.bulletin("Tin tháng trước", to="XA-TAN-AN", sent=datetime(2026, 11, 20, 1, 0, tzinfo=UTC))
    p.bid = p.bulletin("Thông báo cải cách hành chính", to="XA-TAN-AN,XA-BINH-MINH,XA-HOA-LAC", sent=T0)

    # Tân An: aires the province's CCHC bulletin to its loudspeakers: the target is met
    tan_an = FakeLog("XA-TAN-AN")
    p.send_up("XA-TAN-AN", "ack", ack(p.bid, "received", T0 + timedelta(seconds=2)))
    entry = tan_an.append(title="Thông báo cải cách hành chính", **SPEAKERS)
    p.send_up("XA-TAN-AN", "proof", proof(entry))
    p.send_up("XA-TAN-AN", "ack", aired(p.bid, entry, T0 + timedelta(minutes=11)))
    p.send_up("XA-TAN-AN", "heartbeat", heartbeat(NOW - timedelta(minutes=1)))

    # Bình Minh: CCHC only to a file, a storm warning to loudspeakers, a partial CCHC: not met
    binh_minh = FakeLog("XA-BINH-MINH")
    for made in (binh_minh.append(title="Thủ tục hành chính mới"),
                 binh_minh.append(title="Cảnh báo bão số 9", topic="thien-tai", **SPEAKERS),
                 binh_minh.append(title="Dịch vụ công trực tuyến", status="partial", reason="mất điện", **SPEAKERS)):
        p.send_up("XA-BINH-MINH", "proof", proof(made))
    p.send_up("XA-BINH-MINH", "ack", ack(p.bid, "received", T0 + timedelta(seconds=3)))

    # Hòa Lạc: the bulletin expired before it aired; its chain has a gap
    hoa_lac = FakeLog("XA-HOA-LAC")
    p.send_up("XA-HOA-LAC", "ack", ack(p.bid, "received", T0 + timedelta(seconds=4)))
    p.send_up("XA-HOA-LAC", "proof", proof(hoa_lac.append(title="Bản tin", **SPEAKERS)))
    p.send_up("XA-HOA-LAC", "proof", proof(hoa_lac.append(title="Bản tin", topic="y-te", skip=1, **SPEAKERS)),
              at=T0 + timedelta(hours=2))
    p.send_up("XA-HOA-LAC", "ack", ack(p.bid, "expired", T0 + timedelta(days=3), reason="its window ended on 2026-12-10"))
    p.logs = {"XA-TAN-AN": tan_an, "XA-BINH-MINH": binh_minh, "XA-HOA-LAC": hoa_lac}
    return p


def test_the_report_says_who_met_the_target_and_how_the_bulletin_aired(hub, province):
    report = build(hub, DECEMBER, now=NOW)
    by_code = {s["code"]: s for s in report.stations}
    assert {c: (s["name"], s["entries_in_month"], s["counted"], s["result"]) for c, s in by_code.items()} == {
        "XA-TAN-AN": ("Xã Tân An", 1, 1, "met"),
        "XA-BINH-MINH": ("Xã Bình Minh", 3, 0, "missed"),  # a file output, a storm warning, a partial
        "XA-HOA-LAC": ("Xã Hòa Lạc", 2, 1, "met"),
    }
    assert by_code["XA-TAN-AN"]["online"] and not by_code["XA-BINH-MINH"]["online"]
    assert by_code["XA-HOA-LAC"]["chain"]["alerts"] == 1 and by_code["XA-TAN-AN"]["chain"]["verified"]
    assert report.met == 2

    [bulletin] = report.bulletins  # November's is left out
    assert bulletin["id"] == province.bid and bulletin["approved_by"] == "Nguyễn Văn A"
    copies = {c["code"]: c for c in bulletin["stations"]}
    [outcome] = copies["XA-TAN-AN"]["outcomes"]
    tan_an = province.logs["XA-TAN-AN"].entries[0][0]
    assert (outcome["state"], outcome["entry_id"], outcome["entry_hash"], outcome["verified"]) == (
        "aired", 1, tan_an["hash"], True)
    assert [o["state"] for o in copies["XA-HOA-LAC"]["outcomes"]] == ["expired"]
    assert copies["XA-BINH-MINH"]["outcomes"] == [] and copies["XA-BINH-MINH"]["state"] == "received"
    assert [(a["station"], a["kind"], a["entry_id"]) for a in report.alerts] == [("XA-HOA-LAC", "gap", 3)]


def test_a_higher_target_and_a_month_still_running(hub, province):
    report = build(hub, DECEMBER, now=NOW, minimum=2)
    assert {s["code"]: s["result"] for s in report.stations} == {
        "XA-TAN-AN": "missed", "XA-BINH-MINH": "missed", "XA-HOA-LAC": "missed"}
    running = build(hub, DECEMBER, now=T0 + timedelta(days=1))
    assert {s["code"]: s["result"] for s in running.stations}["XA-BINH-MINH"] == "at risk"
    assert build(hub, periods.parse("2026-11"), now=NOW).bulletins[0]["title"] == "Tin tháng trước"


def test_an_edited_entry_does_not_count(hub, tmp_path):
    add_station(hub, "XA-SUA", name="Xã Sửa", join_path=tmp_path / "s.creds", now=T0)
    p = Province(hub)
    log = FakeLog("XA-SUA")
    p.send_up("XA-SUA", "proof", proof(log.append(status="failed", **SPEAKERS), status="aired"))
    [station] = build(hub, DECEMBER, now=NOW).stations
    assert (station["entries_in_month"], station["counted"], station["chain"]["alerts"]) == (1, 0, 1)


def test_a_correction_stands_on_the_entry_it_corrects_even_from_the_next_month(hub, tmp_path):
    add_station(hub, "XA-DINH-CHINH", name="Xã Đính Chính", join_path=tmp_path / "d.creds", now=T0)
    p = Province(hub)
    log = FakeLog("XA-DINH-CHINH")
    p.send_up("XA-DINH-CHINH", "proof", proof(log.append(**SPEAKERS)))
    assert build(hub, DECEMBER, now=NOW).stations[0]["counted"] == 1
    p.send_up("XA-DINH-CHINH", "proof", proof(log.append(kind="correction", corrects_id=1, status="missed",
                                                         scheduled_at="2027-01-01T02:00:00.000+00:00", **SPEAKERS)))
    [station] = build(hub, DECEMBER, now=NOW).stations
    assert (station["entries_in_month"], station["counted"], station["result"]) == (1, 0, "missed")


def test_the_xlsx_has_one_sheet_per_part_with_a_frozen_filtered_header(hub, province, tmp_path):
    path = tmp_path / "bao-cao-12-2026.xlsx"
    export(hub, path, "xlsx", DECEMBER, now=NOW)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Chỉ tiêu các xã", "Tin từ tỉnh", "Chuỗi xác thực", "Cảnh báo", "Thông tin"]
    for name in wb.sheetnames[:4]:
        ws = wb[name]
        assert ws.freeze_panes == "A2" and ws["A1"].font.b
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    rows = {r[0]: r for r in wb["Chỉ tiêu các xã"].iter_rows(min_row=2, values_only=True)}
    assert rows["XA-TAN-AN"][1:] == ("Xã Tân An", "có", datetime(2027, 1, 2, 8, 59), 1, 1, 1, "Đạt", "đã xác thực")
    assert rows["XA-BINH-MINH"][4:8] == (3, 0, 1, "Không đạt")
    assert rows["XA-HOA-LAC"][8] == "1 cảnh báo"
    aired_rows = {r[6]: r for r in wb["Tin từ tỉnh"].iter_rows(min_row=2, values_only=True)}
    tan_an = province.logs["XA-TAN-AN"].entries[0][0]
    assert aired_rows["XA-TAN-AN"][:3] == (province.bid, "thông thường", "Thông báo cải cách hành chính")
    assert aired_rows["XA-TAN-AN"][8:14] == ("có", datetime(2026, 12, 8, 8, 0, 2), "đã phát", 1, tan_an["hash"][:12],
                                             "có")
    assert aired_rows["XA-HOA-LAC"][10:12] == ("hết hạn", None) and aired_rows["XA-HOA-LAC"][14] == (
        "đã hết thời hạn phát (ngày 10/12/2026)")
    assert aired_rows["XA-BINH-MINH"][10] == "đã nhận"
    heads = {r[0]: r for r in wb["Chuỗi xác thực"].iter_rows(min_row=2, values_only=True)}
    assert heads["XA-TAN-AN"][2:5] == (1, 1, tan_an["hash"])
    assert heads["XA-HOA-LAC"][2:4] == (2, 3)
    [alert] = list(wb["Cảnh báo"].iter_rows(min_row=2, values_only=True))
    assert alert[1:6] == ("XA-HOA-LAC", "thiếu mục", 3, "mục 2 không về đến tỉnh trước mục 3",
                          "entry 2 never arrived before entry 3")


def test_the_docx_is_in_the_decree_layout_with_repeated_table_headers(hub, province, tmp_path):
    path = tmp_path / "bao-cao-12-2026.docx"
    export(hub, path, "docx", DECEMBER, now=NOW, settings={"report_number": "15", "report_signer": "Trần Văn B"})
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text
    assert "Kết quả tuyên truyền trên hệ thống truyền thanh cơ sở tháng 12/2026" in text
    assert "Có 2/3 xã đạt chỉ tiêu tháng 12/2026." in text
    head = doc.tables[0]
    assert head.cell(0, 0).text.startswith("UBND TỈNH THỬ")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head.cell(0, 1).text and "Độc lập - Tự do - Hạnh phúc" in head.cell(0, 1).text
    assert head.cell(1, 0).text == "Số: 15/BC-UBND" and head.cell(1, 1).text == "Thử, ngày 02 tháng 01 năm 2027"
    targets_table, bulletin_table, chain_table, alert_table = doc.tables[1:5]
    for table in (targets_table, bulletin_table, chain_table, alert_table):
        header_row = table.rows[0]._tr
        assert header_row.trPr is not None and header_row.trPr.find(qn("w:tblHeader")) is not None
    rows = [[c.text for c in r.cells] for r in targets_table.rows]
    assert rows[0][:3] == ["STT", "Mã đài", "Tên xã"]
    assert ["1", "XA-BINH-MINH", "Xã Bình Minh", "không", "3", "0", "1", "Không đạt", "đã xác thực"] in rows
    tan_an = province.logs["XA-TAN-AN"].entries[0][0]
    copies = [[c.text for c in r.cells] for r in bulletin_table.rows]
    assert ["XA-TAN-AN", "Xã Tân An", "có", "08/12/2026 08:00", "đã phát", "1", tan_an["hash"][:12], "có"] in copies
    assert any(r[0] == "XA-HOA-LAC" and r[4] == "hết hạn: đã hết thời hạn phát (ngày 10/12/2026)"
               for r in copies)
    assert [c.text for c in chain_table.rows[3].cells][:4] == ["XA-TAN-AN", "Xã Tân An", "1", "1"]
    assert [c.text for c in alert_table.rows[1].cells][1:] == [
        "XA-HOA-LAC", "thiếu mục", "3", "mục 2 không về đến tỉnh trước mục 3"]
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in bulletin_table.rows[1:])
    sign = doc.tables[-1]
    assert "Nơi nhận:" in sign.cell(0, 0).text
    assert "TM. ỦY BAN NHÂN DÂN" in sign.cell(0, 1).text and "Trần Văn B" in sign.cell(0, 1).text


def test_a_failed_write_leaves_no_file(hub, province, tmp_path, monkeypatch):
    from radio.hub import report as module

    def broken(report, path):
        path.write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(module, "write_xlsx", broken)
    with pytest.raises(OSError):
        export(hub, tmp_path / "r.xlsx", "xlsx", DECEMBER, now=NOW)
    assert list(tmp_path.glob("*r.xlsx*")) == []
