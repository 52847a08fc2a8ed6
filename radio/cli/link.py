"""``radio link ...``: the station's side of the province network."""

from __future__ import annotations

import json

import click

from radio.cli.base import cli, pass_station
from radio.clock import STATION_TZ, from_utc_text


@cli.group()
def link():
    """The province network: join it, see the link, take provincial bulletins in."""


@link.command(name="join")
@click.option("--credentials", "credentials", required=True, type=click.Path(dir_okay=False, exists=True),
              help="The join file the province's hub wrote for this station (CODE.creds)")
@pass_station
def link_join(station, credentials):
    """Join the province: keep the join file; the daemon's link connects with it.

    Example:

    \b
        radio link join --credentials XA-TAN-AN.creds
    """
    from radio.link import join

    joined = join(station.home, credentials)
    click.echo(f"Joined {joined.province or 'the province'} as station {joined.code}; servers "
               f"{', '.join(joined.servers)}. The daemon (radio station / radio serve) connects; "
               "restart it if it runs.")


def _local(text: str | None) -> str:
    return from_utc_text(text).astimezone(STATION_TZ).strftime("%Y-%m-%d %H:%M:%S") if text else "-"


@link.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON")
@pass_station
def link_status(station, as_json):
    """Whether the station has joined, the link's state, the outbox and the inbox."""
    from radio.link import joined, link_state
    from radio.link.outbox import counts

    join = joined(station.home)
    state = link_state(station.db) if join else {}
    inbox = dict(station.db.execute("SELECT state, count(*) FROM provincial_bulletins GROUP BY state").fetchall())
    status = {"joined": join is not None, "code": join.code if join else None,
              "province": join.province if join else None, "servers": list(join.servers) if join else [],
              "link": state, "outbox": counts(station.db), "inbox": inbox}
    if as_json:
        click.echo(json.dumps(status, ensure_ascii=False, indent=2))
        return
    if join is None:
        click.echo("Not joined to a province (radio link join --credentials FILE).")
        return
    click.echo(f"Station {join.code} of {join.province or 'the province'}; servers {', '.join(join.servers)}")
    if state:
        click.echo(f"Link: {'connected' if state.get('connected') else 'not connected'} since "
                   f"{_local(state.get('since'))}; last contact {_local(state.get('last_contact'))}"
                   + (f"; last error: {state['error']}" if state.get("error") else ""))
    else:
        click.echo("Link: not run yet (it runs with the daemon).")
    waiting = sum(c["waiting"] for c in status["outbox"].values())
    click.echo(f"Outbox: {waiting} waiting, " + ", ".join(
        f"{kind} {c['published']} sent" for kind, c in sorted(status["outbox"].items())) if status["outbox"]
        else "Outbox: empty")
    click.echo("Inbox: " + (", ".join(f"{n} {state}" for state, n in sorted(inbox.items())) or "empty"))


@link.command(name="inbox")
@pass_station
def link_inbox(station):
    """The provincial bulletins received, newest first."""
    from radio.link.inbox import listing
    from radio.network.messages import CLASS_NAMES

    rows = listing(station.db)
    if not rows:
        click.echo("No provincial bulletin received.")
        return
    for row in rows:
        click.echo(f"{row['id']}  {CLASS_NAMES[row['class']]:<13} {row['state']:<10} {_local(row['received_at'])}  "
                   f"{row['title']}" + (f"  (bulletin #{row['bulletin_id']})" if row["bulletin_id"] else "")
                   + (f"  — {row['reason']}" if row["reason"] else ""))


@link.command(name="accept")
@click.argument("provincial_id")
@pass_station
def link_accept(station, provincial_id):
    """Take a thông thường provincial bulletin into the schedule (it airs in the slots of its window)."""
    from radio.link.inbox import accept

    row = accept(station.db, provincial_id, actor=station.actor, now=station.clock.now())
    click.echo(f"Provincial bulletin {row['id']} is bulletin #{row['bulletin_id']}, approved by the province; "
               "it airs in the slots of its window.")
