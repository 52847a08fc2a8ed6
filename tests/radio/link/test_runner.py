"""The link's thread against a real nats-server: it stops when the daemon stops.

A station daemon stopping (SIGTERM) stops its link and waits for it (10 s at most). The
link must end in well under that: its state says it is no longer connected, and its
database connection is closed, before the daemon exits.
"""

import time
import uuid

import pytest

from radio.clock import SystemClock
from radio.link import Link
from radio.link.joining import join, joined
from radio.link.state import link_state
from radio.network import Authority, Servers, ensure_station_consumer, ensure_streams, free_base_port, write_nats_configs
from radio.network.cluster import nats_server_binary
from radio.store.connection import connect
from radio.store.home import Home
from tests.support.database import seed_database
from tests.support.province import run
from tests.support.waiting import until

pytestmark = pytest.mark.skipif(nats_server_binary() is None, reason="nats-server is not installed")

CODE = "XA-THU"


def test_a_connected_link_stops_within_seconds(tmp_path):
    import nats

    authority = Authority.create(tmp_path / "keys", name="Tỉnh Thử")
    layout = write_nats_configs(authority, servers=1, base_port=free_base_port(1), dir=tmp_path / "nats")
    with Servers(layout) as servers:
        async def setup():
            nc = await nats.connect(servers.urls, user_credentials=str(authority.hub_creds_path))
            try:
                js = nc.jetstream()
                await ensure_streams(js, replicas=1)
                await ensure_station_consumer(js, CODE)
            finally:
                await nc.close()

        run(setup())
        home = Home(tmp_path / "station")
        seed_database(home.database)
        creds = tmp_path / f"{uuid.uuid4().hex[:6]}.creds"
        creds.write_text(authority.join_file(CODE, servers.urls), encoding="utf-8")
        join(home, creds)
        link = Link(home, joined(home), clock=SystemClock()).start()
        db = connect(home.database)
        try:
            until(lambda: link_state(db).get("connected"), timeout_s=30)
            time.sleep(2.5)  # a few rounds of fetching (each waits a second for messages)
            began = time.monotonic()
            link.stop(timeout=10)
            took = time.monotonic() - began
            assert not link._thread.is_alive()
            assert took < 3, f"the link took {took:.1f} s to stop"
            assert link_state(db)["connected"] is False
        finally:
            link.stop(timeout=1)
            db.conn.close()
