"""The leader's queue: drafts with their audio and spoken text; approve in one tap."""

from radio.bulletins import lifecycle as bulletins
from tests.support.actors import LEADER

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


def test_a_lexicon_entry_on_the_admin_page_sends_approved_bulletins_back_with_the_difference(client, auth, db):
    """A lexicon entry after approval, through the admin: the officer's entry does not touch the
    approved reading; the leader sees both readings and approves the new one."""
    from radio.bulletins import approval

    from .conftest import START
    from .test_speech_pages import OFFICER

    bulletin_id = _draft(db, title="Họp dân", text="UBND xã mời bà con họp.")
    bulletins.approve_bulletin(db, bulletin_id, actor=LEADER, now=START, expected_sha256=None)
    approved_reading = approval.get(db, bulletin_id)["spoken_text"]
    auth.login()
    client.post("/lexicon/", data={"term": "UBND", "spoken": "ban tổ chức giải tán, không cần họp"})
    assert approval.get(db, bulletin_id)["spoken_text"] == approved_reading
    auth.logout()
    auth.login("leader", "leader")
    html = client.get("/approvals/").get_data(as_text=True)
    assert "cần duyệt lại cách đọc (1)" in html and f'id="reapprove-{bulletin_id}"' in html
    assert "<del>nhân dân</del>" in html and "<ins>tổ chức giải tán, không cần họp</ins>" in html
    waiting = approval.reapprovals(db)[0]
    response = client.post(f"/approvals/{bulletin_id}/approve", follow_redirects=True, data={
        "content_sha256": bulletins.content_sha256(bulletins.get_bulletin(db, bulletin_id)),
        "spoken_sha256": approval.sha256_text(waiting["new_spoken"])})
    assert f"Đã duyệt bản tin số {bulletin_id}." in response.get_data(as_text=True)
    assert approval.get(db, bulletin_id)["spoken_text"] == waiting["new_spoken"]
    assert approval.reapprovals(db) == [] and db["renders"].get(bulletin_id)["state"] == "pending"
