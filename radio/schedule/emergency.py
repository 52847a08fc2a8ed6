"""Emergency broadcasts (phát khẩn cấp): a leader's words on air within seconds.

One call does what the leader's one button means: the typed text becomes an
urgent bulletin approved by that leader (or an approved bulletin is picked),
and the daemon is asked to interrupt whatever is on air and play it. The
daemon logs the interrupted programme with the reason "interrupted by urgent
bulletin #N" and the broadcast itself as an ``urgent`` occurrence.

A typed emergency gets its own topic, chosen on the page (default
:data:`DEFAULT_TOPIC`, never CCHC unless the leader picks it): a storm warning is
not a bulletin on administrative reform and must not count toward that target.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from radio.bulletins import lifecycle as bulletins_mod
from radio.schedule import commands
from radio.accounts.roles import Actor, require
from radio.errors import NotFoundError, ValidationError
from radio.store.connection import write
from radio.bulletins.topics import TOPICS

DEFAULT_TITLE = "Thông báo khẩn cấp"
#: ready-made openings a leader picks and completes (Luật Phòng, chống thiên tai: warn, then tell people what to do)
TEMPLATES = {
    "bao": ("Cảnh báo bão", "Ủy ban nhân dân xã thông báo khẩn: bão sắp đổ bộ vào địa bàn xã. Đề nghị bà con "
                            "chằng chống nhà cửa, không ra đồng, không đi qua sông suối, theo dõi thông báo tiếp theo."),
    "lu": ("Cảnh báo lũ, sạt lở", "Ủy ban nhân dân xã thông báo khẩn: nước sông suối đang lên nhanh, có nguy cơ lũ quét "
                                  "và sạt lở đất. Bà con vùng trũng, ven suối, chân đồi di chuyển ngay đến nơi an toàn."),
    "chay": ("Cháy", "Ủy ban nhân dân xã thông báo khẩn: đang xảy ra cháy. Đề nghị bà con tránh xa khu vực cháy, "
                     "nhường đường cho lực lượng chữa cháy, gọi 114 khi cần."),
    "dich": ("Dịch bệnh", "Ủy ban nhân dân xã thông báo khẩn về dịch bệnh trên địa bàn. Đề nghị bà con thực hiện "
                          "ngay các biện pháp phòng dịch theo hướng dẫn của trạm y tế xã."),
}
#: the topic of a typed emergency when the leader picks none
DEFAULT_TOPIC = "khan-cap"
#: the topic each ready-made opening suggests
TEMPLATE_TOPICS = {"bao": "thien-tai", "lu": "thien-tai", "chay": "khan-cap", "dich": "y-te"}
#: an emergency is short: a long text is a bulletin for a slot
MAX_EMERGENCY_CHARS = 2000


def broadcast(db: Database, *, actor: Actor, now: datetime, text: str | None = None,
              title: str | None = None, bulletin_id: int | None = None, topic: str | None = None) -> dict:
    """Put *text* (or approved bulletin *bulletin_id*) on air now.

    :param topic: the typed text's topic (a code of :data:`radio.bulletins.topics.TOPICS`;
        default :data:`DEFAULT_TOPIC`). A picked bulletin keeps its own topic.
    :return: ``{"bulletin_id": int, "command_id": int}``
    :raise ValidationError: neither or both of text and bulletin, or a text too long.
    :raise radio.errors.StateError: the picked bulletin is not approved.
    """
    require(actor, "bulletin.urgent")
    text = (text or "").strip()
    if bool(text) == (bulletin_id is not None):
        raise ValidationError("Type the emergency text or pick an approved bulletin (one of them).")
    if len(text) > MAX_EMERGENCY_CHARS:
        raise ValidationError(f"An emergency text is at most {MAX_EMERGENCY_CHARS} characters; "
                              f"this one is {len(text)}.")
    topic = (topic or "").strip().lower() or DEFAULT_TOPIC
    if topic not in TOPICS:
        raise ValidationError(f'Unknown emergency topic "{topic[:40]}"; use one of {", ".join(TOPICS)}.')
    with write(db):
        if text:
            bulletin_id = bulletins_mod.add_bulletin(
                db, title=(title or "").strip() or DEFAULT_TITLE, text=text, now=now,
                priority="urgent", topic=topic, actor=actor)
            # the leader typed it and confirmed it on the next page: that is the approval
            bulletins_mod.approve_bulletin(db, bulletin_id, actor=actor, now=now, expected_sha256=None)
        command_id = commands.request_play_now(db, bulletin_id, actor=actor, now=now)
    return {"bulletin_id": int(bulletin_id), "command_id": int(command_id)}


def status(db: Database, command_id: int) -> dict:
    """Where an emergency broadcast is: ``waiting`` for the daemon, ``taken``, then the log row.

    :return: ``{"state": "waiting" | "taken" | <occurrence status>, "occurrence": dict | None}``
    """
    rows = list(db["commands"].rows_where("id = ?", [int(command_id)]))
    if not rows:
        raise NotFoundError(f"Emergency broadcast {command_id} does not exist.")
    command = rows[0]
    # with its reason as codes (m400's table), for the page to say it in Vietnamese
    rows = list(db.query("SELECT o.*, (SELECT r.parts FROM occurrence_reasons r WHERE r.occurrence_id = o.id) "
                         "AS reason_parts FROM occurrences o WHERE o.key = ?", [f"urgent:{command_id}"]))
    if rows:
        return {"state": rows[0]["status"], "occurrence": rows[0], "command": command}
    return {"state": "taken" if command["handled_at"] else "waiting", "occurrence": None,
            "command": command}
