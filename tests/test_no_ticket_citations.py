"""Comments, docstrings and test names say what they prove, not which ticket found it.

A reader of the repository cannot look a ticket up, so "see issue N, finding M" tells
them nothing; the sentence that would have followed is what belongs there.
"""

import re
from pathlib import Path

from tests.support.imports import ROOT

HERE = Path(__file__).resolve()

#: a ticket's number cited: the word, then the number (any case, plural too, "#" allowed)
CITATION = re.compile(r"\b(?:issue|finding|ticket|stop)s?\s*#?\d+", re.IGNORECASE)
SKIPPED_DIRS = {".git", ".venv", "__pycache__", "node_modules"}


def python_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if SKIPPED_DIRS & set(path.relative_to(ROOT).parts) or path == HERE:  # its examples are citations on purpose
            continue
        yield relative, path


def test_no_comment_docstring_or_test_name_cites_a_ticket():
    cited = [f"{relative}:{number}: {line.strip()}"
             for relative, path in python_files()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if CITATION.search(line)]
    assert cited == []


def test_the_check_finds_a_citation():
    """The pattern catches the ways a ticket was cited, and leaves ordinary words alone."""
    cited = ["(issue 17, finding 8)", "Issue 7, findings 6 and 7", "# issue 8", "Finding 4: a render",
             "issue 12's must-hold", "see ticket #31"]
    plain = ["audit findings and skips", "issue and revoke API tokens", "we issue BEGIN ourselves",
             "stop the daemon", "report_issuer"]
    assert all(CITATION.search(text) for text in cited)
    assert not any(CITATION.search(text) for text in plain)
