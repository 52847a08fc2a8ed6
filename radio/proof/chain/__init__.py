"""Trusting the proof log from outside: signed heads, incremental state, the full check.

The hash chain alone proves nothing to an outsider: anyone who can write the
database file can delete the last rows or edit a row and recompute every hash
with the project's own function. So the chain's head is anchored *outside* the
database:

- after every append, a line is added to ``chain-heads.jsonl`` in the data
  directory (and ``chain_heads_copy``): the new head (entry count, last hash), the
  hash of the log tables' schema, and for every newly appended entry its hash and
  a short digest of each field, signed with HMAC-SHA256 and chained to the
  previous line. The key lives outside the data directory
  (``~/.config/radio/keys/<station id>.key``, 0600) or wherever ``chain_key_path``
  points (an admin may keep it on a USB stick), never in the database. Only rows
  the station appended are signed (:mod:`.keys`: append marks);
- every export, report and the API carry the head, and
  ``radio log verify --expect COUNT:HASH`` checks a head someone wrote down.

:func:`verify` walks the whole log in one streaming pass (constant memory) and
names what is missing or altered; :func:`chain_state` is the cheap, incremental
view for pages (rows are verified as they are appended).

The package: :mod:`.hashing` (what a hash covers), :mod:`.heads` (the signed heads
file), :mod:`.state` (the incremental mark), :mod:`.verify` (the full check).
"""

from radio.proof.chain.hashing import (FIELDS, GENESIS, ITEM_FIELDS, ITEM_OPTIONAL_FIELDS, LOG_TABLES,
    OPTIONAL_FIELDS, field_digests, key_digest, log_tables_exist, row_hash, schema_hash, walk)
from radio.proof.chain.heads import (HEADS_FILE, LINE_ENTRIES, HeadsError, alert, appended, ensure_key, heads_problem,
    lost_entries, signed_problem, skip_lost_ids, station_key, station_root, witness, witness_quietly)
from radio.proof.chain.keys import KEY_FILE, config_dir, key_path, load_key, mark, mark_all
from radio.proof.chain.state import ChainState, advance, chain_state
from radio.proof.chain.verify import MAX_PROBLEMS, Report, daily, parse_expect, verify

__all__ = [
    "FIELDS", "GENESIS", "HEADS_FILE", "HeadsError", "ITEM_FIELDS", "ITEM_OPTIONAL_FIELDS", "KEY_FILE",
    "LINE_ENTRIES", "alert", "appended", "ensure_key", "config_dir", "key_digest", "signed_problem", "skip_lost_ids", "heads_problem", "lost_entries", "mark", "mark_all", "station_key",
    "LOG_TABLES", "MAX_PROBLEMS", "OPTIONAL_FIELDS", "ChainState", "Report", "advance", "chain_state",
    "daily", "field_digests", "key_path", "load_key", "log_tables_exist", "parse_expect",
    "row_hash", "schema_hash", "station_root", "verify", "walk", "witness", "witness_quietly",
]
