"""Following the streams: the hub's durable consumer on RADIO_UP, ``serve``, and ``rebuild``.

The hub reads everything the stations send up through one durable pull consumer,
``hub``, on RADIO_UP (explicit acks, redelivered until acknowledged): a message is
acknowledged only once it is applied and committed, so a hub killed in between applies
it again, which changes nothing (:mod:`radio.hub.projection`). One process applies at a
time (:meth:`radio.hub.hub.Hub.lock`): the projection relies on stream order.

- :func:`apply_pending` applies what is waiting, then returns (tests, ``serve --once``);
- :func:`serve` does so until stopped, reconnecting when the servers go away;
- :func:`rebuild` drops the projection and recomputes it from both streams' first
  messages (RADIO_DOWN: what was sent; RADIO_UP: what the stations said), in one
  transaction: a reader sees the old projection or the new, never half.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from dataclasses import dataclass

from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from radio.clock import to_utc_text
from radio.errors import RadioError
from radio.hub.projection import Message, apply_down, apply_up, clear
from radio.hub.servers import JS_TIMEOUT_S, NATS_FAILURES, HubUnreachableError, connect, prepare, run, settled
from radio.network.subjects import DOWN_STREAM, DOWN_SUBJECTS, MSG_ID_HEADER, UP_STREAM, UP_SUBJECTS
from radio.store.connection import write

log = logging.getLogger("radio.hub")

#: the hub's durable consumer on RADIO_UP (station consumers are all ``station-<CODE>``)
HUB_CONSUMER = "hub"
FETCH_BATCH = 256
ACK_WAIT_S = 60.0
RETRY_S = 3.0
#: how often ``serve`` makes the consumers of stations added while the servers were away
PREPARE_EVERY_S = 60.0


class RebuildError(RadioError):
    """A stream could not be read to its end; the projection was left as it was."""


def hub_consumer_config() -> ConsumerConfig:
    return ConsumerConfig(name=HUB_CONSUMER, durable_name=HUB_CONSUMER, filter_subject=UP_SUBJECTS,
                          deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.EXPLICIT, ack_wait=ACK_WAIT_S,
                          max_deliver=-1, max_ack_pending=FETCH_BATCH * 4)


def message_of(msg) -> Message:
    """A fetched JetStream message as the projection takes it (its stream sequence and time)."""
    meta = msg.metadata
    return Message(subject=msg.subject, data=msg.data, seq=meta.sequence.stream, at=to_utc_text(meta.timestamp),
                   msg_id=(msg.headers or {}).get(MSG_ID_HEADER))


async def _hub_subscription(js):
    await settled(lambda: js.add_consumer(UP_STREAM, hub_consumer_config()))  # the same config again: unchanged
    return await js.pull_subscribe_bind(HUB_CONSUMER, stream=UP_STREAM)


async def _apply_fetched(hub, sub, wait: float) -> int:
    try:
        messages = await sub.fetch(FETCH_BATCH, timeout=wait)
    except NatsTimeout:
        return 0
    for message in messages:
        apply_up(hub.db, message_of(message))
        await message.ack()  # after the commit: killed before it, the message comes again
    return len(messages)  # the acknowledgements still buffered go with the next flush or the close


async def apply_pending_async(hub, js, *, timeout: float = 5.0, wait: float = 0.5) -> int:
    """Apply what waits on the hub's consumer until none comes for *wait* s (or *timeout* s pass); how many."""
    sub = await _hub_subscription(js)
    applied, deadline = 0, time.monotonic() + timeout
    try:
        while (left := deadline - time.monotonic()) > 0:
            got = await _apply_fetched(hub, sub, min(wait, left))
            if not got:
                break
            applied += got
    finally:
        await sub.unsubscribe()
    return applied


def apply_pending(hub, timeout: float = 5.0) -> int:
    """Connect, apply what the stations sent up and is not applied yet, disconnect; how many messages.

    :raise HubLockedError: ``radio hub serve`` runs (it applies them).
    :raise HubUnreachableError: the servers did not answer.
    """
    hub.lock()
    try:
        async def go():
            nc = await connect(hub)
            try:
                js = nc.jetstream(timeout=JS_TIMEOUT_S)
                await prepare(hub, js)
                return await apply_pending_async(hub, js, timeout=timeout)
            finally:
                await nc.close()

        return run(hub, go(), timeout=timeout + 30)
    finally:
        hub.unlock()


