"""The province network under faults: a NATS server killed during sends, a station away two
hours, the hub killed. Counts, not only times.

One three-server cluster (``radio hub init``, ``radio hub nats-config``), ``radio hub serve``
running (a subprocess), ``--links`` link-only stations (the station's real link code on
migrated station databases of their own, no daemon) and one more station kept offline.

(a) ``--bulletins`` khẩn cấp bulletins to the link stations sent back to back through the
    hub's own send (write, approve, send: the same code ``radio hub send`` runs, in this
    process so a send is tens of milliseconds and the kill lands inside the series); a third
    of the way in, the server leading RADIO_DOWN is killed (SIGKILL) and it is started again
    two thirds in. A send the hub reports failed is sent again (``radio hub resend`` does the
    same). Counted afterwards: each station's inbox rows and the play-now commands they made
    (one per bulletin: nothing lost, nothing taken in or put on air twice), the "received"
    acknowledgements each station queued, the copies in RADIO_DOWN and the messages in
    RADIO_UP by their dedupe id (each once), and ``radio hub status --json``: every copy
    delivered and received.
(b) The offline station: its database gets ``--away-hours`` of proof entries (a slot every
    ``--every`` minutes, three items each, :func:`radio.proof.log.append` on a
    :class:`radio.clock.ManualClock`) while its link is stopped; then its link starts.
    Measured: from the link's start until ``radio hub status --json`` shows every entry with
    the chain verified; checked: RADIO_UP holds each entry once and in order.
(c) With every link stopped and ``serve`` caught up: ``radio hub status --json`` (A); ``serve``
    killed (SIGKILL), and started again; a full ``radio hub rebuild``; a ``radio hub rebuild``
    killed (SIGKILL) half as long after its start as the full one took. Every one identical to A.

Run: ``.venv/bin/python benchmarks/province_faults.py [--links 20] [--bulletins 30] [--away-hours 2]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from province_common import (  # noqa: E402
    RADIO,
    TEXT,
    LinkFleet,
    Province,
    code_of,
    connected,
    load,
    prepare_link_station,
    query,
    stop_process,
    wait_for,
)

OFFLINE = "XA-VANG"


def hub_session(folder: Path):
    from radio.clock import SystemClock
    from radio.hub import open_hub

    return open_hub(folder / "hub", clock=SystemClock())


async def _stream_messages(hub, stream: str) -> list:
    """Every message of *stream*, read with an ephemeral consumer (the hub's user)."""
    from nats.errors import TimeoutError as NatsTimeout
    from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

    from radio.hub.servers import connect

    nc = await connect(hub)
    try:
        js = nc.jetstream(timeout=10)
        info = await js.stream_info(stream)
        sub = await js.pull_subscribe("", stream=stream, config=ConsumerConfig(
            deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE, inactive_threshold=60))
        found = []
        while len(found) < info.state.messages:
            try:
                found += await sub.fetch(256, timeout=5)
            except NatsTimeout:
                break
        await sub.unsubscribe()
        return found
    finally:
        await nc.close()


def stream_messages(folder: Path, stream: str) -> list:
    hub = hub_session(folder)
    try:
        return asyncio.run(asyncio.wait_for(_stream_messages(hub, stream), 120))
    finally:
        hub.close()


def down_leader(folder: Path) -> str:
    from radio.hub.servers import connect

    hub = hub_session(folder)

    async def go():
        nc = await connect(hub)
        try:
            return (await nc.jetstream(timeout=10).stream_info("RADIO_DOWN")).cluster.leader
        finally:
            await nc.close()

    try:
        return asyncio.run(go())
    finally:
        hub.close()


def fault_a(province: Province, folder: Path, codes: list[str], bulletins: int) -> dict:
    from radio.hub import HubUnreachableError, Targets, approve, send, write_bulletin

    leader = down_leader(folder)
    victim = [s.name for s in province.layout].index(leader)
    hub = hub_session(folder)
    sent, failed, times = [], [], []
    events = {}
    try:
        for n in range(bulletins):
            if n == bulletins // 3:
                events["killed"] = time.monotonic()
                province.servers.kill(victim)
            if n == 2 * bulletins // 3:
                province.servers.start(victim)
                events["restarted"] = time.monotonic()
            now = hub.clock.now()
            bulletin = write_bulletin(hub.db, cls="khan-cap", title=f"Cảnh báo {n + 1}", text=TEXT,
                                      targets=Targets.parse(",".join(codes)), now=now, by="bench")
            approve(hub.db, bulletin, by="Nguyễn Văn A", now=now)
            began = time.monotonic()
            try:
                send(hub, bulletin, timeout=60)
            except HubUnreachableError as exc:
                failed.append((bulletin, str(exc)[:160]))
            times.append(time.monotonic() - began)
            sent.append(bulletin)
        resent = []
        for bulletin, _ in failed:  # what radio hub resend does
            send(hub, bulletin, timeout=60)
            resent.append(bulletin)
    finally:
        hub.close()
    province.servers.wait_ready(timeout=60)
    return {"sent": sent, "failed": failed, "times": times, "victim": leader}


def count_a(province: Province, folder: Path, homes: dict[str, Path], sent: list[str]) -> list[str]:
    """The checks of (a); the problems found (none: all held)."""
    problems = []
    want = set(sent)
    for code, home in homes.items():
        rows = query(home, "SELECT id, state FROM provincial_bulletins")
        ids = Counter(r["id"] for r in rows)
        if set(ids) != want or any(v != 1 for v in ids.values()):
            problems.append(f"{code}: inbox {len(rows)} rows for {len(want)} bulletins")
        commands = query(home, "SELECT count(*) AS n FROM provincial_bulletins WHERE command_id IS NOT NULL")[0]["n"]
        distinct = query(home, "SELECT count(DISTINCT command_id) AS n FROM provincial_bulletins")[0]["n"]
        if commands != len(want) or distinct != len(want):
            problems.append(f"{code}: {commands} play-now commands ({distinct} distinct) for {len(want)}")
        acks = Counter(json.loads(r["payload"])["bulletin_id"] for r in query(
            home, "SELECT payload FROM link_outbox WHERE kind = 'ack'") if json.loads(r["payload"])["state"] == "received")
        if set(acks) != want or any(v != 1 for v in acks.values()):
            problems.append(f"{code}: {sum(acks.values())} 'received' acks queued for {len(want)}")
        waiting = query(home, "SELECT count(*) AS n FROM link_outbox WHERE published_at IS NULL")[0]["n"]
        if waiting:
            problems.append(f"{code}: {waiting} outbox rows not published")
    down = stream_messages(folder, "RADIO_DOWN")
    copies = Counter(m.headers.get("Nats-Msg-Id") for m in down)
    if len(copies) != len(want) * len(homes) or any(v != 1 for v in copies.values()):
        problems.append(f"RADIO_DOWN: {len(down)} messages, {len(copies)} distinct copies, "
                        f"for {len(want) * len(homes)}")
    up = stream_messages(folder, "RADIO_UP")
    ids = Counter(m.headers.get("Nats-Msg-Id") for m in up)
    twice = [k for k, v in ids.items() if v > 1]
    if twice:
        problems.append(f"RADIO_UP: {len(twice)} dedupe ids stored more than once")
    received = Counter()
    for m in up:
        if m.subject.endswith(".ack"):
            payload = json.loads(m.data)
            if payload["state"] == "received":
                received[(m.subject.split(".")[2], payload["bulletin_id"])] += 1
    if len(received) != len(want) * len(homes) or any(v != 1 for v in received.values()):
        problems.append(f"RADIO_UP: {sum(received.values())} 'received' acks, {len(received)} distinct, "
                        f"for {len(want) * len(homes)}")
    status = province.status()
    for bulletin in status["bulletins"]:
        if bulletin["id"] not in want:
            continue
        got = [s for s in bulletin["stations"] if s["received_at"]]
        if bulletin["delivered"] != len(homes) or len(got) != len(homes):
            problems.append(f"hub: {bulletin['id']} delivered {bulletin['delivered']}, received at {len(got)}")
    return problems, len(down), len(up), sum(received.values())


def away_entries(home: Path, hours: float, every_min: int) -> list[dict]:
    """Proof entries for *hours* of slots every *every_min* minutes, as the daemon appends them."""
    from radio.clock import ManualClock
    from radio.proof import log as prooflog
    from radio.store.connection import connect

    clock = ManualClock(datetime.now(UTC) - timedelta(hours=hours))
    db = connect(home / "radio.db")
    try:
        for n in range(int(hours * 60 // every_min)):
            when = clock.now()
            items = [prooflog.LoggedItem(position=i + 1, bulletin_id=None, title=f"Tin {n}-{i + 1}", topic="cchc",
                                         priority="normal", engine="espeak", duration_ms=60_000, completed=True)
                     for i in range(3)]
            prooflog.append(db, prooflog.Entry(
                key=f"slot@{when.isoformat()}", scheduled_at=when, status="aired", started_at=when,
                ended_at=when + timedelta(seconds=185), seconds_played=185.0, programme_seconds=185.0,
                output="pulse:radio_out", items=items), now=when + timedelta(seconds=186))
            clock.advance(every_min * 60)
    finally:
        db.conn.close()
    return query(home, "SELECT id, hash FROM occurrences ORDER BY id")


def fault_b(province: Province, folder: Path, home: Path, hours: float, every: int) -> dict:
    entries = away_entries(home, hours, every)
    fleet = LinkFleet(folder, [OFFLINE]).start()
    began = time.monotonic()
    try:
        def caught_up():
            station = {s["code"]: s for s in province.status()["stations"]}[OFFLINE]
            return station["chain"]["entries"] >= len(entries) and station

        station = wait_for(caught_up, timeout=300, interval=0.25, what="the entries at the hub")
        took = time.monotonic() - began
        wait_for(lambda: connected(home), timeout=30)
    finally:
        fleet.stop()
    up = [m for m in stream_messages(folder, "RADIO_UP") if m.subject == f"radio.up.{OFFLINE}.proof"]
    ids = [json.loads(m.data)["entry"]["id"] for m in up]
    return {"entries": len(entries), "took": took, "station": station, "ids": ids,
            "in_order_once": ids == [e["id"] for e in entries],
            "verified": station["chain"]["verified"] and station["chain"]["head_hash"] == entries[-1]["hash"]
            and station["chain"]["entries"] == len(entries)}


def sizes(folder: Path) -> str:
    """The messages' sizes as the code made them (payload bytes; the Nats-Msg-Id header besides)."""
    import statistics

    found: dict[str, list[int]] = {}
    for stream in ("RADIO_DOWN", "RADIO_UP"):
        for m in stream_messages(folder, stream):
            kind = m.subject.split(".")[3]
            if kind == "ack":
                kind = f"ack ({json.loads(m.data)['state']})"
            elif kind == "proof":
                kind = f"proof ({len(json.loads(m.data)['items'])} items)"
            found.setdefault(kind, []).append(len(m.data))
    return "sizes (payload bytes, median/max, n): " + "; ".join(
        f"{kind} {statistics.median(v):.0f}/{max(v)} ({len(v)})" for kind, v in sorted(found.items()))


def settled_status(province: Province) -> dict:
    """``hub status --json`` once two readings 3 s apart agree (serve has applied everything)."""
    last = province.status()
    while True:
        time.sleep(3)
        now = province.status()
        if now == last:
            return now
        last = now


def diff(a: dict, b: dict) -> str:
    if a == b:
        return "identical"
    keys = [k for k in set(a) | set(b) if a.get(k) != b.get(k)]
    return f"DIFFERENT in {', '.join(sorted(keys))}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=20)
    parser.add_argument("--bulletins", type=int, default=30)
    parser.add_argument("--away-hours", type=float, default=2.0)
    parser.add_argument("--every", type=int, default=5, help="minutes between the away station's slots")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="radio-faults-"))
    codes = [code_of(n) for n in range(args.links)]
    province, fleet, serve = Province(folder), None, None
    report = []
    ok = True
    try:
        province.start()
        files = province.add_stations(codes + [OFFLINE])
        homes = {code: prepare_link_station(folder, code, files[code]) for code in codes}
        away = prepare_link_station(folder, OFFLINE, files[OFFLINE])
        serve = province.serve(folder / "serve.log")
        fleet = LinkFleet(folder, codes).start()
        wait_for(lambda: all(connected(h) for h in homes.values()), timeout=120, interval=0.5)

        # (a) a server killed during the sends
        load_a = load()
        a = fault_a(province, folder, codes, args.bulletins)
        wait_for(lambda: all(len(query(h, "SELECT id FROM provincial_bulletins")) >= len(a["sent"])
                             and not query(h, "SELECT id FROM link_outbox WHERE published_at IS NULL LIMIT 1")
                             for h in homes.values()), timeout=180, interval=0.5, what="every copy taken in")
        fleet.stop()
        fleet = None
        settled_status(province)
        problems, n_down, n_up, n_received = count_a(province, folder, homes, a["sent"])
        ok &= not problems
        times = sorted(a["times"])
        report.append(f"(a) {len(a['sent'])} khẩn cấp × {len(codes)} stations, {a['victim']} (RADIO_DOWN's leader) "
                      f"killed after {len(a['sent']) // 3} and started again after {2 * len(a['sent']) // 3}; "
                      f"load {load_a}")
        slow = [f"#{n + 1} {t:.1f} s" for n, t in enumerate(a["times"]) if t > 1]
        report.append(f"    sends: median {times[len(times) // 2] * 1000:.0f} ms, max {times[-1]:.2f} s; over 1 s: "
                      f"{', '.join(slow) or 'none'} (the kill came before #{len(a['sent']) // 3 + 1}); "
                      f"{len(a['failed'])} reported failed and sent again"
                      + (f" (first: {a['failed'][0][1]})" if a["failed"] else ""))
        report.append(f"    RADIO_DOWN {n_down} copies, RADIO_UP {n_up} messages ({n_received} 'received' acks); "
                      + ("inbox rows, play-now commands, queued and stored acks, hub status: each once, none lost"
                         if not problems else "PROBLEMS: " + "; ".join(problems[:8])))

        # (b) a station away two hours
        load_b = load()
        b = fault_b(province, folder, away, args.away_hours, args.every)
        ok &= b["in_order_once"] and b["verified"]
        report.append(f"(b) {OFFLINE} away {args.away_hours:g} h: {b['entries']} entries (3 items each) logged with "
                      f"the link stopped; at the hub {b['took']:.2f} s after the link started; load {load_b}")
        report.append(f"    RADIO_UP: {len(b['ids'])} proof messages, "
                      f"{'each entry once, in order' if b['in_order_once'] else 'NOT once in order: ' + str(b['ids'][:40])}"
                      f"; hub chain {'verified, head = the station' + chr(39) + 's last hash' if b['verified'] else 'NOT verified: ' + json.dumps(b['station']['chain'])}")

        # (c) the hub killed, restarted, rebuilt
        load_c = load()
        before = settled_status(province)
        serve.send_signal(signal.SIGKILL)
        serve.wait(10)
        killed = province.status()
        serve = province.serve(folder / "serve.log")
        time.sleep(5)
        restarted = settled_status(province)
        stop_process(serve)
        serve = None
        began = time.monotonic()
        rebuilt_out = province.hub("rebuild").stdout.strip()
        rebuild_s = time.monotonic() - began
        rebuilt = province.status()
        # a rebuild killed half-way (one transaction: the projection as it was)
        half = subprocess.Popen([*RADIO, "hub", "rebuild"], env=province.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rebuild_s / 2)
        half_done = half.poll() is not None
        half.send_signal(signal.SIGKILL)
        half.wait(10)
        after_half = province.status()
        results = [diff(before, killed), diff(before, restarted), diff(before, rebuilt), diff(before, after_half)]
        ok &= all(r == "identical" for r in results)
        report.append(f"(c) {len(before['stations'])} stations, {len(before['bulletins'])} bulletins; load {load_c}")
        report.append(f"    `hub status --json` after SIGKILL of serve: {results[0]}; serve started again: "
                      f"{results[1]}; `radio hub rebuild` ({rebuild_s:.1f} s: {rebuilt_out}): {results[2]}; "
                      f"a rebuild killed after {rebuild_s / 2:.1f} s{' (it had finished)' if half_done else ''}: "
                      f"{results[3]}")
        report.append(sizes(folder))
    finally:
        if fleet is not None:
            fleet.stop()
        stop_process(serve)
        province.close()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"province faults ({os.cpu_count()} cores; load average now {load()})")
    for line in report:
        print(line)
    print("all held" if ok else "SOMETHING DID NOT HOLD")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
