"""The audit page's Vietnamese wording of stored audit facts."""

from web.audit_text import describe_detail, describe_target


def test_targets_read_as_the_thing_acted_on():
    assert describe_target("bulletin:12") == "Bản tin số 12"
    assert describe_target("user:canbo") == "Tài khoản canbo"
    assert describe_target("something-new") == "something-new"
    assert describe_target(None) == ""


def test_known_facts_are_translated_and_unknown_ones_shown_as_stored():
    assert describe_detail({"priority": "urgent", "title": "Bão số 3"}) == [
        "Mức ưu tiên: khẩn cấp", "Tiêu đề: Bão số 3"]
    assert describe_detail({"changed": ["text", "title"]}) == ["Đã sửa: Nội dung, Tiêu đề"]
    assert describe_detail({"days": "mon,wed → daily", "valid_from": "– → 2026-12-01"}) == [
        "Ngày trong tuần: Thứ hai, Thứ tư → hàng ngày", "Hiệu lực từ: – → 01/12/2026"]
    assert describe_detail({"op": "revoke", "active": False}) == ["Thao tác: thu hồi", "Đang hoạt động: không"]
    assert describe_detail({"novel_key": "x<y"}) == ["novel_key: x<y"]
    assert describe_detail({"removed": {"topic": "cchc", "period": "month", "minimum": 1}}) == [
        "Đã xóa: Chủ đề: Cải cách hành chính (CCHC); Kỳ: tháng; Tối thiểu: 1"]
    assert describe_detail({"days": "not-a-day"}) == ["Ngày trong tuần: not-a-day"]
    assert describe_detail(None) == []
