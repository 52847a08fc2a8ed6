"""Named outputs: where the station may send its sound, set by the admin only.

A slot picks an output by name; nobody else can type a spec, so an officer
cannot reroute a programme to a file or a stranger's Icecast server while the
log says "aired". Specs may hold an Icecast password: :func:`masked` is the
only form shown on pages, in listings and in logs.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlite_utils import Database

from audio.outputs import OutputError, masked, open_output

from radio.accounts.roles import Actor, require
from radio.accounts.audit import record
from radio.clock import to_utc_text
from radio.errors import NotFoundError, ValidationError
from radio.store.connection import bump_revision, write

KINDS = {"device": "thiết bị âm thanh", "pulse": "PulseAudio", "icecast": "Icecast", "file": "ra tệp"}
#: kinds that do not feed loudspeakers unless the admin says a named output does
#: (a file is a recording on disk: nobody heard it)
NOT_LOUDSPEAKER_KINDS = ("file",)
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def kind_of(spec: str | None) -> str | None:
    """The kind of an output spec (``device``, ``pulse``, ``icecast``, ``file``), or None."""
    spec = (spec or "").strip()
    if spec.startswith("icecast://"):
        return "icecast"
    kind = spec.partition(":")[0]
    return kind if kind in KINDS else None


def feeds_by_kind(kind: str | None) -> bool:
    """Whether an output of *kind* feeds loudspeakers when nobody said otherwise."""
    return kind not in NOT_LOUDSPEAKER_KINDS


def loudspeakers_of(db: Database, spec: str | None) -> tuple[bool, str | None]:
    """Whether the output *spec* feeds loudspeakers, and the named output it is.

    A named output with that spec and an override (``radio output loudspeakers``)
    decides; otherwise its kind does (:func:`feeds_by_kind`).

    :return: ``(feeds, name)``; *name* is None when no named output has that spec.
    """
    spec = (spec or "").strip()
    row = db.execute("SELECT name, loudspeakers FROM outputs WHERE spec = ? "
                     "ORDER BY loudspeakers IS NULL, name LIMIT 1", [spec]).fetchone() if spec else None
    if row is not None and row[1] is not None:
        return bool(row[1]), row[0]
    return feeds_by_kind(kind_of(spec)), row[0] if row else None


def set_loudspeakers(db: Database, name: str, feeds: bool | None, *, actor: Actor, now: datetime) -> dict:
    """Say whether the named output *name* feeds loudspeakers (None: by its kind).

    Only airings from now on are affected: each proof-log entry keeps what its output
    reached when it aired.
    """
    require(actor, "output.manage")
    row = get_output(db, name)
    value = None if feeds is None else int(bool(feeds))
    with write(db):
        db.execute("UPDATE outputs SET loudspeakers = ? WHERE name = ?", [value, row["name"]])
        record(db, actor, "output.manage", now=now, target=f"output:{row['name']}",
               detail={"op": "loudspeakers", "loudspeakers": "by kind" if value is None else bool(value)})
    return public(get_output(db, row["name"]))


def feeds_loudspeakers(row: dict) -> bool:
    """Whether the named output *row* feeds loudspeakers (its override, else its kind)."""
    value = row.get("loudspeakers")
    return feeds_by_kind(row.get("kind")) if value is None else bool(value)


def _check_spec(spec: str) -> str:
    spec = (spec or "").strip()
    if not spec:
        raise ValidationError("Give the output's spec, e.g. pulse:thon1 or device.")
    try:
        open_output(spec)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    except OutputError:
        pass  # well-formed, but its device is absent now: it fails (and alerts) at air time
    return spec


def add_output(db: Database, *, name: str, spec: str, actor: Actor, now: datetime,
               label: str = "", zone: str = "", loudspeakers: bool | None = None) -> dict:
    """Define a named output (admin only).

    :param loudspeakers: whether it feeds loudspeakers; None: by its kind (a file does not).

    :raise ValidationError: a bad name, an unknown spec form, or a name taken.
    """
    require(actor, "output.manage")
    name = (name or "").strip().lower()
    if not _NAME.match(name):
        raise ValidationError("Output name: 1–32 lower-case letters, digits, '-' or '_'.")
    spec = _check_spec(spec)
    row = dict(name=name, label=(label or "").strip()[:100], kind=kind_of(spec), spec=spec,
               zone=(zone or "").strip()[:100], created_at=to_utc_text(now),
               loudspeakers=None if loudspeakers is None else int(bool(loudspeakers)))
    with write(db):
        if db.execute("SELECT 1 FROM outputs WHERE name = ?", [name]).fetchone():
            raise ValidationError(f'Output "{name}" already exists.')
        db["outputs"].insert(row)
        record(db, actor, "output.manage", now=now, target=f"output:{name}",
               detail={"op": "add", "kind": row["kind"], "spec": masked(spec), "zone": row["zone"],
                       "loudspeakers": feeds_loudspeakers(row)})
    return public(row)


def remove_output(db: Database, name: str, *, actor: Actor, now: datetime) -> None:
    """Remove a named output; refused while a slot still airs to it."""
    require(actor, "output.manage")
    get_output(db, name)
    with write(db):
        used = [r[0] for r in db.execute("SELECT id FROM slots WHERE output = ?", [name])]
        if used:
            raise ValidationError(
                f'Output "{name}" is used by slot(s) {", ".join(map(str, used))}; '
                "change those slots first.")
        db.execute("DELETE FROM outputs WHERE name = ?", [name])
        record(db, actor, "output.manage", now=now, target=f"output:{name}", detail={"op": "remove"})
        bump_revision(db)


def get_output(db: Database, name: str) -> dict:
    """The full row, spec included (for the station daemon only; show :func:`public`)."""
    rows = list(db["outputs"].rows_where("name = ?", [(name or "").strip().lower()]))
    if not rows:
        raise NotFoundError(f'Output "{name}" does not exist. Ask the admin to add it (radio output add).')
    return rows[0]


def public(row: dict) -> dict:
    """A row fit for pages and listings: the spec masked."""
    return {**row, "spec": masked(row["spec"])}


def list_outputs(db: Database) -> list[dict]:
    """Every named output, specs masked."""
    return [public(r) for r in db["outputs"].rows_where(order_by="name")]


def spec_for(db: Database, name: str | None) -> str | None:
    """The spec a slot's output name stands for (None: the station's default output)."""
    return get_output(db, name)["spec"] if name else None
