"""Vietnamese wording of the library's English one-line errors and log reasons.

The library stays the one authority on rules; this module only rephrases its
messages for the officer, on the admin's pages and in the reports (Excel, CSV).
Anything not listed is shown as it is. The proof log keeps the English reason; rows
written with reason codes are said from them (:mod:`radio.wording.reasons`), and the
rules below for the daemon's reasons only serve rows written before.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable


def _vn_datetime(text: str) -> str:
    """``2026-11-22 05:30:00`` → ``22/11/2026 05:30``."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})", text)
    return f"{m[3]}/{m[2]}/{m[1]} {m[4]}:{m[5]}" if m else text


def _vn_decimal(number: str) -> str:
    """``1.9`` → ``1,9``: Vietnamese writes a decimal comma."""
    return number.replace(".", ",")


def _vn_thousands(number: str) -> str:
    """``20000`` → ``20.000``: Vietnamese groups thousands with a dot."""
    return f"{int(number):,}".replace(",", ".")


STATUS_VI = {"approved": "đã được duyệt", "withdrawn": "đã bị rút"}

def _vn_allowed(text: str) -> str:
    """``an integer from 1 to 3660`` → ``số nguyên từ 1 đến 3660`` (the settings' ranges)."""
    m = re.fullmatch(r"an? (integer|number) from (\S+) to (\S+)", text)
    if m:
        kind = "số nguyên" if m[1] == "integer" else "số"
        return f"{kind} từ {m[2]} đến {m[3]}"
    if text.startswith("one of "):
        return "một trong " + text[len("one of "):]
    return {"true or false": "true (bật) hoặc false (tắt)"}.get(text, text)


_FIELDS = {"valid from": "Hiệu lực từ ngày", "valid until": "Hiệu lực đến ngày", "date": "Ngày"}

_PART_VI = {"speech": "giọng đọc", "recording": "bản ghi âm", "ident": "lời giới thiệu đài",
            "intro jingle": "nhạc hiệu mở đầu", "outro jingle": "nhạc hiệu kết thúc"}
#: Vietnamese names of roles and of radio.accounts.roles.ACTIONS (error messages, the audit page)
ROLE_LABELS = {"anonymous": "chưa đăng nhập", "viewer": "Người xem", "officer": "Công chức VH-XH",
            "leader": "Lãnh đạo UBND", "admin": "Quản trị"}
ACTION_LABELS = {
    "read": "xem", "bulletin.create": "thêm bản tin", "bulletin.edit": "sửa bản tin",
    "bulletin.import": "nhập bản tin từ tệp", "bulletin.record": "thu âm bản tin",
    "slot.create": "thêm khung giờ", "slot.edit": "sửa khung giờ", "lexicon.edit": "sửa từ điển phát âm",
    "speech.render": "tạo giọng đọc nghe thử",
    "report.export": "xuất báo cáo", "bulletin.approve": "duyệt bản tin", "bulletin.return": "trả lại bản tin",
    "bulletin.withdraw": "rút bản tin đã duyệt", "bulletin.urgent": "phát khẩn cấp",
    "slot.pause": "tạm dừng hoặc xóa khung giờ", "log.manual": "ghi nhật ký thủ công",
    "user.manage": "quản lý tài khoản", "settings.edit": "đổi cấu hình", "output.manage": "quản lý đầu ra",
    "token.manage": "quản lý mã truy cập",
    # written by the station itself (no account): approved speech re-rendered from the approved reading
    "bulletin.speech": "thay tệp giọng đọc đã duyệt bằng bản đọc lại đúng cách đọc đã duyệt",
    "user.lockout": "tạm chặn đăng nhập sai nhiều lần",
}

#: the fields radio.store.fields names in its messages
_FIELD_VI = {"Topic": "Chủ đề", "The written form": "Từ viết", "The spoken form": "Cách đọc",
             "The reason": "Lý do", "A title": "Tên bản tin", "A display name": "Họ và tên",
             "A slot's name": "Tên khung giờ", "The note": "Ghi chú"}


def _field_vi(name: str) -> str:
    setting = re.fullmatch(r'Setting "(.*)"', name)
    return f'Cấu hình "{setting[1]}"' if setting else _FIELD_VI.get(name, name)
