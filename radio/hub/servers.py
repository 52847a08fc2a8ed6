"""The hub's connection to the province's NATS servers, and what it makes there.

The hub connects with its own user (every right in the province account). A command
that does one thing and ends (``station add``, ``send``, ``rebuild``) tries each server
twice and gives up with :class:`HubUnreachableError`, one sentence naming the servers;
``radio hub serve`` keeps trying. :func:`prepare` makes the two streams (replicas: one per
server, up to three) and the consumer of every registered station not made yet.
"""

from __future__ import annotations

import asyncio
import logging
import ssl

import nats
import nats.errors
import nats.js.errors
from nats.aio.client import Client

from radio.clock import to_utc_text
from radio.errors import RadioError, ValidationError
from radio.network.streams import ensure_station_consumer, ensure_streams, replicas_for
from radio.store.connection import write

log = logging.getLogger("radio.hub")

CONNECT_TIMEOUT_S = 3.0
#: how long one JetStream API request (a consumer's info, a fetch's set-up) may take: on a
#: busy two-core machine an R3 cluster took more than 5 s to answer one
JS_TIMEOUT_S = 15.0
#: what a NATS client, JetStream or the socket raise when the servers are not there to answer
NATS_FAILURES = (nats.errors.Error, nats.js.errors.Error, OSError, asyncio.TimeoutError)
#: how long a request is tried again while JetStream has no leader for it (a cluster just
#: restarted, a server of three lost): it elects one within seconds
SETTLE_S = 20.0


class HubUnreachableError(RadioError):
    """The province's NATS servers cannot be reached, or JetStream does not answer.

    :ivar why: what the client said, in a few words (``connection refused``)
    """

    def __init__(self, message: str, why: str = ""):
        super().__init__(message)
        self.why = why


def unreachable(hub, exc: BaseException | str | None = None, *, doing: str = "",
                then: str = "try again") -> HubUnreachableError:
    """The one sentence for servers that did not answer: *doing* what, which servers, why, the fix, then *then*."""
    why = exc if isinstance(exc, str) else _say(exc) if exc is not None else ""
    servers = ", ".join(hub.servers) or "none recorded"
    return HubUnreachableError(f"{doing}the province's NATS servers ({servers}) cannot be reached or JetStream "
                               f"does not answer{f' ({why})' if why else ''}. Start them (nats-server -c "
                               f"nats-1.conf ...), then {then}.", why)


def _say(exc: BaseException) -> str:
    if isinstance(exc, (nats.errors.NoServersError, ConnectionRefusedError)):
        return "connection refused"
    if isinstance(exc, nats.errors.AuthorizationError):
        return "authorization refused: these servers are not this province's"
    if isinstance(exc, (asyncio.TimeoutError, nats.errors.TimeoutError)):
        return "no answer in time"
    text = str(exc).strip() or type(exc).__name__
    return text[:200]


async def connect(hub, *, keep_trying: bool = False) -> Client:
    """A connection as the hub's user to the recorded servers.

    :param keep_trying: reconnect for a long while once connected (``serve``); otherwise a
        lost connection is given up after a few tries.
    :raise HubUnreachableError: no server answered (each tried twice).
    :raise ValidationError: no servers are recorded.
    """
    if not hub.servers:
        raise ValidationError("No NATS servers are recorded for this hub: run radio hub init --servers URL,... "
                              "or radio hub nats-config.")
    errors: list[BaseException] = []

    async def quiet(exc):  # nats-py would log a traceback; the last one goes into the message
        errors.append(exc)

    try:
        return await nats.connect(list(hub.servers), user_credentials=str(hub.authority.hub_creds_path),
                                  name="radio-hub", connect_timeout=CONNECT_TIMEOUT_S, allow_reconnect=True,
                                  max_reconnect_attempts=30 if keep_trying else 1, reconnect_time_wait=0.5,
                                  error_cb=quiet, tls=trust(hub))
    except NATS_FAILURES as exc:
        raise unreachable(hub, errors[-1] if errors else exc) from None


def trust(hub) -> ssl.SSLContext | None:
    """The TLS context for ``tls://`` servers: the system's authorities and the hub's recorded certificate."""
    if not any(url.startswith("tls://") for url in hub.servers):
        return None
    context = ssl.create_default_context()
    if hub.tls_ca is not None:
        context.load_verify_locations(cafile=str(hub.tls_ca))
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN  # the servers' own certificate as an anchor
    return context


def _leaderless(exc: BaseException) -> bool:
    """Whether JetStream said, or by its silence meant, that it has no leader to answer yet."""
    if isinstance(exc, (nats.errors.TimeoutError, asyncio.TimeoutError, nats.errors.NoRespondersError,
                        nats.js.errors.NoStreamResponseError, nats.js.errors.ServiceUnavailableError)):
        return True
    return isinstance(exc, nats.js.errors.APIError) and exc.code == 503


async def settled(request, *, within: float = SETTLE_S):
    """``await request()``, again every quarter second while JetStream has no leader, for *within* s."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        try:
            return await request()
        except NATS_FAILURES as exc:
            if not _leaderless(exc) or asyncio.get_running_loop().time() >= deadline:
                raise
            await asyncio.sleep(0.25)


async def prepare(hub, js) -> list[str]:
    """The streams, and the consumers of the stations that have none yet; the codes given one."""
    await settled(lambda: ensure_streams(js, replicas=replicas_for(len(hub.servers))))
    made = []
    for (code,) in hub.db.execute("SELECT code FROM stations WHERE consumer_at IS NULL ORDER BY code").fetchall():
        await settled(lambda: ensure_station_consumer(js, code))
        with write(hub.db):
            hub.db.execute("UPDATE stations SET consumer_at = ? WHERE code = ?", [to_utc_text(hub.clock.now()), code])
        made.append(code)
    return made


def run(hub, coroutine, *, timeout: float, doing: str = "", then: str = "try again"):
    """Run *coroutine* to its end in a loop of its own (a command's one piece of network work).

    :raise HubUnreachableError: the servers or JetStream failed it, or *timeout* passed;
        the message says *doing* what and what to do *then*.
    """
    try:
        return asyncio.run(asyncio.wait_for(coroutine, timeout))
    except HubUnreachableError as exc:
        raise unreachable(hub, exc.why, doing=doing, then=then) from None
    except NATS_FAILURES as exc:
        raise unreachable(hub, exc, doing=doing, then=then) from None
