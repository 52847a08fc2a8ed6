"""The leader's queue: drafts with their audio and spoken text; approve in one tap."""

from radio import bulletins

from .test_speech_pages import _draft


def test_queue_lists_drafts_with_player_and_spoken_text(client, auth, db):
    first = _draft(db, title="Họp dân", text="Thôn 3 họp lúc 14h.")
    _draft(db, title="Tiêm chủng", text="Trạm y tế tiêm chủng.")
    auth.login("leader", "leader")
    html = client.get("/approvals/").get_data(as_text=True)
    assert "Bản tin chờ duyệt (2)" in html
    assert f'src="/speech/bulletin/{first}"' in html
    assert "Họp dân.\nThôn ba họp lúc mười bốn giờ." in html


def test_approve_from_the_queue(client, auth, db):
    bulletin_id = _draft(db)
    auth.login("leader", "leader")
    digest = bulletins.content_sha256(bulletins.get_bulletin(db, bulletin_id))
    assert f'value="{digest}"' in client.get("/approvals/").get_data(as_text=True)
    response = client.post(f"/approvals/{bulletin_id}/approve", data={"content_sha256": digest},
                           follow_redirects=True)
    assert f"Đã duyệt bản tin số {bulletin_id}." in response.get_data(as_text=True)
    assert bulletins.get_bulletin(db, bulletin_id)["status"] == "approved"
    assert "Không có bản tin nào chờ duyệt." in response.get_data(as_text=True)


def test_officers_have_no_queue(client, auth, db):
    bulletin_id = _draft(db)
    auth.login()
    assert client.get("/approvals/").status_code == 403
    assert client.post(f"/approvals/{bulletin_id}/approve").status_code == 403
    assert bulletins.get_bulletin(db, bulletin_id)["status"] == "draft"


def test_return_with_a_reason_and_a_changed_draft_is_not_approved(client, auth, db):
    from .test_speech_pages import OFFICER
    from .conftest import START

    bulletin_id = _draft(db)
    auth.login("leader", "leader")
    stale = bulletins.content_sha256(bulletins.get_bulletin(db, bulletin_id))
    bulletins.update_bulletin(db, bulletin_id, text="Nội dung đã sửa.", actor=OFFICER, now=START)
    html = client.post(f"/approvals/{bulletin_id}/approve", data={"content_sha256": stale},
                       follow_redirects=True).get_data(as_text=True)
    assert bulletins.get_bulletin(db, bulletin_id)["status"] == "draft" and "flash-error" in html
    html = client.post(f"/approvals/{bulletin_id}/return", data={"reason": "Thiếu ngày họp."},
                       follow_redirects=True).get_data(as_text=True)
    assert f"Đã trả lại bản tin số {bulletin_id} cho người soạn." in html
    assert bulletins.get_bulletin(db, bulletin_id)["return_reason"] == "Thiếu ngày họp."
    assert "Không có bản tin nào chờ duyệt." in html  # back with its officer
