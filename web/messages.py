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


_FIELDS = {"valid from": "Hiệu lực từ ngày", "valid until": "Hiệu lực đến ngày", "date": "Ngày"}

#: Vietnamese names of roles and of radio.accounts.ACTIONS (error messages, the audit page)
ROLE_LABELS = {"anonymous": "chưa đăng nhập", "viewer": "Người xem", "officer": "Công chức VH-XH",
            "leader": "Lãnh đạo UBND", "admin": "Quản trị"}
ACTION_LABELS = {
    "read": "xem", "bulletin.create": "thêm bản tin", "bulletin.edit": "sửa bản tin",
    "bulletin.import": "nhập bản tin từ tệp", "bulletin.record": "thu âm bản tin",
    "slot.create": "thêm khung giờ", "slot.edit": "sửa khung giờ", "lexicon.edit": "sửa từ điển phát âm",
    "report.export": "xuất báo cáo", "bulletin.approve": "duyệt bản tin", "bulletin.return": "trả lại bản tin",
    "bulletin.withdraw": "rút bản tin đã duyệt", "bulletin.urgent": "phát khẩn cấp",
    "slot.pause": "tạm dừng hoặc xóa khung giờ", "log.manual": "ghi nhật ký thủ công",
    "user.manage": "quản lý tài khoản", "settings.edit": "đổi cấu hình", "output.manage": "quản lý đầu ra",
    "token.manage": "quản lý mã truy cập",
}

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
    # issue 8: roles, approval binding, outputs, input ranges (radio/)
    (r'Role "(\w+)" may not (\S+); it needs the role "(\w+)" or higher\.',
     lambda m: f"Tài khoản {ROLE_LABELS.get(m[1], m[1])} không được {ACTION_LABELS.get(m[2], m[2])}; "
               f"cần quyền {ROLE_LABELS.get(m[3], m[3])} trở lên."),
    (r"Bulletin (\d+) was written by (.*); an officer may edit only their own drafts\.",
     "Bản tin số {0} do {1} soạn; công chức chỉ được sửa hoặc rút bản nháp của mình."),
    (r"Bulletin (\d+) changed after you opened it; read it again before approving\.",
     "Bản tin số {0} đã bị sửa sau khi bạn mở ra xem; hãy đọc lại nội dung mới rồi mới duyệt."),
    (r"Bulletin (\d+) is not a draft; only drafts can be returned\.",
     "Bản tin số {0} không còn là bản nháp; chỉ trả lại được bản tin chờ duyệt."),
    (r"Say why the draft goes back \(a reason for the officer\)\.",
     "Hãy ghi lý do trả lại để người soạn biết cần sửa gì."),
    (r"The reason is (\d+) characters; the limit is (\d+)\.", "Lý do dài {0} ký tự; tối đa {1} ký tự."),
    (r"Title is (\d+) characters; the limit is (\d+)\.", "Tiêu đề dài {0} ký tự; tối đa {1} ký tự."),
    (r'Slot "(.*)" does not exist\.', "Không tìm thấy khung giờ số {0}."),
    (r"A slot's cap \"(.*)\" is not a whole number\.",
     'Thời lượng tối đa "{0}" phải là một số phút.'),
    (r"A slot's cap must be at most (\d+) minutes \(one day\)\.",
     "Thời lượng tối đa nhiều nhất {0} phút (một ngày)."),
    (r"Output \"(.*)\" is not one of the station's outputs; pick a name the admin defined \(radio output list\)\.",
     'Đầu ra "{0}" không phải đầu ra của đài; hãy chọn một đầu ra do người quản trị khai báo.'),
    (r"Output \"(.*)\" does not exist\..*", 'Không có đầu ra "{0}".'),
    (r"Output \"(.*)\" already exists\.", 'Đầu ra "{0}" đã có.'),
    (r"Output \"(.*)\" is used by slot\(s\) (.*); change those slots first\.",
     'Đầu ra "{0}" đang được khung giờ số {1} dùng; hãy đổi các khung giờ đó trước.'),
    (r"Output name: 1–32 lower-case letters, digits, '-' or '_'\.",
     "Tên đầu ra: 1–32 ký tự gồm chữ thường không dấu, chữ số, '-' hoặc '_'."),
    (r"Give the output's spec, e.g\. pulse:thon1 or device\.",
     "Hãy nhập cấu hình đầu ra, ví dụ pulse:thon1 hoặc device."),
    (r"Unknown output '(.*)'; accepted forms: .*", "Cấu hình đầu ra {0} không hợp lệ."),
    (r"A lexicon entry is at most 60 characters written and (\d+) spoken\.",
     "Mục từ điển tối đa 60 ký tự (chữ viết) và {0} ký tự (cách đọc)."),
    # content.importers.DocumentError details (the file name prefix removed)
    (r"the file is (\d+) KB; the limit is (\d+) KB", "tệp nặng {0} KB; tối đa {1} KB."),
    (r"the file is larger than (\d+) KB", "tệp lớn hơn {0} KB (giới hạn)."),
    (r"the document inflates past (\d+) MB when opened; it is not an ordinary bulletin",
     "khi giải nén, tệp phình ra quá {0} MB; đây không phải một bản tin bình thường."),
    (r"not UTF-8, UTF-16, Windows-1258 or TCVN3 text; save it as UTF-8 and retry",
     "không đọc được bảng mã (không phải UTF-8, UTF-16, Windows-1258 hay TCVN3); hãy lưu lại tệp dạng UTF-8 rồi thử lại."),
    (r"binary data \(zero bytes\), not text; save it as UTF-8 and retry",
     "tệp không phải văn bản; hãy lưu lại dạng .txt (UTF-8) rồi thử lại."),
    (r"The file was read as (.*) text; check the accents before sending it for approval\.",
     "Tệp được đọc theo bảng mã {0}; hãy kiểm tra lại dấu tiếng Việt trước khi trình duyệt."),
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
