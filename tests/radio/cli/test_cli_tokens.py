"""`radio token add / list / revoke`: the secret on stdout once, audited as the CLI operator."""

from radio.accounts import audit, tokens
from radio.cli import cli
from radio.store.connection import connect


def test_add_list_revoke(runner, home, clock):
    added = runner.invoke(cli, ["token", "add", "huyen"])
    assert added.exit_code == 0
    secret = added.stdout.strip()
    assert secret.startswith("radio_") and "\n" not in secret
    db = connect(home.database)
    assert tokens.authenticate(db, secret, now=clock.now()).username == "token:huyen"
    listed = runner.invoke(cli, ["token", "list"]).output
    assert "huyen" in listed and secret[:10] in listed and secret not in listed
    assert runner.invoke(cli, ["token", "revoke", "huyen"]).exit_code == 0
    assert tokens.authenticate(db, secret, now=clock.now()) is None
    assert runner.invoke(cli, ["token", "list"]).output == "No tokens.\n"
    rows = audit.entries(db, target="token:huyen")
    assert len(rows) == 2 and all(r["username"].startswith("cli:") and r["role"] == "admin" for r in rows)


def test_revoking_an_unknown_token_is_one_line(runner):
    result = runner.invoke(cli, ["token", "revoke", "tinh"])
    assert result.exit_code == 1
    assert result.output == 'Error: No active token named "tinh". Run `radio token list` to see them.\n'
