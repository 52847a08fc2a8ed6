"""The report's totals in Vietnamese sentences, shared by the Word report and the log page.

Every entry is named by its kind (a manual entry or an emergency is not "theo lịch"),
and "trên hệ thống loa truyền thanh" is said only of airings whose output fed
loudspeakers, with the outputs they used; airings that reached no loudspeaker are
counted apart and said not to count toward any target.
"""

from __future__ import annotations

from radio.proof.log import STANDING_LABELS
from radio.reports.rows import Summary

#: how the report names an entry of each kind (a manual entry is not "theo lịch")
KIND_WORDS = {"slot": "theo lịch", "urgent": "phát khẩn cấp", "resume": "phát tiếp phần bị ngắt",
              "manual": "nhập tay (đọc trực tiếp ngoài hệ thống, do người nhập ghi lại)"}
MANUAL_NOTE = "nhập tay, đọc trực tiếp"


#: a manual entry's output: a person read it on the loudspeakers
OUTPUT_WORDS = {"manual": "đọc trực tiếp (nhập tay)", "": "không rõ"}


def _outputs_text(outputs: list[tuple[str, int]]) -> str:
    return ", ".join(f"{OUTPUT_WORDS.get(name, name)} ({n} buổi)" for name, n in outputs)


def summary_sentences(summary: Summary) -> list[str]:
    """The report's totals: every entry by kind and status, then what reached the
    loudspeakers (and through which outputs), then what did not and why it is not counted."""
    kinds = ", ".join(f"{n} buổi {KIND_WORDS.get(k, k)}" for k, n in summary.by_kind.items() if n)
    parts = ", ".join(f"{n} buổi {STANDING_LABELS.get(s, s)}" for s, n in summary.by_status.items() if n)
    texts = [f"Trong kỳ báo cáo, nhật ký phát ghi {summary.total} buổi phát"
             f"{' (' + kinds + ')' if kinds else ''}{': ' + parts if parts else ''}."]
    heard = sum(n for _, n in summary.loudspeaker_outputs)
    if heard:
        texts.append(f"Có {heard} buổi đã phát trọn vẹn trên hệ thống loa truyền thanh, qua các đầu ra: "
                     f"{_outputs_text(summary.loudspeaker_outputs)}; tổng cộng {summary.items_completed} "
                     "lượt tin bài được phát trọn vẹn trên loa.")
    else:
        texts.append("Không có buổi nào được phát trọn vẹn trên hệ thống loa truyền thanh.")
    if summary.silent_outputs:
        texts.append(f"Có {summary.silent_count} buổi được phát ra đầu ra không nối với loa "
                     f"({_outputs_text(summary.silent_outputs)}): không phát ra loa, nên không được tính "
                     "vào chỉ tiêu và không có trong danh sách tin bài đã phát dưới đây.")
    return texts
