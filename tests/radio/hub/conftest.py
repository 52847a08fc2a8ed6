"""A hub in a temporary directory with a manual clock; its servers recorded but never reached."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radio.clock import ManualClock
from radio.hub import init_hub
from radio.hub.stations import add_station

#: port 1: nothing listens there, so a connection is refused at once
NOWHERE = ["nats://127.0.0.1:1"]


@pytest.fixture
def hub_clock():
    return ManualClock(datetime(2026, 12, 8, 1, 0, tzinfo=UTC))  # 08:00 in Hanoi


@pytest.fixture
def hub(tmp_path, hub_clock):
    made, _ = init_hub(tmp_path / "hub", clock=hub_clock, name="Tỉnh Thử", servers=NOWHERE)
    yield made
    made.close()


@pytest.fixture
def stations(hub, tmp_path, hub_clock):
    """Three registered stations: XA01 and XA02 in zone bac, XA03 in nam."""
    for code, zone in (("XA01", "bac"), ("XA02", "bac"), ("XA03", "nam")):
        add_station(hub, code, name=f"Xã {code}", zone=zone, join_path=tmp_path / f"{code}.creds", now=hub_clock.now())
    return ["XA01", "XA02", "XA03"]
