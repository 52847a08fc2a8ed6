"""The province's monthly report, from ``hub.db`` alone (what the stations sent up).

:func:`build` gathers it for a month (Asia/Ho_Chi_Minh dates) in three parts:

- **the communes' targets**: each station (registered name and code, online at the
  report's time), its proof entries of the month held by the hub, the airings that count
  toward the target, counted by the commune's own rule
  (:func:`radio.reports.targets.count_entries`: aired whole, a completed item of the
  topic, reached loudspeakers: not a file output) over the entries as the station sent
  them, leaving out any the hub found edited or forked; the target (at least *minimum*
  a month, by default the plans' one CCHC bulletin) met or not; the chain's verdict;
- **the provincial bulletins** sent in the month: class, title, approval, when sent, and
  at each station delivered, received and what became of it on air (aired, partial,
  failed, missed, expired, refused) with the proof entry's id and hash, and whether the
  hub holds that entry in a verified chain;
- **the chain of custody**: each station's head as the hub holds it at the report's
  time, and the alerts (gap, fork, edit, a message that is not one) raised in the month.

:func:`export` writes it as XLSX (one sheet per part, the commune's streaming writer) or
DOCX (the Nghị định 30/2020 layout of the commune's report, :mod:`radio.reports.docx_layout`),
whole or not at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from radio.clock import from_utc_text, local
from radio.errors import ValidationError
from radio.hub.status import status as hub_status
from radio.reports import docx_layout as layout, targets
from radio.reports.csv_export import neutralise
from radio.reports.exports import written_whole
from radio.reports.periods import Period
from radio.reports.sheet_writer import Styled, Workbook
from radio.wording.reasons import shown

TOPIC = "cchc"
#: the plans' target: "định kỳ hàng tháng có ít nhất một tin bài"
MINIMUM = 1
FORMATS = ("xlsx", "docx")
TITLE = "Kết quả tuyên truyền trên hệ thống truyền thanh cơ sở"

CLASS_VI = {"thuong": "thông thường", "uu-tien": "ưu tiên", "khan-cap": "khẩn cấp"}
STATE_VI = {"aired": "đã phát", "partial": "phát dở", "failed": "lỗi", "missed": "bị lỡ", "expired": "hết hạn",
            "refused": "từ chối", "received": "đã nhận", "scheduled": "đã xếp lịch", "delivered": "đã gửi đến",
            "not delivered": "chưa gửi đến"}
ALERT_VI = {"gap": "thiếu mục", "fork": "rẽ nhánh", "edit": "bị sửa", "bad-message": "tin không hợp lệ"}
RESULT_VI = {"met": "Đạt", "missed": "Không đạt", "at risk": "Chưa đạt", "upcoming": "Chưa đến kỳ"}
COUNTING_RULE_VI = (targets.COUNTING_RULE_VI + " Tỉnh tính trên các mục nhật ký do đài xã gửi về; "
                    "mục bị sửa hoặc rẽ nhánh (không khớp chuỗi mã băm) không được tính.")
_NOT_EVIDENCE = ("edited", "forked")


@dataclass(frozen=True)
class Report:
    province: str
    period: Period
    now: datetime
    topic: str
    minimum: int
    stations: list[dict]
    bulletins: list[dict]
    alerts: list[dict]

    @property
    def month_vi(self) -> str:
        """``tháng 12/2026`` (two-digit month, as the title has it)."""
        return f"tháng {self.period.start:%m/%Y}"

    @property
    def met(self) -> int:
        return sum(s["result"] == "met" for s in self.stations)


def _in(period_bounds: tuple[datetime, datetime], text: str | None) -> bool:
    return bool(text) and period_bounds[0] <= from_utc_text(text) < period_bounds[1]


def _station_entries(db, code: str, bounds: tuple[str, str]) -> tuple[int, list[tuple[dict, list[dict]]]]:
    """The station's entries of the month held (their number), and those the target may
    count with every correction the station sent (a correction stands on an older entry too)."""
    held, evidence = 0, []
    for row in db.query(
            "SELECT entry, items, verdict, scheduled_at >= ? AND scheduled_at < ? AS inside FROM station_entries "
            "WHERE station = ? AND ((scheduled_at >= ? AND scheduled_at < ?) "
            "OR json_extract(entry, '$.kind') = 'correction') ORDER BY id",
            [*bounds, code, *bounds]):
        entry = json.loads(row["entry"])
        if row["inside"] and entry.get("kind") != "correction":
            held += 1
        if row["verdict"] not in _NOT_EVIDENCE:
            evidence.append((entry, json.loads(row["items"])))
    return held, evidence


def build(hub, period: Period, *, now: datetime, minimum: int = MINIMUM, topic: str = TOPIC) -> Report:
    """The report for *period* (a month) at *now* (see the module)."""
    if period.kind != "month":
        raise ValidationError("The province's report is monthly: give --month YYYY-MM.")
    if minimum < 1:
        raise ValidationError("A target's minimum must be at least 1.")
    found = hub_status(hub, now=now)
    text_bounds = period.utc_bounds()
    bounds = (from_utc_text(text_bounds[0]), from_utc_text(text_bounds[1]))
    names = {s["code"]: s["name"] for s in found["stations"]}
    stations = []
    for station in found["stations"]:
        held, evidence = _station_entries(hub.db, station["code"], text_bounds)
        counted = targets.count_entries(evidence, topic, period)
        stations.append({**station, "entries_in_month": held, "counted": counted, "minimum": minimum,
                         "result": targets.status(counted, minimum, period, now)})
    bulletins = []
    for bulletin in found["bulletins"]:
        if not _in(bounds, bulletin["sent_at"]):
            continue
        copies = [{**copy, "name": names.get(copy["code"])} for copy in bulletin["stations"]]
        bulletins.append({**bulletin, "stations": copies})
    alerts = [a for a in found["alerts"] if _in(bounds, a["at"])]
    return Report(found["province"], period, now, topic, minimum, stations, bulletins, alerts)


# -- wording shared by both formats ---------------------------------------------------------------
def alert_vi(alert: dict) -> str:
    """What an alert says, in Vietnamese (the hub records it in English: :mod:`radio.hub.chain`)."""
    number, detail = alert["entry_id"], alert["detail"] or ""
    if alert["kind"] == "gap":
        missing = re.match(r"entr(?:y (\d+)|ies (\d+)–(\d+)) never arrived", detail)
        if missing and missing[1]:
            return f"mục {missing[1]} không về đến tỉnh trước mục {number}"
        if missing:
            return f"các mục {missing[2]}–{missing[3]} không về đến tỉnh trước mục {number}"
        return f"thiếu mục nhật ký trước mục {number}"
    if alert["kind"] == "fork":
        return (f"mục {number} không nối tiếp chuỗi tỉnh đã nhận: nhật ký của đài rẽ nhánh hoặc bị ghi lại")
    if alert["kind"] == "edit":
        return f"nội dung mục {number} không khớp mã băm của nó: mục đã bị sửa sau khi ghi"
    if alert["kind"] == "bad-message":
        return "một tin đài gửi lên không đúng giao thức, không được ghi nhận"
    return detail


def chain_verdict(chain: dict) -> str:
    return "đã xác thực" if chain["verified"] else f"{chain['alerts']} cảnh báo"


def copy_rows(copy: dict) -> list[dict]:
    """What became of one copy, a row per outcome (an airing, a repeat, an expiry); a copy with
    none yet has one row with its last state."""
    base = {"code": copy["code"], "name": copy["name"] or "", "delivered": copy["delivered"],
            "received_at": copy["received_at"]}
    if not copy["outcomes"]:
        return [{**base, "state": copy["state"], "at": copy["state_at"], "entry_id": None, "hash": "",
                 "verified": None, "reason": shown(copy["reason"]) if copy["reason"] else ""}]
    return [{**base, "state": o["state"], "at": o["at"], "entry_id": o["entry_id"],
             "hash": (o["entry_hash"] or "")[:12], "verified": o["verified"] if o["entry_id"] is not None else None,
             "reason": shown(o["reason"]) if o["reason"] else ""} for o in copy["outcomes"]]


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("có" if value else "không")


def when_vi(text: str | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    return local(from_utc_text(text)).strftime(fmt) if text else ""


def province_words(province: str) -> tuple[str, str, str]:
    """(issuing body, place, the body's name in a sentence) for a province's name:
    ``Tỉnh Thử`` → ``UBND TỈNH THỬ``, ``Thử``, ``Ủy ban nhân dân tỉnh Thử``."""
    name = " ".join(province.split()) or "province"
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.lower().startswith(prefix.lower()):
            place = name[len(prefix):]
            return f"UBND {name.upper()}", place, f"Ủy ban nhân dân {prefix.lower()}{place}"
    return f"UBND TỈNH {name.upper()}", name, f"Ủy ban nhân dân tỉnh {name}"


def settings_for(report: Report, given: dict | None = None) -> dict:
    """The DOCX's heading and signer block: the province's defaults, then *given* (non-empty)."""
    issuer, place, _ = province_words(report.province)
    settings = {"report_issuer": issuer, "report_place": place, "report_number": "",
                "report_authority": "TM. ỦY BAN NHÂN DÂN", "report_signer_title": "CHỦ TỊCH", "report_signer": "",
                "report_recipients": "Bộ Văn hóa, Thể thao và Du lịch; Sở Văn hóa, Thể thao và Du lịch; "
                                     "UBND các xã, phường; Lưu: VT"}
    settings.update({k: v for k, v in (given or {}).items() if v})
    return settings


# -- XLSX --------------------------------------------------------------------------------------------
def _serial(text: str | None):
    return Styled(local(from_utc_text(text)).replace(tzinfo=None), "datetime") if text else None


def write_xlsx(report: Report, path: Path) -> None:
    """One sheet per part (row 1 its header, bold, frozen, with an autofilter), and the report's facts."""
    def header(sheet, names):
        sheet.append([Styled(n, "bold") for n in names])

    with Workbook(path) as wb:
        ws = wb.sheet("Chỉ tiêu các xã", widths=[14, 24, 10, 18, 12, 14, 9, 16, 16], freeze_header=True,
                      autofilter=True)
        header(ws, ["Mã đài", "Tên xã", "Trực tuyến", "Nhịp tim cuối", "Số mục nhật ký trong tháng",
                    f"Số buổi phát {targets.topic_label(report.topic)} ra loa", "Chỉ tiêu", "Kết quả",
                    "Chuỗi nhật ký"])
        for s in report.stations:
            ws.append([neutralise(s["code"]), neutralise(s["name"] or "(chưa đăng ký)"),
                       yes_no(s["online"]), _serial(s["last_heartbeat"]), s["entries_in_month"], s["counted"],
                       s["minimum"], RESULT_VI[s["result"]], chain_verdict(s["chain"])])

        ws = wb.sheet("Tin từ tỉnh", widths=[17, 12, 30, 20, 18, 18, 14, 24, 10, 18, 12, 10, 14, 18, 24],
                      freeze_header=True, autofilter=True)
        header(ws, ["Mã tin", "Loại", "Tiêu đề", "Người duyệt", "Duyệt lúc", "Gửi lúc", "Mã đài", "Tên xã",
                    "Đã gửi đến", "Đã nhận lúc", "Kết quả", "Mục nhật ký", "Mã băm (12 ký tự)",
                    "Mục trong chuỗi đã xác thực", "Lý do"])
        for b in report.bulletins:
            head = [b["id"], CLASS_VI.get(b["class"], b["class"]), neutralise(b["title"] or ""),
                    neutralise(b["approved_by"] or ""), _serial(b["approved_at"]), _serial(b["sent_at"])]
            for copy in b["stations"]:
                for row in copy_rows(copy):
                    ws.append([*head, neutralise(row["code"]), neutralise(row["name"]), yes_no(row["delivered"]),
                               _serial(row["received_at"]), STATE_VI.get(row["state"], row["state"]),
                               row["entry_id"], row["hash"], yes_no(row["verified"]), neutralise(row["reason"])])

        ws = wb.sheet("Chuỗi xác thực", widths=[14, 24, 10, 10, 68, 16], freeze_header=True, autofilter=True)
        header(ws, ["Mã đài", "Tên xã", "Số mục", "Mục cuối", "Mã băm đầu chuỗi", "Kết quả kiểm tra"])
        for s in report.stations:
            chain = s["chain"]
            ws.append([neutralise(s["code"]), neutralise(s["name"] or ""), chain["entries"], chain["last_id"],
                       chain["head_hash"] or "", chain_verdict(chain)])

        ws = wb.sheet("Cảnh báo", widths=[18, 14, 16, 10, 60, 60], freeze_header=True, autofilter=True)
        header(ws, ["Thời điểm", "Mã đài", "Loại", "Mục", "Chi tiết", "Ghi nhận của hệ thống (tiếng Anh)"])
        for a in report.alerts:
            ws.append([_serial(a["at"]), neutralise(a["station"]), ALERT_VI.get(a["kind"], a["kind"]),
                       a["entry_id"], neutralise(alert_vi(a)), neutralise(a["detail"])])

        ws = wb.sheet("Thông tin", widths=[30, 90])
        _, _, body = province_words(report.province)
        for name, value in (("Báo cáo", f"{TITLE} {report.month_vi}"), ("Đơn vị", body),
                            ("Kỳ báo cáo", f"từ ngày {report.period.start:%d/%m/%Y} đến ngày "
                                           f"{report.period.last_day:%d/%m/%Y}"),
                            ("Lập lúc", f"{local(report.now):%d/%m/%Y %H:%M}"),
                            ("Chỉ tiêu", targets.describe_vi({"minimum": report.minimum, "topic": report.topic,
                                                               "period": "month"})),
                            ("Số xã đạt chỉ tiêu", f"{report.met}/{len(report.stations)}"),
                            ("Cách tính", COUNTING_RULE_VI)):
            ws.append([Styled(name, "bold"), neutralise(value)])


# -- DOCX --------------------------------------------------------------------------------------------
def build_docx(report: Report, settings: dict):
    """The report as a python-docx Document in the Nghị định 30/2020 layout."""
    _, _, body = province_words(report.province)
    period = report.period
    doc = layout.document()
    layout.heading(doc, issuer=settings["report_issuer"], number=settings["report_number"],
                   place=settings["report_place"], now=report.now)
    layout.title(doc, f"{TITLE} {report.month_vi}")
    layout.para(doc, f"{body} báo cáo kết quả tuyên truyền trên hệ thống truyền thanh cơ sở {report.month_vi}, "
                     f"từ ngày {period.start:%d/%m/%Y} đến ngày {period.last_day:%d/%m/%Y}, theo nhật ký phát "
                     "và các xác nhận mà đài truyền thanh các xã gửi về hệ thống thông tin nguồn cấp tỉnh, như sau:")

    layout.para(doc, "I. KẾT QUẢ THỰC HIỆN CHỈ TIÊU CỦA CÁC XÃ", bold=True, indent=False)
    target = targets.describe_vi({"minimum": report.minimum, "topic": report.topic, "period": "month"})
    layout.para(doc, f"Chỉ tiêu: {target[0].lower()}{target[1:]} trên hệ thống loa truyền thanh. "
                     f"Có {report.met}/{len(report.stations)} xã đạt chỉ tiêu {report.month_vi}.")
    layout.para(doc, COUNTING_RULE_VI, 13, italic=True)
    topic = targets.topic_label(report.topic)
    layout.grid(doc, ["STT", "Mã đài", "Tên xã", "Trực tuyến", "Số mục nhật ký", f"Số buổi phát {topic} ra loa",
                      "Chỉ tiêu", "Kết quả", "Chuỗi nhật ký"],
                [[n, s["code"], s["name"] or "(chưa đăng ký)", yes_no(s["online"]), s["entries_in_month"],
                  s["counted"], s["minimum"], RESULT_VI[s["result"]], chain_verdict(s["chain"])]
                 for n, s in enumerate(report.stations, 1)],
                [1.2, 2.4, 2.7, 1.6, 1.6, 1.7, 1.3, 1.9, 2.1], size=11)

    layout.para(doc, "", after=0, indent=False)
    layout.para(doc, "II. TIN TỪ TỈNH VÀ KẾT QUẢ PHÁT TẠI CÁC XÃ", bold=True, indent=False)
    if not report.bulletins:
        layout.para(doc, f"Tỉnh không gửi tin bài nào xuống các xã trong {report.month_vi}.")
    for n, b in enumerate(report.bulletins, 1):
        approved = (f"duyệt bởi {b['approved_by']} lúc {when_vi(b['approved_at'])}" if b["approved_by"]
                    else "chưa duyệt")
        aired = sum(any(o["state"] == "aired" for o in c["outcomes"]) for c in b["stations"])
        layout.para(doc, f"{n}. Tin {b['id']} ({CLASS_VI.get(b['class'], b['class'])}): \u201c{b['title']}\u201d",
                    bold=True, indent=False)
        layout.para(doc, f"{approved[0].upper()}{approved[1:]}; gửi lúc {when_vi(b['sent_at'])}; đã gửi đến "
                         f"{b['delivered']}/{len(b['stations'])} đài, đã phát tại {aired}/{len(b['stations'])} đài.")
        rows = []
        for copy in b["stations"]:
            for row in copy_rows(copy):
                result = STATE_VI.get(row["state"], row["state"])
                if row["reason"]:
                    result += f": {row['reason']}"
                rows.append([row["code"], row["name"], yes_no(row["delivered"]), when_vi(row["received_at"]),
                             result, "" if row["entry_id"] is None else row["entry_id"], row["hash"],
                             yes_no(row["verified"])])
        layout.grid(doc, ["Mã đài", "Tên xã", "Đã gửi đến", "Đã nhận lúc", "Kết quả", "Mục nhật ký",
                          "Mã băm", "Đã xác thực"],
                    rows, [2.3, 2.4, 1.3, 2.1, 2.7, 1.3, 2.9, 1.5], size=11)
        layout.para(doc, "", after=0, indent=False)

    layout.para(doc, "III. CHUỖI XÁC THỰC NHẬT KÝ PHÁT CỦA CÁC XÃ", bold=True, indent=False)
    layout.para(doc, f"Mỗi đài gửi về tỉnh từng mục nhật ký phát kèm mã băm SHA-256 liên kết với mục trước; tỉnh "
                     f"kiểm tra từng mục khi nhận. Đầu chuỗi của từng đài tại thời điểm lập báo cáo "
                     f"({local(report.now):%H:%M ngày %d/%m/%Y}) như sau; đối chiếu với đầu chuỗi này, mọi sửa "
                     "đổi hoặc xóa bỏ nhật ký của đài đến thời điểm đó đều bị phát hiện.")
    layout.grid(doc, ["Mã đài", "Tên xã", "Số mục", "Mục cuối", "Mã băm đầu chuỗi", "Kết quả kiểm tra"],
                [[s["code"], s["name"] or "", s["chain"]["entries"], s["chain"]["last_id"],
                  s["chain"]["head_hash"] or "", chain_verdict(s["chain"])] for s in report.stations],
                [2.2, 2.6, 1.3, 1.3, 6.9, 2.2], size=10)
    layout.para(doc, "", after=0, indent=False)
    if report.alerts:
        layout.para(doc, f"Các cảnh báo về chuỗi nhật ký trong {report.month_vi} ({len(report.alerts)}):",
                    indent=False)
        layout.grid(doc, ["Thời điểm", "Mã đài", "Loại", "Mục", "Chi tiết"],
                    [[when_vi(a["at"]), a["station"], ALERT_VI.get(a["kind"], a["kind"]),
                      "" if a["entry_id"] is None else a["entry_id"], alert_vi(a)] for a in report.alerts],
                    [2.6, 2.2, 2.0, 1.2, 8.5], size=11)
        layout.para(doc, "", after=0, indent=False)
    else:
        layout.para(doc, f"Không có cảnh báo nào về chuỗi nhật ký trong {report.month_vi}.")
    layout.para(doc, f"Trên đây là báo cáo {TITLE[0].lower()}{TITLE[1:]} {report.month_vi} của {body}./")
    layout.signature(doc, recipients=settings["report_recipients"], authority=settings["report_authority"],
                     signer_title=settings["report_signer_title"], signer=settings["report_signer"])
    return doc


def export(hub, path: Path, fmt: str, period: Period, *, now: datetime, minimum: int = MINIMUM,
           topic: str = TOPIC, settings: dict | None = None) -> Report:
    """Write the report for *period* to *path* as *fmt* (xlsx or docx), whole or not at all."""
    if fmt not in FORMATS:
        raise ValidationError(f'Unknown report format "{fmt}"; use {", ".join(FORMATS)}.')
    report = build(hub, period, now=now, minimum=minimum, topic=topic)
    with written_whole(Path(path)) as partial:
        if fmt == "xlsx":
            write_xlsx(report, partial)
        else:
            build_docx(report, settings_for(report, settings)).save(partial)
    return report

