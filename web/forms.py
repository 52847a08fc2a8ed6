"""Small helpers shared by the admin's forms."""

from __future__ import annotations

try:  # wtforms >= 3.3 deprecates (value, label) tuples
    from wtforms.fields import SelectChoice
except ImportError:  # pragma: no cover - older wtforms
    def SelectChoice(value, label=None):  # noqa: N802
        return (value, label if label is not None else value)


def choices(pairs) -> list:
    """``[(value, label), ...]`` as select choices."""
    return [SelectChoice(value, label) for value, label in pairs]
