"""A hub in a temporary directory with a manual clock; its servers recorded but never reached."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from radio.clock import ManualClock
from radio.hub import init_hub

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
