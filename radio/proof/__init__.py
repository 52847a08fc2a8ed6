"""The proof of play: what the player played, append-only and tamper-evident.

- :mod:`.log`: one row per occurrence (aired, partial, failed, missed, cancelled), written by the player;
- :mod:`.chain`: the hash chain, the signed heads outside the database, verification;
- :mod:`.corrections`: entries typed by hand (a live reading, a correction), chained like every other;
- :mod:`.replay`: playing back any aired occurrence bit for bit.
"""
