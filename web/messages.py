"""Vietnamese wording of the library's English one-line errors (presentation only).

The library stays the one authority on rules; this module only rephrases its
messages for the officer. Anything not listed is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def _vn_datetime(text: str) -> str:
    """``2026-11-22 05:30:00`` → ``22/11/2026 05:30``."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})", text)
    return f"{m[3]}/{m[2]}/{m[1]} {m[4]}:{m[5]}" if m else text


STATUS_VI = {"approved": "đã được duyệt", "withdrawn": "đã bị rút"}
_FIELDS = {"valid from": "Hiệu lực từ ngày", "valid until": "Hiệu lực đến ngày", "date": "Ngày"}

_RULES: list[tuple[re.Pattern, str | Callable[[re.Match], str]]] = [
    (r"A bulletin needs a title\.", "Bản tin cần có tiêu đề."),
    (r"A bulletin needs some text; it is empty\.",
     "Bản tin chưa có nội dung. Hãy nhập nội dung cần phát."),
    (r"Text is (\d+) characters; the limit is (\d+)\.",
     "Nội dung dài {0} ký tự; tối đa {1} ký tự. Hãy chia thành nhiều bản tin."),
    (r'Repeat count "(.*)" is not a number\.', 'Số lượt phát "{0}" không phải là số.'),
    (r"Repeat count must be between 1 and 1000\.", "Số lượt phát phải từ 1 đến 1000."),
    (r'(valid from|valid until|date) "(.*)" is not a date \(YYYY-MM-DD\)\.',
     lambda m: f'{_FIELDS[m[1]]} "{m[2]}" không phải là ngày hợp lệ.'),
    (r"The valid window ends before it starts\.",
     "Ngày hết hiệu lực đứng trước ngày bắt đầu hiệu lực."),
    (r"The slot's valid window ends before it starts\.",
     "Khung giờ có ngày hết hiệu lực đứng trước ngày bắt đầu."),
    (r'Unknown priority "(.*)"\..*', 'Mức ưu tiên "{0}" không hợp lệ. Chọn thường, ưu tiên hoặc khẩn cấp.'),
    (r'Bulletin "?([^" ]*)"? does not exist\.', "Không tìm thấy bản tin số {0}."),
    (r"Bulletin (\d+) is approved; its text is frozen\.",
     "Bản tin số {0} đã được duyệt; nội dung đã khóa, không sửa được."),
    (r"Bulletin (\d+) is already approved \(by (.*)\)\.", "Bản tin số {0} đã được duyệt (bởi {1})."),
    (r"Bulletin (\d+) was withdrawn; add it again to air it\.",
     "Bản tin số {0} đã bị rút; muốn phát lại hãy thêm bản tin mới."),
    (r"Bulletin (\d+) is not approved; approve it before airing it\.",
     "Bản tin số {0} chưa được duyệt; cần lãnh đạo duyệt trước khi phát."),
    (r'Time "(.*)" is not HH:MM or HH:MM:SS\.',
     'Giờ phát "{0}" không hợp lệ; nhập theo dạng giờ:phút, ví dụ 05:30.'),
    (r'Time "(.*)" is not a time of day\.', 'Giờ phát "{0}" không phải là giờ trong ngày.'),
    (r'Unknown day "(.*)"\..*', 'Ngày trong tuần "{0}" không hợp lệ.'),
    (r"Give --days daily, or a list such as mon,wed,fri\.",
     "Chọn ít nhất một ngày trong tuần, hoặc nhập một ngày phát cụ thể."),
    (r"Give either --days \(recurring\) or --date \(one-off\), not both\.",
     "Chọn các ngày trong tuần (phát lặp lại) hoặc một ngày cụ thể (phát một lần), không chọn cả hai."),
    (r"Slot (\S+ \S+) is in the past \(station time is (.*)\)\.",
     lambda m: f"Thời điểm {_vn_datetime(m[1])} đã qua (giờ của đài hiện là {_vn_datetime(m[2])}). "
               "Hãy chọn một thời điểm trong tương lai."),
    (r"A slot's cap must be at least 1 minute\.", "Thời lượng tối đa phải ít nhất 1 phút."),
    (r"Slot (\d+) does not exist\.", "Không tìm thấy khung giờ số {0}."),
    (r'Month "(.*)" is not YYYY-MM\.', 'Tháng "{0}" không hợp lệ (dạng năm-tháng, ví dụ 2026-11).'),
    (r"Slot at (\S+) is outside (\S+)–(\S+); listeners complain about broadcasts at that hour\.",
     "Lưu ý: khung giờ {0} nằm ngoài khoảng {1}–{2}; người dân thường phàn nàn khi loa phát vào giờ này."),
    # radio.recordings
    (r"Cannot use '(.*)' files as a recording; supported: (.*)\.",
     "Tệp loại {0} không dùng được làm bản ghi âm; chỉ nhận {1}."),
    (r"The recording is larger than (.*)\.", "Bản ghi âm quá lớn (tối đa {0})."),
    (r"The recording file is empty\.", "Tệp ghi âm trống, không có dữ liệu."),
    (r"The file is not a recording: .*",
     "Tệp này không phải bản ghi âm (không giải mã được âm thanh). Hãy chọn tệp mp3, wav, m4a, ogg hoặc opus."),
    (r"The recording is silent or too short to hear\.",
     "Bản ghi âm im lặng hoặc quá ngắn, không nghe được. Hãy ghi âm lại."),
    (r"The language name is (\d+) characters; the limit is (\d+)\.",
     "Tên ngôn ngữ dài {0} ký tự; tối đa {1} ký tự."),
    (r"Bulletin (\d+) is (\w+); its recording can no longer change\.",
     lambda m: f"Bản tin số {m[1]} {STATUS_VI.get(m[2], m[2])}; không thay được bản ghi âm."),
    # radio.emergency
    (r"Type the emergency text or pick an approved bulletin \(one of them\)\.",
     "Hãy gõ nội dung cần phát khẩn cấp hoặc chọn một bản tin đã duyệt (chỉ một trong hai)."),
    (r"Emergency broadcast (\d+) does not exist\.", "Không tìm thấy lệnh phát khẩn cấp số {0}."),
    (r"An emergency text is at most (\d+) characters; this one is (\d+)\.",
     "Nội dung khẩn cấp tối đa {0} ký tự; nội dung này dài {1} ký tự."),
    # radio.station_settings
    (r'Setting "(.*)" must be one of (.*); got "(.*)"\.', 'Thiết lập "{0}" phải là một trong: {1} (đã nhập "{2}").'),
    # radio.jingles
    (r"A jingle is at most (\d+) s; this one is (\d+) s\.", "Nhạc hiệu dài tối đa {0} giây; tệp này dài {1} giây."),
    (r'Unknown jingle "(.*)"; use intro or outro\.', 'Không có loại nhạc hiệu "{0}".'),
    # radio.preview
    (r"There is no text to listen to\.", "Chưa có nội dung để nghe thử."),
    (r"The speech is still being made after (\d+) s; try again in a moment\.",
     "Giọng đọc vẫn đang được tạo (đã {0} giây); hãy bấm nghe thử lại sau ít giây."),
    # radio.lexicon
    (r"Give the written form: a word, an abbreviation or a short phrase\.",
     "Hãy nhập chữ viết: một từ, một chữ viết tắt hoặc một cụm ngắn (tối đa 4 tiếng)."),
    (r'Say how "(.*)" is read aloud; the spoken form is empty\.', 'Hãy nhập cách đọc của "{0}".'),
    (r'"(.*)" is not in the station lexicon\.', 'Từ "{0}" không có trong từ điển của đài.'),
    # content.importers.DocumentError details (the file name prefix removed)
    (r"cannot import '(.*)' files; supported: (.*)", "không nhập được tệp loại {0}; chỉ nhận {1}."),
    (r"the document has no text", "tệp không có nội dung."),
    (r"not a readable Word \.docx file.*",
     "không phải tệp Word .docx đọc được (tệp hỏng, hoặc là tệp .doc cũ: hãy mở bằng Word và lưu lại dạng .docx)."),
    (r"not (\S+) text \(undecodable byte at position (\d+)\); save it as UTF-8 and retry",
     "không phải văn bản {0} (ký tự lỗi ở vị trí {1}); hãy lưu lại tệp dạng UTF-8 rồi thử lại."),
    (r"no such file", "không tìm thấy tệp."),
    # proof-log reasons written by the daemon (radio/station.py)
    (r"station stopped", "đài dừng hoạt động"),
    (r"station process died while on air", "chương trình của đài bị dừng đột ngột khi đang phát"),
    (r"station was not running from (\S+ \S+) until (\S+ \S+)",
     lambda m: f"đài không chạy từ {m[1][:16]} đến {m[2][:16]}"),
    (r"station was not running until (\S+ \S+)", lambda m: f"đài không chạy đến {m[1][:16]}"),
    (r"no approved bulletin ready for this slot", "không có bản tin đã duyệt sẵn sàng cho khung giờ này"),
    (r"started (\d+) s late", "bắt đầu muộn {0} giây"),
    (r"nothing played", "không phát được gì"),
    (r"station stopped before the retry", "đài dừng trước khi kịp phát lại"),
    (r"interrupted by urgent bulletin #(\d+)", "bị ngắt để phát bản tin khẩn cấp số {0}"),
    (r"speech not rendered yet", "chưa tạo xong giọng đọc"),
    (r"longer than the slot's cap", "dài hơn thời lượng tối đa của khung giờ"),
    (r"does not fit the cap; moves to the next occurrence",
     "không còn đủ thời lượng; chuyển sang buổi phát sau"),
]
_COMPILED = [(re.compile(p), r) for p, r in _RULES]


def vi(message: object) -> str:
    """The Vietnamese wording of a library message (or the message itself)."""
    text = str(message)
    for pattern, replacement in _COMPILED:
        match = pattern.fullmatch(text.strip())
        if match:
            if callable(replacement):
                return replacement(match)
            return replacement.format(*match.groups())
    return text


def vi_reason(reason: str | None) -> str:
    """A proof-log reason: parts joined by "; ", each maybe "#ID: why"."""
    if not reason:
        return ""
    parts = []
    for part in reason.split("; "):
        match = re.fullmatch(r"#(\d+): (.*)", part)
        parts.append(f"bản tin số {match[1]}: {vi(match[2])}" if match else vi(part))
    return "; ".join(parts)
