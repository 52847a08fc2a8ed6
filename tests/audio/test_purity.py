"""`audio/` imports nothing of ours (see audio/README.md)."""

import ast
from pathlib import Path

import audio

OURS = {"radio", "content", "web", "tests"}


def test_audio_imports_nothing_of_ours():
    offenders = []
    for path in Path(audio.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in OURS]
    assert offenders == []
