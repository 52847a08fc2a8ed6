"""A leader's approve-and-send in the province admin, through a real one-server nats-server:
every copy delivered, the bulletin approved by the leader's name, the page saying so."""

from __future__ import annotations

import re
import shutil

import pytest

from radio.clock import ManualClock
from radio.hub import Targets, init_hub, status, write_bulletin
from radio.hub.accounts import add_hub_user
from radio.hub.hub import write_server_configs
from radio.hub.stations import add_station
from radio.network import Servers, ServersError, free_base_port
from web.hub import create_hub_app

from .conftest import PASSWORD, START, log_in

pytestmark = [pytest.mark.timeout(120),
              pytest.mark.skipif(shutil.which("nats-server") is None, reason="needs nats-server (scripts/install.sh)")]


@pytest.fixture
def live_hub(tmp_path):
    clock = ManualClock(START)
    hub, _ = init_hub(tmp_path / "hub", clock=clock, name="Tỉnh Thử")
    servers = None
    for attempt in range(3):  # a free port taken by another test between the probe and the bind
        layout = write_server_configs(hub, servers=1, base_port=free_base_port(1), directory=tmp_path / f"nats-{attempt}")
        servers = Servers(layout)
        try:
            servers.start_all(timeout=60)
            break
        except ServersError:
            servers.close()
            if attempt == 2:
                raise
    for code in ("XA01", "XA02"):
        add_station(hub, code, name=f"Xã {code}", join_path=tmp_path / f"{code}.creds", now=START)
    add_hub_user(hub.db, username="leader", password=PASSWORD, role="leader", now=START, display_name="Trần Văn Thẩm")
    try:
        yield hub, clock
    finally:
        hub.close()
        servers.close()


def test_a_leader_approves_and_sends_to_every_station(live_hub):
    hub, clock = live_hub
    bulletin_id = write_bulletin(hub.db, cls="khan-cap", title="Lũ quét", text="Người dân tránh xa suối.",
                                 targets=Targets(all=True), now=START, by="Phạm Thị Biên")
    app = create_hub_app(str(hub.home.root), {"SECRET_KEY": "x", "CLOCK": clock, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    log_in(client, hub, "leader")
    response = client.post(f"/bulletins/{bulletin_id}/send", follow_redirects=True)
    shown = re.sub(r"\s+", " ", response.get_data(as_text=True))
    assert f"Đã duyệt và gửi bản tin {bulletin_id} tới 2 trên 2 đài." in shown
    found = next(b for b in status(hub, now=START)["bulletins"] if b["id"] == bulletin_id)
    assert found["status"] == "approved" and found["approved_by"] == "Trần Văn Thẩm"
    assert [c["state"] for c in found["stations"]] == ["delivered", "delivered"]
    assert shown.count("đã gửi") >= 2
    assert hub.db.execute("SELECT username, action, target FROM audit WHERE action LIKE 'bulletin.%'").fetchall() == [
        ("leader", "bulletin.approve", f"bulletin:{bulletin_id}")]
