"""Reasons of proof-log rows as data: a code with named parameters, said in English and in
Vietnamese from the same entry.

A row's reason is a list of :class:`Reason` parts. The English sentence stored in the
log's ``reason`` column is made from them (joined by "; ", as before), and the Vietnamese
shown by the admin and the reports is made from the codes, never by parsing the English:
changing one wording cannot silently leave the other behind. A parameter may itself be a
:class:`Reason` (a failure's stage and cause), said in the same language.

Rows written before reasons were stored as codes keep only their English, which
:func:`radio.wording.messages.vi_reason` still rephrases.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass, field

from radio.wording.messages import vi_cause, vi_reason

EN, VI = "en", "vi"

#: code -> (English template, Vietnamese template); parameters are named, formatted by
#: :meth:`str.format` (a float's decimal point becomes a comma in Vietnamese)
TEMPLATES: dict[str, tuple[str, str]] = {
    # a programme that did not go on air as planned
    "station_stopped": ("station stopped", "đài dừng hoạt động"),
    "station_stopped_by": ("station stopped by {signal}", "đài dừng hoạt động (tín hiệu {signal})"),
    "urgent_interrupted": ("interrupted by urgent bulletin #{bulletin_id}",
                           "bị ngắt để phát bản tin khẩn cấp số {bulletin_id}"),
    "late_start": ("started {late_s:.0f} s late", "bắt đầu muộn {late_s:.0f} giây"),
    "nothing_played": ("nothing played", "không phát được gì"),
    "output_stopped": ("the output stopped after {seconds:.1f} s: {cause}",
                       "đường phát dừng sau {seconds:.1f} giây: {cause}"),
    "dead_air": ("dead air of {seconds:.0f} s at {at}", "mất tiếng {seconds:.0f} giây lúc {at}"),
    "sound_broke_once": ("the sound broke up once for a moment (the output ran dry)",
                         "âm thanh bị ngắt quãng chốc lát 1 lần (đường phát bị cạn dữ liệu)"),
    "sound_broke": ("the sound broke up {count} times for a moment (the output ran dry)",
                    "âm thanh bị ngắt quãng chốc lát {count} lần (đường phát bị cạn dữ liệu)"),
    # why an occurrence airs nothing, decided at its cut-off (radio.station.decide)
    "nothing_approved": ("no approved bulletin for this slot", "không có bản tin đã duyệt cho khung giờ này"),
    "repeats_used_up": ("every approved bulletin for this slot has used up its repeats ({bulletins!b})",
                        "mọi bản tin đã duyệt của khung giờ này đã phát đủ số lần được duyệt ({bulletins!b})"),
    "no_longer_scheduled": (
        "the slot no longer airs at this time (paused, removed or edited to another time)",
        "khung giờ không còn phát vào lúc này (đã tạm dừng, bị xóa hoặc được sửa sang giờ khác)"),
    "left_out": ("approved bulletins left out", "có bản tin đã duyệt không được phát"),
    "bulletin_why": ("#{bulletin_id}: {why}", "bản tin số {bulletin_id}: {why}"),
    # what the running order or the assembly left out of a programme that aired
    "bulletin_left_out": ("#{bulletin_id}: left out: {why}", "bản tin số {bulletin_id}: không phát: {why}"),
    "ident_left_out": ("ident left out: {why}", "bỏ lời giới thiệu đài: {why}"),
    "ident_rendered_again": ("ident rendered again: {why}", "đã tạo lại lời giới thiệu đài: {why}"),
    "intro_jingle_left_out": ("intro jingle left out: {why}", "bỏ nhạc hiệu mở đầu: {why}"),
    "outro_jingle_left_out": ("outro jingle left out: {why}", "bỏ nhạc hiệu kết thúc: {why}"),
    # the daemon was away
    "suspended": ("station was suspended or its clock jumped: {late_s:.0f} s late, beyond the grace window",
                  "đài bị tạm ngưng hoặc đồng hồ bị nhảy: muộn {late_s:.0f} giây, quá thời gian cho phép"),
    "away_from": ("station was not running from {since} until {until}",
                  "đài không chạy từ {since:.16} đến {until:.16}"),
    "away": ("station was not running until {until}", "đài không chạy đến {until:.16}"),
    # claims closed after a crash
    "process_died_on_air": ("station process died while on air ({heard}{life})",
                            "chương trình của đài bị dừng đột ngột khi đang phát ({heard}{life})"),
    "air_job_died_on_air": ("its air job died while on air ({heard}{life})",
                            "tiến trình phát bị dừng đột ngột khi đang phát ({heard}{life})"),
    "process_died_after_whole": (
        "station process died after the whole programme was output ({heard}{life})",
        "chương trình của đài bị dừng đột ngột sau khi đã phát hết chương trình ({heard}{life})"),
    "air_job_died_after_whole": (
        "its air job died after the whole programme was output ({heard}{life})",
        "tiến trình phát bị dừng đột ngột sau khi đã phát hết chương trình ({heard}{life})"),
    "heard_of": ("{seconds:.1f} s of {programme_seconds:.1f} s heard",
                 "đã phát {seconds:.1f} / {programme_seconds:.1f} giây"),
    "heard": ("{seconds:.1f} s heard", "đã phát {seconds:.1f} giây"),
    "last_life": (", last sign of life at {at}", ", lần cuối còn chạy lúc {at}"),
    "air_job_died_before_output": ("its air job died before the programme reached the output",
                                   "tiến trình phát bị dừng trước khi chương trình kịp phát"),
    # failures on the air path: a stage, a cause, the tries
    "failure": ("{stage}: {cause}", "{stage}: {cause}"),
    "failed_tries": ("{failure} ({span})", "{failure} ({span})"),
    "one_try": ("1 try at {at}", "1 lần thử lúc {at}"),
    "tries": ("after {count} tries from {first} to {last}", "sau {count} lần thử từ {first} đến {last}"),
    "after_failed_try": ("after 1 failed try, the first at {at}: {failure}",
                         "sau 1 lần thử không thành, lần đầu lúc {at}: {failure}"),
    "after_failed_tries": ("after {count} failed tries, the first at {at}: {failure}",
                           "sau {count} lần thử không thành, lần đầu lúc {at}: {failure}"),
    "stage_prepare": ("could not prepare the programme", "không chuẩn bị được chương trình"),
    "stage_claim": ("could not claim the slot in the log", "không ghi được lượt phát vào nhật ký"),
    "stage_play": ("could not write the programme", "không ghi được chương trình ra tệp"),
    "stage_play_out": ("could not play the programme", "không phát được chương trình"),
    "stage_log": ("could not write the log row", "không ghi được dòng nhật ký"),
    "cause_disk_full": ("the disk is full{where}", "ổ đĩa đã đầy{where}"),
    "cause_quota": ("the disk quota is used up{where}", "đã hết hạn mức dung lượng ổ đĩa{where}"),
    "cause_read_only_output": ("the output folder is on a read-only disk{where}",
                               "thư mục phát nằm trên ổ chỉ đọc{where}"),
    "cause_permission": ("permission denied{where}", "không có quyền truy cập{where}"),
    "cause_missing": ("a file or folder is missing{where}", "thiếu tệp hoặc thư mục{where}"),
    "cause_not_a_folder": ("a folder on the path is missing or is a file{where}",
                           "một thư mục trên đường dẫn bị thiếu hoặc là tệp{where}"),
    "cause_disk_io": ("the disk reported an input/output error{where}", "ổ đĩa báo lỗi đọc/ghi{where}"),
    "cause_file_in_the_way": ("a file stands where the output folder should be{where}",
                              "có một tệp nằm ở chỗ của thư mục phát{where}"),
    "cause_database_locked": ("the database was locked by another program for too long",
                              "cơ sở dữ liệu bị một chương trình khác khóa quá lâu"),
    "cause_database_refused": ("the disk refused the write (full or failing)",
                               "ổ đĩa từ chối ghi (đầy hoặc hỏng)"),
    "cause_database_read_only": ("the database is on a read-only disk", "cơ sở dữ liệu nằm trên ổ chỉ đọc"),
    "cause_unknown": ("unknown cause", "không rõ nguyên nhân"),
    "cause_played_nothing": ("the output played nothing", "đường phát không phát ra gì"),
    "where": (" ({path})", " ({path})"),
    # the words of another part of the library (the running order's decision, an output's
    # own message): kept as it said them, rephrased by the messages' wording
    "message": ("{text}", "{text!m}"),
    "output_message": ("{text}", "{text!c}"),
}


@dataclass(frozen=True)
class Reason:
    """One part of a row's reason: a code of :data:`TEMPLATES` and its parameters."""

    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.code not in TEMPLATES:
            raise ValueError(f"unknown reason code {self.code!r}")

    def english(self) -> str:
        return say(self, EN)

    def __str__(self) -> str:
        return self.english()

    def to_data(self) -> dict:
        return {"code": self.code, "params": {k: _to_data(v) for k, v in self.params.items()}}


