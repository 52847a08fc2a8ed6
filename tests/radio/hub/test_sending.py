"""A bulletin's copies: one per station, signed for it, the same bytes on every try; sending
with the servers away records the attempt and leaves every copy to send."""

import pytest

from radio.errors import StateError
from radio.hub import HubUnreachableError, Targets, add_station, approve, send, write_bulletin
from radio.hub.sending import copy_for, plan
from radio.hub.bulletins import get
from radio.network.messages import BadMessage, read_bulletin

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def approved(hub, stations, hub_clock):
    bulletin_id = write_bulletin(hub.db, cls="uu-tien", title="Lịch tiêm", text="Tiêm thứ Bảy.", topic="y-te",
                                 targets=Targets.parse("zone:bac"), now=hub_clock.now(), repeat=2,
                                 valid_from="2026-12-08", valid_until="2026-12-10")
    approve(hub.db, bulletin_id, by="Nguyễn Văn A", now=hub_clock.now())
    return bulletin_id


def test_each_copy_is_signed_for_its_station_and_the_same_bytes_every_time(hub, approved):
    row, pending, targets = plan(hub, approved)
    assert targets == ["XA01", "XA02"] and [code for code, _ in pending] == targets
    data = copy_for(hub, row, "XA01", pending[0][1])
    assert copy_for(hub, get(hub.db, approved), "XA01", pending[0][1]) == data
    bulletin = read_bulletin(data, public_key=hub.authority.signing_public_key, station="XA01")
    assert (bulletin.id, bulletin.cls, bulletin.repeat, bulletin.topic, bulletin.approved_by, bulletin.province,
            bulletin.valid_until) == (approved, "uu-tien", 2, "y-te", "Nguyễn Văn A", "Tỉnh Thử", "2026-12-10")
    with pytest.raises(BadMessage, match="sent to station XA01, not XA02"):
        read_bulletin(data, public_key=hub.authority.signing_public_key, station="XA02")


def test_targets_are_fixed_at_the_first_send(hub, approved, tmp_path, hub_clock):
    first = plan(hub, approved)
    add_station(hub, "XA04", name="Xã Bốn", zone="bac", join_path=tmp_path / "XA04.creds", now=hub_clock.now())
    hub_clock.advance(3600)
    assert plan(hub, approved) == first  # the same stations, each copy with the time it was made


def test_with_the_servers_away_the_send_fails_in_one_sentence_and_leaves_every_copy_to_send(hub, approved):
    with pytest.raises(HubUnreachableError) as caught:
        send(hub, approved, timeout=20)
    message = str(caught.value)
    assert message.startswith(f"Bulletin {approved} is approved but was not sent to XA01, XA02: ")
    assert "nats://127.0.0.1:1" in message and message.endswith(f"radio hub resend {approved}.")
    rows = hub.db.execute("SELECT station, attempts, last_error FROM sends ORDER BY station").fetchall()
    assert rows == [("XA01", 1, "connection refused"), ("XA02", 1, "connection refused")]
    assert [code for code, _ in plan(hub, approved)[1]] == ["XA01", "XA02"]


def test_a_draft_is_not_sent(hub, stations, hub_clock):
    bulletin_id = write_bulletin(hub.db, cls="thuong", title="T", text="X", targets=Targets(all=True),
                                 now=hub_clock.now())
    with pytest.raises(StateError, match="not approved"):
        send(hub, bulletin_id)