_SLOT_REASONS = [
    (r"it moves from (\S+) (\S+) to (\S+) (\S+)", "chuyển từ {0} ({1}) sang {2} ({3})"),
    (r"it no longer airs on (\S+)", "không còn phát vào các ngày {0}"),
    (r"it goes to output (.*) instead of (.*)", "chuyển sang đầu ra {0} thay cho {1}"),
    (r"its validity ends in the past \((\S+)\)", "hết hiệu lực từ một ngày đã qua ({0})"),
    (r"its validity starts later \((\S+)\)", "lùi ngày bắt đầu hiệu lực ({0})"),
    (r"no bulletin has its topics \((.*)\)", "không bản tin nào thuộc chủ đề đã chọn ({0})"),
    (r"its cap of (\d+) min is shorter than its running order \((\d+) min (\d+) s\)",
     "thời lượng tối đa {0} phút ngắn hơn chương trình đã xếp ({1} phút {2} giây)"),
    (r"it airs (\d+) times in the next (\d+) days instead of (\d+)",
     "trong {1} ngày tới chỉ còn phát {0} lần thay vì {2} lần"),
    (r"it carries (\d+) bulletins in the next (\d+) days instead of (\d+)",
     "trong {1} ngày tới chỉ còn phát {0} lượt bản tin thay vì {2}"),
]


def _slot_reason(text: str) -> str:
    """One reason of radio.schedule.slot_guard in Vietnamese."""
    for pattern, wording in _SLOT_REASONS:
        match = re.fullmatch(pattern, text)
        if match:
            return wording.format(*match.groups())
    return text