def reason(code: str, **params) -> Reason:
    return Reason(code, params)


def message(text: str) -> Reason:
    """Another part of the library's sentence, kept as it is."""
    return Reason("message", {"text": text})


def as_reason(note: str | Reason) -> Reason:
    """*note* as a reason: a sentence of the library's without a code becomes a message."""
    return note if isinstance(note, Reason) else message(note)


class _Formatter(string.Formatter):
    """Formats a template in one language: nested reasons in it, None as nothing,
    Vietnamese decimal commas."""

    def __init__(self, language: str):
        self.language = language

    def format_field(self, value, format_spec):
        if isinstance(value, Reason):
            return say(value, self.language)
        if value is None:
            return ""
        text = format(value, format_spec)
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return text.replace(".", ",") if self.language == VI and number else text

    def convert_field(self, value, conversion):
        if conversion == "m":  # a library message, in its Vietnamese wording
            return vi_reason(value) if self.language == VI else value
        if conversion == "c":  # an output's cause, in its Vietnamese wording
            return vi_cause(value) if self.language == VI else value
        if conversion == "b":  # bulletin ids
            return ", ".join(("bản tin số {}" if self.language == VI else "#{}").format(i) for i in value)
        return super().convert_field(value, conversion)


_FORMATTERS = {EN: _Formatter(EN), VI: _Formatter(VI)}


