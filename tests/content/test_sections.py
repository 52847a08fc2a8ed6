"""Parts of a long plan become bulletins; an import does not repeat its title."""

from content.sections import drop_title, split_sections

PLAN = """KẾ HOẠCH tuyên truyền CCHC năm 2022

Căn cứ Kế hoạch số 05/KH-UBND, UBND xã xây dựng kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích

Nâng cao nhận thức của cán bộ và nhân dân.

2. Yêu cầu

Tuyên truyền bám sát nội dung kế hoạch.

II. NỘI DUNG TUYÊN TRUYỀN

Tuyên truyền về dịch vụ công trực tuyến mức độ 3, 4."""


def test_roman_parts_with_their_numbered_subparts():
    sections = split_sections(PLAN)
    assert [(s.level, s.title) for s in sections] == [
        (1, "I. MỤC ĐÍCH, YÊU CẦU"), (2, "1. Mục đích"), (2, "2. Yêu cầu"),
        (1, "II. NỘI DUNG TUYÊN TRUYỀN")]
    assert sections[0].text.startswith("1. Mục đích\n\nNâng cao")
    assert sections[1].text == "Nâng cao nhận thức của cán bộ và nhân dân."
    assert sections[3].text == "Tuyên truyền về dịch vụ công trực tuyến mức độ 3, 4."


def test_numbered_parts_when_there_are_no_roman_ones():
    text = "Thông báo\n\n1. Lịch tiêm\n\nThứ hai tuần sau.\n\n2. Địa điểm\n\nTrạm y tế xã."
    assert [(s.title, s.text) for s in split_sections(text)] == [
        ("1. Lịch tiêm", "Thứ hai tuần sau."), ("2. Địa điểm", "Trạm y tế xã.")]
    assert split_sections("Một đoạn văn không có mục nào.") == []


def test_a_long_numbered_paragraph_is_not_a_heading():
    long_item = "1. " + "Tuyên truyền sâu rộng " * 10
    assert split_sections(f"Tiêu đề\n\n{long_item}\n\n2. Ngắn\n\nNội dung.") == [
        split_sections("2. Ngắn\n\nNội dung.")[0]]


def test_drop_title_only_when_the_first_paragraph_is_the_title():
    assert drop_title("Thông báo", "Thông báo\n\nNội dung.") == "Nội dung."
    assert drop_title("THÔNG  BÁO", "thông báo\n\nNội dung.") == "Nội dung."
    assert drop_title("Khác", "Thông báo\n\nNội dung.") == "Thông báo\n\nNội dung."