_RULES: list[tuple[re.Pattern, str | Callable[[re.Match], str]]] = [
    # radio.store.fields
    (r"(.+) contains a control character \(U\+([0-9A-F]{4})\); remove it\.",
     lambda m: f"{_field_vi(m[1])} chứa ký tự điều khiển không in được (U+{m[2]}), thường do dán từ nơi khác; "
               "hãy xóa ký tự đó rồi lưu lại."),
    (r"(A slot's name|The note) is (\d+) characters; the limit is (\d+)\.",
     lambda m: f"{_field_vi(m[1])} dài {m[2]} ký tự; tối đa {m[3]} ký tự."),
    (r"A bulletin needs a title\.", "Bản tin cần có tiêu đề."),
    (r'Page "(.*)" is not a whole number\.', 'Trang "{0}" không hợp lệ; đang xem trang đầu.'),
    (r'Unknown log status "(.*)"\.', 'Trạng thái "{0}" không có trong nhật ký.'),
    (r"Page size must be a whole number from 1 to (\d+)\.", "Số dòng mỗi trang phải từ 1 đến {0}."),
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
    # radio.speech.preview, radio.speech.cache
    (r"A preview is at most (\d+) characters; this text has (\d+)\. Save the draft and listen to it on its page\.",
     lambda m: f"Nghe thử tối đa {_vn_thousands(m[1])} ký tự; nội dung này dài {_vn_thousands(m[2])} ký tự. "
               "Hãy lưu bản nháp rồi bấm nghe ở trang bản tin."),
    (r"(.*) started (\d+) previews in the last minute; the limit is (\d+) a minute\.",
     "Bạn đã tạo {1} lần nghe thử trong một phút vừa qua; tối đa {2} lần mỗi phút. "
     "Hãy chờ một phút rồi nghe lại."),
    (r"The speech cache is full \((\d+) MB\) with audio the coming broadcasts need; no preview can be made\.",
     "Bộ nhớ giọng đọc đã đầy ({0} MB) với âm thanh các buổi phát sắp tới cần dùng; chưa tạo được "
     "giọng đọc nghe thử. Hãy báo quản trị tăng giới hạn speech_cache_max_mb."),
    # radio.schedule.slot_guard
    (r"Slot (\d+) was created by (.*); an officer edits only the slots they created \(a leader may change it\)\.",
     "Khung giờ số {0} do {1} tạo; công chức chỉ sửa được khung giờ do mình tạo. "
     "Hãy nhờ lãnh đạo UBND sửa khung giờ này."),
    (r"Only a leader may make this change to slot (\d+): it stops the slot airing \((.*)\)\.",
     lambda m: f"Chỉ lãnh đạo UBND mới được sửa khung giờ số {m[1]} như vậy, vì thay đổi này làm khung giờ "
               f"ngừng phát ({'; '.join(_slot_reason(r) for r in m[2].split('; '))}). "
               "Hãy nhờ lãnh đạo sửa, như khi tạm dừng khung giờ."),
    # radio.bulletins.recordings
    (r"Cannot use '(.*)' files as a recording; supported: (.*)\.",
     "Tệp loại {0} không dùng được làm bản ghi âm; chỉ nhận {1}."),
    (r"The recording is larger than (.*)\.", "Bản ghi âm quá lớn (tối đa {0})."),
    (r"The recording file is empty\.", "Tệp ghi âm trống, không có dữ liệu."),
    (r"The file is not a recording: it is (?:an? )?(.*), not audio; upload the recording itself\.",
     "Tệp này là danh sách phát hoặc tệp trỏ tới tệp khác, không phải bản ghi âm; "
     "hãy tải lên chính tệp ghi âm (mp3, wav, m4a, ogg hoặc opus)."),
    (r"The file is not a recording: .*",
     "Tệp này không phải bản ghi âm (không giải mã được âm thanh). Hãy chọn tệp mp3, wav, m4a, ogg hoặc opus."),
    (r"The recording is silent or too short to hear\.",
     "Bản ghi âm im lặng hoặc quá ngắn, không nghe được. Hãy ghi âm lại."),
    (r"The language name is (\d+) characters; the limit is (\d+)\.",
     "Tên ngôn ngữ dài {0} ký tự; tối đa {1} ký tự."),
    (r"Bulletin (\d+) is (\w+); its recording can no longer change\.",
     lambda m: f"Bản tin số {m[1]} {STATUS_VI.get(m[2], m[2])}; không thay được bản ghi âm."),
    # radio.schedule.emergency
    (r"Type the emergency text or pick an approved bulletin \(one of them\)\.",
     "Hãy gõ nội dung cần phát khẩn cấp hoặc chọn một bản tin đã duyệt (chỉ một trong hai)."),
    (r"Emergency broadcast (\d+) does not exist\.", "Không tìm thấy lệnh phát khẩn cấp số {0}."),
    (r"An emergency text is at most (\d+) characters; this one is (\d+)\.",
     "Nội dung khẩn cấp tối đa {0} ký tự; nội dung này dài {1} ký tự."),
    # radio.settings
    # radio.programme.jingles
    (r"A jingle is at most (\d+) s; this one is (\d+) s\.", "Nhạc hiệu dài tối đa {0} giây; tệp này dài {1} giây."),
    (r'Unknown jingle "(.*)"; use intro or outro\.', 'Không có loại nhạc hiệu "{0}".'),
    # radio.speech.preview
    (r"There is no text to listen to\.", "Chưa có nội dung để nghe thử."),
    (r"The speech is still being made after (\d+) s; try again in a moment\.",
     "Giọng đọc vẫn đang được tạo (đã {0} giây); hãy bấm nghe thử lại sau ít giây."),
    # radio.speech.lexicon
    (r"Give the written form: a word, an abbreviation or a short phrase\.",
     "Hãy nhập chữ viết: một từ, một chữ viết tắt hoặc một cụm ngắn (tối đa 4 tiếng)."),
    (r'Say how "(.*)" is read aloud; the spoken form is empty\.', 'Hãy nhập cách đọc của "{0}".'),
    (r'"(.*)" is not in the station lexicon\.', 'Từ "{0}" không có trong từ điển của đài.'),

    # radio.settings
    (r'Setting "(.*)" must be (.*); got (.*)\.',
     lambda m: f'Giá trị {m[3]} không hợp lệ cho cài đặt "{m[1]}"; cần: {_vn_allowed(m[2])}.'),
    (r'Unknown setting "([^"]*)"\. Did you mean "([^"]*)"\?.*',
     'Không có cài đặt "{0}". Có phải ý bạn là "{1}"?'),
    (r'Unknown setting "([^"]*)"\..*', 'Không có cài đặt "{0}".'),
    # radio.schedule.commands
    (r"No station daemon took the request within (\S+) s; it has expired and will not air\..*",
     "Phần mềm phát của đài không nhận lệnh trong {0} giây (đài chưa chạy?); lệnh phát ngay đã hết hạn "
     "và sẽ không được phát. Hãy khởi động đài (radio station hoặc radio serve) rồi thử lại."),
    # radio.accounts.tokens (API tokens)
    (r'Token name "(.*)" must be 1 to 64 letters, digits or \. _ @ -\.',
     'Tên mã truy cập "{0}" phải có 1 đến 64 ký tự: chữ, số hoặc . _ @ -.'),
    (r'A token named "(.*)" exists already; revoke it first or choose another name\.',
     'Đã có mã truy cập tên "{0}"; hãy thu hồi mã đó trước hoặc chọn tên khác.'),
    (r'No active token named "(.*)"\..*', 'Không có mã truy cập nào đang dùng tên "{0}".'),
    # accounts (radio.accounts.users, radio.accounts.passwords)
    (r"Password must have at least (\d+) characters\.", "Mật khẩu cần ít nhất {0} ký tự."),
    (r"Password must have at most (\d+) characters\.", "Mật khẩu dài tối đa {0} ký tự."),
    (r"This password is one of the most common passwords; choose another\.",
     "Mật khẩu này nằm trong danh sách mật khẩu phổ biến nhất, dễ bị đoán; hãy chọn mật khẩu khác."),
    (r"The password must not contain the username or the station name\.",
     "Mật khẩu không được chứa tên đăng nhập hoặc tên đài."),
    (r"This password is too easy to guess .*",
     "Mật khẩu này quá dễ đoán (ký tự lặp lại hoặc liên tiếp như 1111, abcd, 1234, một năm như 2026, "
     "tên đài hay tên đăng nhập, có dấu hay không dấu); hãy thêm vài từ của riêng bạn."),
    (r"Username: 2–32 lower-case letters, digits, '\.', '_' or '-'\.",
     "Tên đăng nhập gồm 2–32 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang."),
    (r"A display name has at most (\d+) characters\.", "Họ và tên dài tối đa {0} ký tự."),
    (r'User "(.*)" already exists\.', 'Tên đăng nhập "{0}" đã có người dùng.'),
    (r'User "(.*)" does not exist\.', 'Không có tài khoản "{0}".'),
    (r'Unknown role "(.*)"\..*', 'Vai trò "{0}" không hợp lệ.'),
    (r'User "(.*)" is the last admin; make another admin first\.',
     'Tài khoản "{0}" là người quản trị cuối cùng; hãy cấp quyền quản trị cho người khác trước.'),
    (r'User "(.*)" is already disabled\.', 'Tài khoản "{0}" đã bị vô hiệu hóa từ trước.'),
    (r'User "(.*)" is not disabled\.', 'Tài khoản "{0}" đang hoạt động.'),
    (r"The station already has accounts; ask an admin to add yours\.",
     "Đài đã có tài khoản; hãy nhờ người quản trị tạo tài khoản cho bạn."),
    # roles, approval binding, outputs, input ranges (radio/)
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
    # radio.reports: periods and targets
    (r'Period "(.*)" is not YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY.*',
     'Kỳ "{0}" không hợp lệ; nhập tháng (2026-11), quý (2026-Q4), 6 tháng (2026-H1) hoặc năm (2026).'),
    (r'Date "(.*)" is not YYYY-MM-DD\.', 'Ngày "{0}" không hợp lệ (dạng năm-tháng-ngày, ví dụ 2026-11-30).'),
    (r"The period ends \((.*)\) before it starts \((.*)\)\.", "Ngày kết thúc kỳ đứng trước ngày bắt đầu."),
    (r"Give only one of --month, --period or --from/--until.*",
     "Chỉ chọn một trong: tháng, kỳ, hoặc khoảng từ ngày đến ngày."),
    (r"Give both --from and --until \(YYYY-MM-DD\)\.", "Hãy nhập cả từ ngày và đến ngày."),
    (r"--cutoff applies to --month or --period, not to --from/--until\.",
     "Kỳ báo cáo từ ngày 15 chỉ áp dụng cho tháng hoặc kỳ, không áp dụng cho khoảng ngày tự chọn."),
    (r"A target needs a topic.*", "Chỉ tiêu cần có chủ đề (ví dụ cchc)."),
    (r'Unknown period kind "(.*)"; use month, quarter, half or year\.',
     'Loại kỳ "{0}" không hợp lệ; chọn tháng, quý, 6 tháng hoặc năm.'),
    (r'Minimum "(.*)" is not a number\.', 'Số tối thiểu "{0}" không phải là số.'),
    (r"A target's minimum must be at least 1\.", "Số tối thiểu của chỉ tiêu phải từ 1 trở lên."),
    (r"The target's window ends before it starts\.", "Ngày hết áp dụng đứng trước ngày bắt đầu áp dụng."),
    (r'Target "?([^" ]*)"? does not exist\.', "Không tìm thấy chỉ tiêu số {0}."),
    (r'Role "(.*)" may not target\.manage; .*', "Chỉ lãnh đạo UBND hoặc quản trị mới thay đổi được chỉ tiêu."),
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
    # proof-log reasons the daemon wrote before reasons were stored as codes (radio.wording.reasons)
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
    # the decision at the cut-off (radio/station/decide.py)
    (r"no approved bulletin for this slot", "không có bản tin đã duyệt cho khung giờ này"),
    (r"every approved bulletin for this slot has used up its repeats \((.*)\)",
     lambda m: "mọi bản tin đã duyệt của khung giờ này đã phát đủ số lần được duyệt ("
               + m[1].replace("#", "bản tin số ") + ")"),
    (r"the slot no longer airs at this time \(paused, removed or edited to another time\)",
     "khung giờ không còn phát vào lúc này (đã tạm dừng, bị xóa hoặc được sửa sang giờ khác)"),
    (r"approved bulletins left out", "có bản tin đã duyệt không được phát"),
    (r"left out: (.*)", lambda m: f"không phát: {vi(m[1])}"),
    (r"speech still rendering at the cut-off", "giọng đọc vẫn đang được tạo lúc chốt danh sách phát"),
    (r"speech could not be rendered: (.*)", "không tạo được giọng đọc: {0}"),
    (r"(.*), rendered again for a later slot", lambda m: f"{vi(m[1])}, đã tạo lại cho buổi phát sau"),
    (r"(.*), replace the recording", lambda m: f"{vi(m[1])}, hãy thay bản ghi âm"),
    (r"(speech|recording|ident|intro jingle|outro jingle) file is missing",
     lambda m: f"không tìm thấy tệp {_PART_VI[m[1]]}"),
    (r"(speech|recording|ident|intro jingle|outro jingle) file is empty \(0 bytes\)",
     lambda m: f"tệp {_PART_VI[m[1]]} rỗng (0 byte)"),
    (r"(speech|recording|ident|intro jingle|outro jingle) file does not match its recorded sha256 "
     r"\(damaged or replaced\)", lambda m: f"tệp {_PART_VI[m[1]]} không khớp mã sha256 đã lưu (bị hỏng hoặc bị thay)"),
    (r"(speech|recording|ident|intro jingle|outro jingle) file is truncated: (\S+) s of (\S+) s",
     lambda m: f"tệp {_PART_VI[m[1]]} bị cắt cụt: {m[2]} giây trên {m[3]} giây"),
    (r"(ident|intro jingle|outro jingle) left out: (.*)",
     lambda m: f"bỏ {_PART_VI[m[1]]}: {vi(m[2])}"),
    # what an approval binds, checked before air (radio/bulletins/approval.py, radio/programme/assembly.py)
    (r"it has no approval record", "không có bản ghi phê duyệt"),
    (r"its content was changed after approval \(it does not match the approval hash\)",
     "nội dung đã bị sửa sau khi duyệt (không khớp mã băm lúc duyệt)"),
    (r"its approval record does not match the audit trail",
     "bản ghi phê duyệt không khớp nhật ký thao tác"),
    (r"its speech is not the approved reading", "giọng đọc không phải cách đọc đã duyệt"),
    (r"its audio is not the approved audio", "âm thanh không phải bản đã duyệt"),
    (r"its approved audio is not rendered yet", "chưa tạo xong giọng đọc đã duyệt"),
    (r"bulletin #(\d+): (.*)", lambda m: f"bản tin số {m[1]}: {vi(m[2])}"),
    (r"ident rendered again: (.*)", lambda m: f"đã tạo lại lời giới thiệu đài: {vi(m[1])}"),
    (r"longer than the slot's cap", "dài hơn thời lượng tối đa của khung giờ"),
    (r"does not fit the cap; moves to the next occurrence",
     "không còn đủ thời lượng; chuyển sang buổi phát sau"),
    # radio/accounts/roles.py: PermissionDeniedError (a generic rule; other branches may add the same)
    (r'Role "(\w+)" may not ([\w.]+); it needs the role "(\w+)" or higher\.',
     lambda m: "Tài khoản của bạn không được làm việc này; cần vai trò "
               + {"viewer": "người xem", "officer": "công chức", "leader": "lãnh đạo", "admin": "quản trị"}
               .get(m[3], m[3]) + " trở lên."),
    # radio/proof/corrections.py: manual entries and corrections
    (r"A reason is required \(what happened, e\.g\. power cut, read by microphone\)\.",
     "Cần ghi lý do (chuyện gì xảy ra, ví dụ mất điện, đọc trực tiếp qua micrô)."),
    (r'A manual entry is "aired" or "partial", not "(.*)"\.',
     "Buổi phát nhập tay chỉ có thể là “đã phát” hoặc “phát dở”."),
    (r"The reading's length must be between 1 second and 24 hours\.",
     "Thời lượng buổi đọc phải từ 1 giây đến 24 giờ."),
    (r"A manual entry cannot be in the future\.", "Không thể ghi một buổi phát ở thời điểm chưa tới."),
    (r"Name at least one bulletin that was read\.", "Hãy ghi ít nhất một bản tin đã đọc."),
    (r'Proof log entry "?([^" ]*)"? does not exist\.', "Không có dòng nhật ký số {0}."),
    (r"A target's minimum must be at most (\d+)\.", "Chỉ tiêu tối đa {0} buổi phát."),
    (r"A topic has at most (\d+) characters\.", "Chủ đề dài tối đa {0} ký tự."),
    (r'Unknown status "(.*)"; use one of (.*)\.', "Trạng thái “{0}” không hợp lệ."),
    (r'Time "(.*)" is not YYYY-MM-DD HH:MM \(station time\)\.',
     "Thời điểm “{0}” không đúng dạng YYYY-MM-DD HH:MM (giờ Việt Nam)."),
    # radio/proof/replay.py
    (r"Entry (\d+) did not air \((\w+)\); there is nothing to replay\.",
     "Buổi số {0} không được phát; không có gì để nghe lại."),
    (r"The audio of entry (\d+) is not kept .*",
     "Âm thanh của buổi số {0} không còn được lưu (phát trước khi có lưu trữ, hoặc đã quá thời hạn lưu)."),
    (r"Part (\w+) of the programme is missing from (.*)\.",
     "Thiếu một phần âm thanh ({0}) của chương trình trong kho lưu trữ."),
    (r"Entry (\d+) is a manual entry .*",
     "Buổi số {0} là buổi nhập tay (đọc trực tiếp ngoài hệ thống, ghi lại sau): đài không thu âm buổi này "
     "nên không có gì để nghe lại."),
    (r"Entry (\d+) is a correction of entry (\d+), not an airing; replay entry \d+\.",
     "Dòng số {0} là đính chính của dòng số {1}, không phải một buổi phát; hãy nghe lại dòng số {1}."),
    (r"Entry (\d+) \((\w+)\) has no programme sha256 in the log .*",
     "Buổi số {0} không có mã băm chương trình trong nhật ký (ghi trước khi có lưu trữ để nghe lại): "
     "không có gì để đối chiếu."),
    (r"Part (\w+) of the programme is not kept yet\.",
     "Phần âm thanh ({0}) của chương trình chưa được đưa vào kho lưu trữ; hãy thử lại sau ít phút."),
    # radio/schedule/emergency.py, radio/proof/corrections.py
    (r'Unknown emergency topic "(.*)"; use one of (.*)\.', "Chủ đề “{0}” không có trong danh sách chủ đề."),
    (r"A topic cannot hold control characters\.", "Chủ đề không được chứa ký tự điều khiển."),
    (r"Choose auto, yes or no\.", "Hãy chọn: theo loại, có hoặc không."),
    # radio/proof/chain/verify.py: what the full check found
    (r"entries (\d+)–(\d+) are missing", "thiếu các dòng {0}–{1}"),
    (r"entry (\d+) is missing", "thiếu dòng {0}"),
    (r"entry (\d+) was altered: fields? (.*)", "dòng {0} đã bị sửa: trường {1}"),
    (r"entry (\d+) was altered \(its content does not match its hash\)",
     "dòng {0} đã bị sửa (nội dung không khớp mã băm)"),
    (r"entry (\d+) was rewritten and its hash recomputed(?:: fields? (.*))?",
     lambda m: f"dòng {m[1]} đã bị viết lại và tính lại mã băm" + (f": trường {m[2]}" if m[2] else "")),
    (r"entries (\d+)–(\d+) were re-hashed to hide it", "các dòng {0}–{1} bị tính lại mã băm để che giấu"),
    (r"entry (\d+) was re-hashed to hide it", "dòng {0} bị tính lại mã băm để che giấu"),
    (r"entry (\d+) does not follow entry (\d+) in the chain \(entries reordered or replaced\)",
     "dòng {0} không nối tiếp dòng {1} (các dòng bị đảo thứ tự hoặc bị thay)"),
    (r"entry (\d+) does not match the expected head (.*)", "dòng {0} không khớp mã đầu chuỗi đã ghi lại"),
    (r"entry (\d+) does not match its hash", "dòng {0} không khớp mã băm"),
    (r"entry (\d+) was removed or altered after it was verified",
     "dòng {0} đã bị xóa hoặc sửa sau khi được kiểm tra"),
    (r"entries were deleted from the log since they were verified",
     "có dòng nhật ký bị xóa sau khi được kiểm tra"),
    (r"the proof log tables are missing(?:; (.*))?",
     lambda m: "mất cả bảng nhật ký phát" + (f"; {vi(m[1])}" if m[1] else "")),
    (r"the log tables' schema \(columns or triggers\) changed after the head of (.*)",
     "cấu trúc bảng nhật ký (cột hoặc trigger) đã bị thay đổi"),
    (r"line (\d+) of chain-heads\.jsonl was altered \(its signature does not match\)",
     "dòng {0} của tệp chain-heads.jsonl đã bị sửa (chữ ký không khớp)"),
    (r"lines of chain-heads\.jsonl before line (\d+) were removed or reordered",
     "các dòng trước dòng {0} của tệp chain-heads.jsonl đã bị xóa hoặc đảo thứ tự"),
    (r"the last full check found problems", "lần kiểm tra toàn bộ gần nhất phát hiện sai lệch"),
    (r"entries (\d+)–(\d+) are not covered by any signed head",
     "các dòng {0}–{1} không có trong mã đầu chuỗi đã ký nào"),
    (r"entry (\d+) is not covered by any signed head", "dòng {0} không có trong mã đầu chuỗi đã ký nào"),
    (r"the heads file chain-heads\.jsonl is missing; .*", "tệp chain-heads.jsonl (mã đầu chuỗi đã ký) bị mất"),
    (r"the heads file chain-heads\.jsonl is empty; .*", "tệp chain-heads.jsonl (mã đầu chuỗi đã ký) bị xóa trắng"),
    (r"the heads file chain-heads\.jsonl (?:was shortened|was replaced or shortened): .*",
     "tệp chain-heads.jsonl (mã đầu chuỗi đã ký) bị cắt bớt hoặc bị thay"),
    (r"the heads file chain-heads\.jsonl lost lines its second copy (.*) has \(signed up to entry (\d+)\)",
     "tệp chain-heads.jsonl thiếu các dòng mà bản sao thứ hai có (đã ký tới dòng {1})"),
    (r"the second copy of the heads (.*) is (missing|empty)", "bản sao thứ hai của mã đầu chuỗi bị mất hoặc trống"),
    (r"the last line of the second copy of the heads (.*) was altered",
     "dòng cuối của bản sao thứ hai của mã đầu chuỗi đã bị sửa"),
    (r"entries not written by the station were found in the log and are not signed: (.*)",
     "có dòng nhật ký không do trạm ghi (không được ký): {0}"),
    (r"entries (\d+)–(\d+) were lost from the database \(the signed heads list them\); .*",
     "các dòng {0}–{1} đã mất khỏi cơ sở dữ liệu (mã đầu chuỗi đã ký có ghi); các buổi đó không được phát lại"),
    (r"entry (\d+) was lost from the database \(the signed heads list it\); .*",
     "dòng {0} đã mất khỏi cơ sở dữ liệu (mã đầu chuỗi đã ký có ghi); buổi đó không được phát lại"),
]