# -- serve ------------------------------------------------------------------------------------

async def _pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        pass


async def serve(hub, stop: asyncio.Event, *, wait: float = 1.0) -> None:
    """Apply RADIO_UP as it comes until *stop* is set; the servers going away is waited out."""
    while not stop.is_set():
        try:
            nc = await connect(hub, keep_trying=True)
        except HubUnreachableError as exc:
            log.warning("%s", exc)
            await _pause(stop, RETRY_S)
            continue
        try:
            js = nc.jetstream(timeout=JS_TIMEOUT_S)
            made = await prepare(hub, js)
            if made:
                log.info("Consumers made for %s", ", ".join(made))
            sub = await _hub_subscription(js)
            log.info("Following %s as consumer %s", UP_STREAM, HUB_CONSUMER)
            next_prepare = time.monotonic() + PREPARE_EVERY_S
            while not stop.is_set() and not nc.is_closed:
                await _apply_fetched(hub, sub, wait)
                if time.monotonic() >= next_prepare:
                    next_prepare = time.monotonic() + PREPARE_EVERY_S
                    await prepare(hub, js)
        except NATS_FAILURES as exc:
            log.warning("The province's NATS servers: %s; connecting again", str(exc) or type(exc).__name__)
        finally:
            try:
                await nc.close()
            except NATS_FAILURES:
                pass
        if not stop.is_set():
            await _pause(stop, RETRY_S)


def serve_forever(hub) -> None:
    """:func:`serve` until SIGINT or SIGTERM (``radio hub serve``). :raise HubLockedError: one runs already."""
    hub.lock()

    async def main():
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(hub, stop)

    try:
        asyncio.run(main())
    finally:
        hub.unlock()


# -- rebuild ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rebuilt:
    down: int  # RADIO_DOWN messages applied
    up: int  # RADIO_UP messages applied


async def _read_stream(js, stream: str, subject: str, apply, db, *, wait: float = 5.0) -> int:
    """Apply every message of *stream* from its first to the last one stored now; how many."""
    state = (await settled(lambda: js.stream_info(stream))).state
    if not state.messages:
        return 0
    config = ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE, inactive_threshold=60.0)
    sub = await js.pull_subscribe(subject, stream=stream, config=config)  # ephemeral: no name, gone when idle
    read, seen = 0, 0
    try:
        while seen < state.last_seq:
            try:
                messages = await sub.fetch(FETCH_BATCH, timeout=wait)
            except NatsTimeout:
                raise RebuildError(f"{stream} stopped answering at message {seen} of {state.last_seq}; "
                                   "the projection is as it was. Try again.") from None
            for message in messages:
                found = message_of(message)
                apply(db, found)
                seen, read = max(seen, found.seq), read + 1
    finally:
        try:
            await sub.unsubscribe()
        except NATS_FAILURES:
            pass
    return read


async def rebuild_async(hub, js) -> Rebuilt:
    await prepare(hub, js)
    with write(hub.db):
        clear(hub.db)
        down = await _read_stream(js, DOWN_STREAM, DOWN_SUBJECTS, apply_down, hub.db)
        up = await _read_stream(js, UP_STREAM, UP_SUBJECTS, apply_up, hub.db)
    return Rebuilt(down, up)


def rebuild(hub, *, timeout: float = 600.0) -> Rebuilt:
    """Drop the projection and recompute it from RADIO_DOWN and RADIO_UP.

    :raise HubLockedError: ``radio hub serve`` runs (stop it first).
    :raise HubUnreachableError: the servers did not answer; the projection is as it was.
    """
    hub.lock()
    try:
        async def go():
            nc = await connect(hub)
            try:
                return await rebuild_async(hub, nc.jetstream(timeout=JS_TIMEOUT_S))
            finally:
                await nc.close()

        return run(hub, go(), timeout=timeout, doing="Nothing was rebuilt: ",
                   then="rebuild again (the projection is as it was)")
    finally:
        hub.unlock()
