"""Pages of a long list, cut in SQL (LIMIT/OFFSET on an index), never in Python.

A year of a busy station holds 100,000 log entries and 10,000 bulletins; a page
view reads one page of them and one ``count(*)`` on the same index.
"""

from __future__ import annotations

from dataclasses import dataclass

from radio.errors import ValidationError
from radio.store.ids import ascii_int

PER_PAGE = 50
MAX_PER_PAGE = 500


@dataclass(frozen=True)
class Page:
    """One page of *rows*; *number* counts from 1, *total* is the size of the whole list."""

    rows: list[dict]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def page_number(value: str | int | None) -> int:
    """A page number from a query string ("", None → 1).

    :raise ValidationError: not a whole number from 1 up
    """
    if value is None or value == "":
        return 1
    try:
        number = ascii_int(value)
    except (TypeError, ValueError):
        raise ValidationError(f'Page "{value}" is not a whole number.') from None
    if number < 1:
        raise ValidationError(f'Page "{value}" is not a whole number.')
    return number


def check_per_page(per_page: int) -> int:
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationError(f"Page size must be a whole number from 1 to {MAX_PER_PAGE}.")
    return per_page