def say(part: Reason, language: str) -> str:
    """*part* in *language* (``en`` or ``vi``)."""
    return _FORMATTERS[language].format(TEMPLATES[part.code][language == VI], **part.params)


def english(parts: list[Reason]) -> str | None:
    """The sentence stored in the log's ``reason`` column."""
    return "; ".join(say(p, EN) for p in parts) or None


def vietnamese(parts: list[Reason]) -> str:
    return "; ".join(say(p, VI) for p in parts)


def to_json(parts: list[Reason]) -> str:
    return json.dumps([p.to_data() for p in parts], ensure_ascii=False, sort_keys=True)


def from_json(text: str) -> list[Reason]:
    return [_from_data(d) for d in json.loads(text)]


def shown(english_text: str | None, parts_json: str | None = None) -> str:
    """The Vietnamese of a row's reason: from its codes when it has them, else (a row
    written before reasons were stored as codes) by rephrasing its English.

    The English is the hash-chained record and the codes sit beside it unhashed, so the
    codes are said only when they make exactly that English: codes added to an older
    row, or changed, never change what the row is shown to say.
    """
    if parts_json:
        try:
            parts = from_json(parts_json)
            if english(parts) == english_text:
                return vietnamese(parts)
        except (ValueError, KeyError, TypeError, IndexError):  # not codes of this version
            pass
    return vi_reason(english_text)


def _to_data(value):
    return value.to_data() if isinstance(value, Reason) else value


def _from_data(value):
    if isinstance(value, dict) and set(value) == {"code", "params"}:
        return Reason(value["code"], {k: _from_data(v) for k, v in value["params"].items()})
    return value