# Failures on the air path in rows written before codes (radio/station/faults.py): "<stage>: <cause> (<tries>)".
_STAGES = {
    "could not prepare the programme": "không chuẩn bị được chương trình",
    "could not claim the slot in the log": "không ghi được lượt phát vào nhật ký",
    "could not write the programme": "không ghi được chương trình ra tệp",
    "could not play the programme": "không phát được chương trình",
    "could not write the log row": "không ghi được dòng nhật ký",
}
_CAUSES = {
    "the disk is full": "ổ đĩa đã đầy",
    "the disk quota is used up": "đã hết hạn mức dung lượng ổ đĩa",
    "the database was locked by another program for too long":
        "cơ sở dữ liệu bị một chương trình khác khóa quá lâu",
    "the disk refused the write (full or failing)": "ổ đĩa từ chối ghi (đầy hoặc hỏng)",
    "the database is on a read-only disk": "cơ sở dữ liệu nằm trên ổ chỉ đọc",
    "the output folder is on a read-only disk": "thư mục phát nằm trên ổ chỉ đọc",
    "permission denied": "không có quyền truy cập",
    "a file or folder is missing": "thiếu tệp hoặc thư mục",
    "a folder on the path is missing or is a file": "một thư mục trên đường dẫn bị thiếu hoặc là tệp",
    "the disk reported an input/output error": "ổ đĩa báo lỗi đọc/ghi",
    "a file stands where the output folder should be": "có một tệp nằm ở chỗ của thư mục phát",
    "the sound device took no sound for 5 s": "card âm thanh ngừng nhận tiếng suốt 5 giây",
    # audio/outputs/file.py: the recording read back at the end of a play
    "the recording was deleted during the play":
        "tệp ghi bị xóa trong lúc phát (thư mục phát bị xóa hoặc bị chuyển đi)",
    "the recording does not hold what was written": "tệp ghi không còn đúng nội dung đã ghi (bị cắt hoặc bị thay)",
}
_TRIES = (r"(?: \((?:after (\d+) tries from (\S+) to (\S+)|1 try at (\S+))\))?")


