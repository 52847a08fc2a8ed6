"""Targets proposed from a plan's text: the sentences read, the ones ignored, .docx as .txt."""

from pathlib import Path

from docx import Document

from radio.reports.plan_import import propose, propose_text

SEEDS = Path("/work/shared/seeds")


def test_monthly_minimum_with_a_number_and_the_plan_year():
    text = ("KẾ HOẠCH Tuyên truyền cải cách hành chính năm 2026\n\n"
            "- Hằng tháng có ít nhất 02 tin, bài về CCHC phát trên hệ thống loa truyền thanh của xã.")
    [p] = propose_text(text)
    assert (p.topic, p.period, p.minimum, p.applies_from, p.applies_until) == (
        "cchc", "month", 2, "2026-01-01", "2026-12-31")


def test_sentences_without_the_loudspeaker_or_a_count_propose_nothing():
    text = ("Kế hoạch năm 2026\n\n- Định kỳ hàng tháng có ít nhất một tin bài trên trang thông tin điện tử.\n\n"
            "- Tổ chức ít nhất 02 cuộc/năm về hội nghị.\n\n- Tuyên truyền thường xuyên trên hệ thống loa truyền thanh.\n\n"
            "- Quý IV/2026: Tổ chức tổng kết đánh giá.")
    assert propose_text(text) == []


def test_hard_wrapped_quarter_lines_are_joined():
    text = "Kế hoạch năm 2022\n\n- Quý IV/2022: Thực hiện tuyên truyền tin bài trên cổng thông tin\n\nđiện tử xã, hệ thống truyền thanh của xã."
    [p] = propose_text(text)
    assert (p.period, p.applies_from, p.applies_until) == ("quarter", "2022-10-01", "2022-12-31")
    assert p.sentence.endswith("hệ thống truyền thanh của xã.")


def test_a_docx_plan_proposes_what_its_text_does(tmp_path):
    source = SEEDS / "ke-hoach-thi-tran-thach-ha-2021.txt"
    doc = Document()
    for line in source.read_text(encoding="utf-8").splitlines():
        doc.add_paragraph(line)
    path = tmp_path / "ke-hoach.docx"
    doc.save(path)
    assert propose(path) == propose(source) and len(propose(path)) == 1
