"""A demo station: sample CCHC bulletins, the usual slots and two accounts.

Seeding is idempotent: a station that already has bulletins is left alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from radio.accounts.roles import Actor
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin
from radio.clock import STATION_TZ
from radio.store.home import Home
from radio.schedule.slots import add_slot
from radio.accounts.users import add_user

#: published in the README: marked demo, so they log in only under ``radio demo``
#: until an admin sets new passwords (see radio.accounts.logins)
DEMO_ACCOUNTS = (("canbo", "Demo-VHXH-2026", "officer"), ("lanhdao", "Demo-UBND-2026", "leader"))

SAMPLES = (
    dict(
        title="Tuyên truyền cải cách hành chính tháng này",
        text=(
            "Thực hiện Kế hoạch số 26/KH-UBND ngày 26/01/2022 của UBND xã về tuyên truyền cải cách "
            "hành chính (CCHC), UBND xã đề nghị cán bộ, công chức và nhân dân tích cực sử dụng dịch vụ "
            "công trực tuyến mức độ 3, 4. Bộ phận một cửa của xã tiếp nhận hồ sơ từ 7h30 đến 17h00 "
            "các ngày từ thứ 2 đến thứ 6."
        ),
        priority="normal", repeat_count=3,
    ),
    dict(
        title="Thông báo nộp hồ sơ trực tuyến",
        text=(
            "Từ ngày 01/12/2026, người dân có thể nộp hồ sơ thủ tục hành chính (TTHC) về hộ tịch, đất "
            "đai qua Cổng dịch vụ công quốc gia. Lệ phí chứng thực là 10.000 đồng một bản. Mọi thắc mắc "
            "xin liên hệ số điện thoại 0209 3870 123."
        ),
        priority="priority", repeat_count=2,
    ),
)


#: the one-off slot a minute after the demo's first start, so a new user hears a broadcast
DEMO_SLOT = "Phát thử (demo)"


def seed(db: Database, home: Home, *, now: datetime,
         first_slot_in: timedelta = timedelta(minutes=1)) -> tuple[tuple[str, str, str], ...]:
    """Fill an empty station with demo content; return the demo accounts.

    :param first_slot_in: when the demo's one-off slot airs after *now*.
    """
    if db["users"].count == 0:
        for username, password, role in DEMO_ACCOUNTS:
            add_user(db, username=username, password=password, role=role, now=now, demo=True,
                     display_name={"officer": "Cán bộ VH-XH", "leader": "Lãnh đạo UBND xã"}[role])
    officer, leader = Actor("canbo", "officer"), Actor("lanhdao", "leader")
    if db["bulletins"].count == 0:
        for sample in SAMPLES:
            new_id = add_bulletin(db, now=now, actor=officer, **sample)
            approve_bulletin(db, new_id, by="lanhdao", now=now, actor=leader, expected_sha256=None)
        add_bulletin(db, now=now, actor=officer, title="Bản tin chờ duyệt",
                     text="HĐND xã tổ chức kỳ họp thứ 4 vào ngày 15/12/2026.")
    if db["slots"].count == 0:
        add_slot(db, at="05:30", days="daily", now=now, name="Buổi sáng", cap_minutes=15, actor=officer)
        add_slot(db, at="17:00", days="daily", now=now, name="Buổi chiều", cap_minutes=15, actor=officer)
        soon = (now + first_slot_in).astimezone(STATION_TZ)
        add_slot(db, at=soon.strftime("%H:%M:%S"), on_date=soon.date().isoformat(), now=now,
                 name=DEMO_SLOT, actor=officer)
    return DEMO_ACCOUNTS