def _cause(text: str) -> str:
    match = re.fullmatch(r"(.*?)(?: \((/.*)\))?", text)
    said = _CAUSES.get(match[1])
    if said is None:
        return vi(text)
    return f"{said} ({match[2]})" if match[2] else said


def vi_cause(text: str) -> str:
    """A cause an output or the system gave, in Vietnamese (the causes above), else as it is."""
    return _cause(text)


def _tries(m: re.Match, first: int) -> str:
    count, start, end, once = m.groups()[first:first + 4]
    if count:
        return f" (sau {count} lần thử từ {start} đến {end})"
    return f" (1 lần thử lúc {once})" if once else ""


def _failure(m: re.Match) -> str:
    return f"{_STAGES[m[1]]}: {_cause(m[2])}{_tries(m, 2)}"


_STAGE = "(" + "|".join(re.escape(s) for s in _STAGES) + ")"
_RULES += [
    (_STAGE + r": (.*?)" + _TRIES, _failure),
    (r"after (\d+|1) failed tr(?:ies|y), the first at (\S+): " + _STAGE + r": (.*)",
     lambda m: f"sau {m[1]} lần thử không thành, lần đầu lúc {m[2]}: {_STAGES[m[3]]}: {_cause(m[4])}"),
    (r"dead air of (\d+) s at (\S+)", "mất tiếng {0} giây lúc {1}"),
    (r"the sound broke up (?:once|(\d+) times) for a moment \(the output ran dry\)",
     lambda m: f"âm thanh bị ngắt quãng chốc lát {m[1] or 1} lần (đường phát bị cạn dữ liệu)"),
    (r"(station process|its air job) died while on air \(([\d.]+) s of ([\d.]+) s heard"
     r"(?:, last sign of life at (\S+))?\)",
     lambda m: ("chương trình của đài bị dừng đột ngột khi đang phát" if m[1] == "station process"
                else "tiến trình phát bị dừng đột ngột khi đang phát")
               + f" (đã phát {_vn_decimal(m[2])} / {_vn_decimal(m[3])} giây"
               + (f", lần cuối còn chạy lúc {m[4]})" if m[4] else ")")),
    (r"(station process|its air job) died after the whole programme was output \(([\d.]+) s of ([\d.]+) s heard"
     r"(?:, last sign of life at (\S+))?\)",
     lambda m: ("chương trình của đài bị dừng đột ngột" if m[1] == "station process"
                else "tiến trình phát bị dừng đột ngột")
               + f" sau khi đã phát hết chương trình (đã phát {_vn_decimal(m[2])} / {_vn_decimal(m[3])} giây"
               + (f", lần cuối còn chạy lúc {m[4]})" if m[4] else ")")),
    (r"its air job died before the programme reached the output",
     "tiến trình phát bị dừng trước khi chương trình kịp phát"),
    (r"the output stopped after ([\d.]+) s: (.*)",
     lambda m: f"đường phát dừng sau {_vn_decimal(m[1])} giây: {_cause(m[2])}"),
]
#: why a station let a provincial bulletin expire (radio.link.inbox), as its acknowledgement says
_UNITS_VI = {"min": "phút", "h": "giờ"}
_RULES += [
    (r"its window ended on (\d{4})-(\d{2})-(\d{2})", lambda m: f"đã hết thời hạn phát (ngày {m[3]}/{m[2]}/{m[1]})"),
    (r"it arrived (\d+) (min|h) after it was sent \(khẩn cấp airs only within (\d+) (min|h)\)",
     lambda m: f"đến đài {m[1]} {_UNITS_VI[m[2]]} sau khi tỉnh gửi (tin khẩn cấp chỉ được phát trong vòng "
               f"{m[3]} {_UNITS_VI[m[4]]})"),
]
_COMPILED = [(re.compile(p), r) for p, r in _RULES]


