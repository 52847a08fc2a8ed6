"""What every fault test asserts once the fault is over: each occurrence in exactly one
final state with a reason, nothing aired twice, no row lost or corrupted, the chain
verifying through ``radio log verify``, and a clear alert in the admin."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from radio.clock import ManualClock, from_utc_text
from radio.store.connection import connect
from radio.accounts.users import add_user
from tests.e2e.station_process import StationCli
from web import create_app

FINAL = {"aired", "partial", "failed", "missed", "cancelled"}
PASSWORD = "cai-loa-thon-ba"


def logged(home: Path) -> list[dict]:
    db = connect(home / "radio.db")
    try:
        return list(db["occurrences"].rows_where(order_by="id"))
    finally:
        db.conn.close()


def assert_each_once(home: Path, expected_keys: set[str], out_dir: Path | None = None) -> list[dict]:
    """Every expected occurrence logged exactly once, final, with a reason unless aired;
    no claim left open; at most one recording per occurrence reached the output."""
    rows = logged(home)
    counts = Counter(r["key"] for r in rows)
    duplicates = {k: n for k, n in counts.items() if n > 1}
    assert not duplicates, f"logged twice: {duplicates}"
    lost = expected_keys - set(counts)
    assert not lost, f"never logged: {sorted(lost)}"
    for row in rows:
        assert row["status"] in FINAL, row
        assert row["status"] == "aired" or (row["reason"] or "").strip(), f"no reason: {row}"
    db = connect(home / "radio.db")
    try:
        assert db["claims"].count == 0, list(db["claims"].rows)
    finally:
        db.conn.close()
    if out_dir is not None:
        recordings = Counter(p.name.split("-", 1)[1] for p in out_dir.glob("*.wav"))
        assert all(n == 1 for n in recordings.values()), f"aired twice: {recordings}"
    return rows


def assert_chain_verifies(cli: StationCli) -> None:
    done = cli.run("log", "verify", check=False)
    assert done.returncode == 0 and "intact" in done.stdout, done.stdout + done.stderr


def admin_alert(home: Path, rows: list[dict]) -> str:
    """The warning every admin page shows for the last day's problems, as a logged-in officer sees it."""
    latest = max(from_utc_text(r["logged_at"]) for r in rows)
    app = create_app({"TESTING": True, "RADIO_HOME": str(home), "SECRET_KEY": "faults",
                      "WTF_CSRF_ENABLED": False, "CLOCK": ManualClock(latest), "RENDER_ON_APPROVE": False})
    db = connect(home / "radio.db")
    try:
        add_user(db, username="canbo", password=PASSWORD, role="officer", now=latest, display_name="Cán bộ")
    finally:
        db.conn.close()
    client = app.test_client()
    client.post("/auth/login", data={"username": "canbo", "password": PASSWORD})
    html = client.get("/log/?month=all").get_data(as_text=True)
    start = html.find("Trong 24 giờ qua có")
    assert start >= 0, "no alert in the admin"
    return html[start:html.find("</div>", start)]
