"""``radio token ...``: bearer tokens of the read-only JSON API."""

from __future__ import annotations

import click

from radio.clock import local_text
from radio.cli.base import cli, cli_actor, echo_rows, pass_station, row_command


@cli.group()
def token():
    """API tokens: one per client (a district office, a province report tool)."""


@token.command(name="add")
@click.argument("name")
@pass_station
def token_add(station, name):
    """Create a token for the client NAME and print it (shown this once only).

    Example:

    \b
        radio token add huyen-dinh-bien
        curl -H "Authorization: Bearer radio_..." http://127.0.0.1:8080/api/v1/log
    """
    from radio.accounts.tokens import create_token

    created, secret = create_token(station.db, cli_actor(), name, now=station.clock.now())
    click.echo(secret)
    click.echo(f"Token {created.name} created. Give it to the client now: only its hash is kept.", err=True)


@token.command(name="list")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked tokens")
@pass_station
def token_list(station, include_revoked):
    """List tokens: name, prefix, created, last used (never the secrets)."""
    from radio.accounts.tokens import list_tokens

    def line(t) -> str:
        used = local_text(t.last_used_at) if t.last_used_at else "never used"
        state = f", revoked {local_text(t.revoked_at)}" if t.revoked_at else ""
        return f"{t.name:<24} {t.prefix}…  created {local_text(t.created_at)}, last used {used}{state}"

    echo_rows(list_tokens(station.db, cli_actor(), include_revoked=include_revoked), "No tokens.", line)


def _revoke(station, name):
    from radio.accounts.tokens import revoke_token

    revoke_token(station.db, cli_actor(), name, now=station.clock.now())


token_revoke = row_command(token, "revoke", "name", act=_revoke, done="Token {} revoked.", help="""
    Revoke the token NAME: its client is refused from the next request on.

    Example:

    \b
        radio token revoke huyen-dinh-bien
    """)