def vi(message: object) -> str:
    """The Vietnamese wording of a library message (or the message itself)."""
    return _vi_text(str(message))


@functools.lru_cache(maxsize=4096)
def _vi_text(text: str) -> str:
    # a pure function of the text; the log page asks it the same reasons row after row,
    # and each miss tries every rule above
    for pattern, replacement in _COMPILED:
        match = pattern.fullmatch(text.strip())
        if match:
            if callable(replacement):
                return replacement(match)
            return replacement.format(*match.groups())
    return text


#: what an integrity alert is about (radio.bulletins.approval.raise_alert's subjects)
_SUBJECT_VI = {"ident": "lời giới thiệu đài", "jingle:intro": "nhạc hiệu mở đầu",
               "jingle:outro": "nhạc hiệu kết thúc"}


def integrity_subject(subject: str) -> str:
    """``bulletin:12`` → ``bản tin số 12``; ``ident`` → ``lời giới thiệu đài``."""
    kind, _, number = subject.partition(":")
    return f"bản tin số {number}" if kind == "bulletin" else _SUBJECT_VI.get(subject, subject)


def vi_reason(reason: str | None) -> str:
    """A proof-log reason: parts joined by "; ", each maybe "#ID: why"."""
    if not reason:
        return ""
    parts = []
    for part in reason.split("; "):
        match = re.fullmatch(r"#(\d+): (.*)", part)
        parts.append(f"bản tin số {match[1]}: {vi(match[2])}" if match else vi(part))
    return "; ".join(parts)
