"""Bulletin topics: stored codes and the Vietnamese labels people see.

Codes stay short ASCII (they are typed at the CLI and kept in the proof log);
every page shows the label. A topic an officer made up is shown as typed.
"""

from __future__ import annotations

#: stored code → label, in the order the editor offers them
TOPICS = {
    "cchc": "Cải cách hành chính (CCHC)",
    "thien-tai": "Phòng, chống thiên tai",
    "y-te": "Y tế, phòng dịch",
    "an-ninh": "An ninh, trật tự",
    "nong-nghiep": "Nông nghiệp, thời vụ",
    "phap-luat": "Phổ biến pháp luật",
    "chuyen-doi-so": "Chuyển đổi số",
    "van-hoa": "Văn hóa, xã hội",
    "khan-cap": "Thông báo khẩn cấp",
}


def topic_label(code: str | None) -> str:
    """The label of *code*; an unknown topic as typed, with a capital first letter."""
    code = (code or "").strip()
    if code in TOPICS:
        return TOPICS[code]
    shown = code.replace("-", " ")
    return shown[:1].upper() + shown[1:]
