"""What the running link last noted, for ``radio link status`` and the admin's pages
(kept in ``station_state``; light to import: no NATS client here)."""

from __future__ import annotations

import json

STATE = "link"


def link_state(db) -> dict:
    """What the running link last noted (connected, since, last contact, error), or {}."""
    row = db.execute("SELECT value FROM station_state WHERE name = ?", [STATE]).fetchone()
    return json.loads(row[0]) if row else {}
