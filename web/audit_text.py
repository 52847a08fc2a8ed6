"""How an audit row's target and detail read in Vietnamese (the audit page).

The library stores small English-keyed facts (``{"priority": "normal"}``,
``{"from": "officer", "to": "leader"}``); a leader reading the trail should see
"Mức ưu tiên: thường" and "Vai trò: Công chức VH-XH → Lãnh đạo UBND". A key or value
not listed here is shown as stored, so nothing the library records is hidden.
"""

from __future__ import annotations

from radio.bulletins.lifecycle import PRIORITIES, STATUS_LABELS
from radio.wording.messages import ROLE_LABELS
from radio.proof.log import STANDING_LABELS
from radio.reports.targets import PERIOD_LABELS
from radio.schedule.slots import describe_days
from radio.bulletins.topics import topic_label

from .filters import local_date

TARGET_KINDS = {
    "bulletin": "Bản tin số", "slot": "Khung giờ số", "user": "Tài khoản", "token": "Mã truy cập",
    "output": "Đầu ra", "setting": "Cấu hình", "jingle": "Nhạc hiệu", "target": "Chỉ tiêu số",
    "lexicon": "Từ điển phát âm", "log": "Dòng nhật ký số",
}

KEY_LABELS = {
    "title": "Tiêu đề", "priority": "Mức ưu tiên", "file": "Tệp", "changed": "Đã sửa",
    "by": "Người duyệt", "content_sha256": "Mã băm nội dung", "reason": "Lý do", "was": "Trạng thái trước",
    "role": "Vai trò", "demo": "Tài khoản trình diễn", "from": "Từ", "to": "Thành",
    "op": "Thao tác", "active": "Đang hoạt động", "kind": "Loại", "spec": "Địa chỉ", "zone": "Vùng loa",
    "command": "Lệnh số", "value": "Giá trị", "address": "Địa chỉ máy", "failures": "Số lần sai",
    "reset": "Trở về mặc định", "removed": "Đã xóa", "added": "Đã thêm", "language": "Ngôn ngữ",
    "spoken": "Cách đọc", "spoken_sha256": "Mã băm cách đọc",
    "replaces_spoken_sha256": "Thay cách đọc đã duyệt có mã băm",
    # slot fields
    "name": "Tên", "at_time": "Giờ phát", "days": "Ngày trong tuần", "date": "Ngày phát",
    "cap_minutes": "Thời lượng tối đa (phút)", "topics": "Chủ đề", "valid_from": "Hiệu lực từ",
    "valid_until": "Hiệu lực đến", "output": "Đầu ra", "text": "Nội dung", "topic": "Chủ đề",
    "repeat_count": "Số lượt phát", "period": "Kỳ", "minimum": "Tối thiểu",
    "applies_from": "Áp dụng từ", "applies_until": "Áp dụng đến",
    # proof-log entries typed by hand, and outputs
    "status": "Trạng thái", "previous": "Trạng thái trước", "started_at": "Bắt đầu", "seconds": "Số giây",
    "titles": "Các bản tin", "corrects": "Đính chính dòng số", "loudspeakers": "Phát ra loa",
}

OP_LABELS = {"create": "tạo", "revoke": "thu hồi", "add": "thêm", "remove": "xóa",
             "add-manual": "ghi buổi phát ngoài hệ thống", "correct": "đính chính",
             "loudspeakers": "đặt có phát ra loa hay không",
             "reapprove": "duyệt lại cách đọc mới", "heal": "tạo lại tệp bị hỏng",
             "upgrade": "đọc lại bằng giọng gTTS"}
#: facts whose stored code has a Vietnamese label
VALUE_LABELS = {"priority": PRIORITIES, "role": ROLE_LABELS, "from": ROLE_LABELS, "to": ROLE_LABELS,
                "was": STATUS_LABELS, "op": OP_LABELS, "period": PERIOD_LABELS,
                "status": STANDING_LABELS, "previous": STANDING_LABELS,
                "loudspeakers": {"by kind": "theo loại đầu ra"}}
DATE_KEYS = ("date", "valid_from", "valid_until", "applies_from", "applies_until")


def describe_target(target: str | None) -> str:
    """``bulletin:12`` → ``Bản tin số 12``."""
    if not target:
        return ""
    kind, _, name = target.partition(":")
    label = TARGET_KINDS.get(kind)
    return f"{label} {name}" if label and name else target


def _value(key: str, value) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(KEY_LABELS.get(v, v) if key == "changed" else _value(key, v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{KEY_LABELS.get(k, k)}: {_value(k, v)}" for k, v in value.items()
                         if v not in ("", None))
    text = str(value)
    if " → " in text:  # an edit stored as "old → new"
        return " → ".join(_value(key, side) for side in text.split(" → "))
    if text in ("", "–"):
        return "–"
    if key in VALUE_LABELS:
        return VALUE_LABELS[key].get(text, text)
    if key in ("topic", "topics"):
        return ", ".join(topic_label(t) for t in text.split(",") if t.strip())
    if key == "at_time" and len(text) == 8 and text.endswith(":00"):
        return text[:5]
    try:
        if key == "days":
            return describe_days({"days": text})
        if key in DATE_KEYS:
            return local_date(text)
    except ValueError:  # not what the library stores today: shown as stored
        return text
    if key == "content_sha256":
        return text[:16] + "…"
    return text


def describe_detail(detail: dict | None) -> list[str]:
    """The detail as ``Label: value`` phrases; a role change reads "Vai trò: A → B"."""
    detail = dict(detail or {})
    phrases = []
    if "from" in detail and "to" in detail and "role" not in detail:
        phrases.append(f"Vai trò: {_value('role', detail.pop('from'))} → {_value('role', detail.pop('to'))}")
    for key, value in detail.items():
        if value in ("", None):
            continue  # a field left empty at creation says nothing
        phrases.append(f"{KEY_LABELS.get(key, key)}: {_value(key, value)}")
    return phrases
