"""The link's loop: a thread of its own beside the daemon, never in the broadcast path.

It connects *outward* to the province's NATS servers with the station's own credentials
(no inbound port: it works behind NAT and 4G), then, over and over:

1. fetches provincial bulletins from the station's durable consumer, checks each
   against the province's signature and takes it in (:mod:`radio.link.inbox`), and only
   then acknowledges it to JetStream: a station killed in between gets it again and
   takes it in once;
2. copies new proof entries into the outbox and publishes what is pending, in order,
   each with its dedupe id (:mod:`radio.link.outbox`);
3. queues a heartbeat every :data:`HEARTBEAT_S`.

With the servers unreachable it keeps trying (every few seconds) and the station airs,
logs and queues as before: nothing of the daemon waits on this thread, which has its own
database connection and takes the write lock only for its own short transactions.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import threading
import time
from datetime import datetime

import nats
from nats.errors import NoRespondersError
from nats.js.errors import APIError, NoStreamResponseError

from radio.bulletins.approval import raise_alert
from radio.clock import to_utc_text
from radio.errors import RadioError
from radio.link import inbox, outbox
from radio.link.joining import join_path
from radio.link.state import STATE
from radio.network.credentials import Join
from radio.network.messages import BadMessage, msg_id, read_bulletin
from radio.network.subjects import DOWN_STREAM, MSG_ID_HEADER, consumer_name, parse_subject, up_subject
from radio.store.connection import connect, write
from radio.store.home import Home

log = logging.getLogger("radio.link")

HEARTBEAT_S = 60.0
#: how long one fetch waits for a bulletin (one arriving ends it at once); the outbox is
#: published between fetches, so an entry goes up within about this long. At 1 s the
#: idle loop cost 0.24 % of a core (benchmarks/link_cost.py), over the 0.2 % aimed at
FETCH_WAIT_S = 2.0
RETRY_S = 3.0
PUBLISH_TIMEOUT_S = 5.0
NOTE_S = 5.0
CLOSE_WAIT_S = 2.0


class Link:
    """The station's link to the province, run on a thread by :meth:`start`."""

    def __init__(self, home: Home, join: Join, *, clock, heartbeat_s: float = HEARTBEAT_S,
                 status=None):
        self.home, self.join, self.clock = home, join, clock
        self.heartbeat_s = heartbeat_s
        #: what the heartbeat carries besides the time (a callable returning a dict)
        self.status = status or (lambda: {})
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = {"connected": False, "since": None, "last_contact": None, "error": None}
        self._next_heartbeat = 0.0
        self._next_note = 0.0

    # -- the thread ---------------------------------------------------------------------------
    def start(self) -> "Link":
        self._thread = threading.Thread(target=self._run, name="radio-link", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        self.db = connect(self.home.database)
        try:
            asyncio.run(self._main())
        except Exception:  # the link never takes the station down with it
            log.exception("The province link stopped")
        finally:
            self._note(connected=False)
            self.db.conn.close()

    async def _main(self) -> None:
        while not self._stop.is_set():
            try:
                nc = await self._connect()
            except Exception as exc:  # unreachable, refused, bad credentials: try again later
                self._note(connected=False, error=_say(exc))
                await self._sleep(RETRY_S)
                continue
            try:
                await self._serve(nc)
            except Exception as exc:
                log.warning("Province link: %s; connecting again", _say(exc))
                self._note(connected=False, error=_say(exc))
            finally:
                # close, not drain: nats-py's drain waits for the pull subscription's queue to be
                # marked done, which fetch never does, so it sat out its 30 s timeout and a
                # stopping daemon gave up on the thread. Nothing is left to flush: every publish
                # waited for its PubAck, every fetched message for its ack.
                try:
                    await asyncio.wait_for(nc.close(), CLOSE_WAIT_S)
                except Exception:
                    pass
            await self._sleep(RETRY_S)

    async def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self._stop.is_set() and time.monotonic() < end:
            await asyncio.sleep(0.1)

    async def _connect(self):
        async def quiet(exc):  # nats-py reports through this; our state says it
            self._note(error=_say(exc))

        async def disconnected():
            self._note(connected=False)

        async def reconnected():
            self._note(connected=True, error=None)

        nc = await nats.connect(list(self.join.servers), user_credentials=str(join_path(self.home)),
                                inbox_prefix=self.join.inbox_prefix, name=f"radio-station-{self.join.code}",
                                connect_timeout=3, allow_reconnect=True, max_reconnect_attempts=-1,
                                reconnect_time_wait=2, error_cb=quiet, disconnected_cb=disconnected,
                                reconnected_cb=reconnected)
        self._note(connected=True, error=None)
        log.info("Province link: connected to %s as station %s", nc.connected_url.netloc if nc.connected_url
                 else "?", self.join.code)
        return nc

    async def _serve(self, nc) -> None:
        js = nc.jetstream()
        sub = await js.pull_subscribe_bind(consumer_name(self.join.code), stream=DOWN_STREAM)
        while not self._stop.is_set():
            await self._receive(sub)
            await self._publish(js)
            if time.monotonic() >= self._next_heartbeat:
                self._next_heartbeat = time.monotonic() + self.heartbeat_s
                outbox.heartbeat(self.db, self._heartbeat(), now=self.clock.now())

    # -- down ----------------------------------------------------------------------------------
    async def _receive(self, sub) -> None:
        try:
            messages = await sub.fetch(10, timeout=FETCH_WAIT_S)
        except asyncio.TimeoutError:  # nothing came (nats-py raises its own subclass, or asyncio's)
            return
        for message in messages:
            self.take(message.subject, message.data)
            # after it is in the database (killed before, it comes again and is taken in once),
            # and waited for, so the next fetch does not get it again
            await message.ack_sync()
            self._note(contact=True)

    def take(self, subject: str, data: bytes) -> str:
        """Take one message from the province in; returns what became of it."""
        now = self.clock.now()
        try:
            _, code, kind = parse_subject(subject)
            if code != self.join.code or kind != "bulletin":
                raise BadMessage(f"a message on {subject} is not a bulletin for this station")
            bulletin = read_bulletin(data, public_key=self.join.signing_key, station=self.join.code)
        except (BadMessage, RadioError, ValueError) as exc:
            self._refuse(subject, data, str(exc), now)
            return "refused"
        taken = inbox.receive(self.db, bulletin, data, now=now)
        if taken.new:
            log.info("Provincial bulletin %s (%s) received: %s", bulletin.id, bulletin.cls, taken.row["state"])
        return taken.row["state"] if taken.new else "duplicate"

    def _refuse(self, subject: str, data: bytes, why: str, now: datetime) -> None:
        log.error("Province link: refused a message on %s: %s; it does not air", subject, why)
        with write(self.db):
            self.db["link_refusals"].insert(dict(received_at=to_utc_text(now), subject=subject[:200],
                                                 reason=why[:500],
                                                 message_sha256=hashlib.sha256(data).hexdigest()))
        raise_alert(self.db, now, "province", f"a message from the province was refused: {why}")

    # -- up ------------------------------------------------------------------------------------
    async def _publish(self, js) -> None:
        outbox.collect(self.db, now=self.clock.now())
        for row in outbox.pending(self.db):
            if self._stop.is_set():
                return
            subject = up_subject(self.join.code, row["kind"])
            try:
                await js.publish(subject, row["payload"].encode("utf-8"), timeout=PUBLISH_TIMEOUT_S,
                                 headers={MSG_ID_HEADER: msg_id(self.join.code, row["kind"], row["id"])})
            except (asyncio.TimeoutError, APIError, NoStreamResponseError, NoRespondersError) as exc:
                # no answer, or the stream has no leader for a moment (a server down): in
                # order, so the rest waits for this one, tried again on the next round
                self._note(error=_say(exc))
                return
            outbox.published(self.db, row["id"], now=self.clock.now())
            self._note(contact=True)

    def _heartbeat(self) -> dict:
        waiting = self.db.execute("SELECT count(*) FROM link_outbox WHERE published_at IS NULL").fetchone()[0]
        return {"outbox_waiting": waiting, **self.status()}

    # -- state for `radio link status` and the pages -------------------------------------------------
    def _note(self, *, connected: bool | None = None, error: str | None | bool = False, contact: bool = False) -> None:
        now = to_utc_text(self.clock.now())
        before = dict(self._state)
        if connected is not None and connected != self._state["connected"]:
            self._state.update(connected=connected, since=now)
        if error is not False:
            self._state["error"] = error
        if contact:
            self._state["last_contact"] = now
        changed = {k for k in self._state if self._state[k] != before[k]}
        # a contact alone is written at most every NOTE_S: the database is the daemon's too
        if not changed or (changed == {"last_contact"} and time.monotonic() < self._next_note):
            return
        self._next_note = time.monotonic() + NOTE_S
        try:
            with write(self.db):
                self.db["station_state"].upsert({"name": STATE, "value": json.dumps(self._state)}, pk="name")
        except Exception:  # a busy or full database: the state is only for display
            pass


def _say(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:300]

