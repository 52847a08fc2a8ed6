"""The layers of the code, read from the source: who may import whom.

The drawing in the README's "Code layout" is this file's :data:`FLOORS`: a package may
import the packages on its own floor or below, never above, and no module imports
itself back through others.
"""

import pytest

from tests.support.imports import ROOT, arrows, cycles, graph, known_module, module_name, modules, OURS

#: radio's packages from the ground up; a package imports only from its floor or below
FLOORS = [
    ["radio.clock", "radio.errors"],
    ["radio.store"],
    ["radio.network"],
    ["radio.accounts"],
    ["radio.settings"],
    ["radio.wording"],
    ["radio.bulletins"],
    ["radio.speech"],
    ["radio.schedule"],
    ["radio.proof"],
    ["radio.programme"],
    ["radio.link"],
    ["radio.station"],
    ["radio.reports"],
    ["radio.hub"],
    ["radio.cli", "radio.__main__"],
]
FLOOR_OF = {package: level for level, packages in enumerate(FLOORS) for package in packages}
KNOWN = {module_name(path) for top in OURS for path in modules(top)}


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def our_arrows(top: str):
    for path in modules(top):
        for arrow in arrows(path):
            yield path, arrow


@pytest.mark.parametrize("top", ["content", "audio"])
def test_content_and_audio_import_nothing_of_ours(top):
    offenders = [f"{module_name(p)}:{a.line} imports {a.target}" for p, a in our_arrows(top)
                 if a.target.split(".")[0] in {"radio", "web", "tests"}
                 or (a.target.split(".")[0] in OURS and a.target.split(".")[0] != top and top == "audio")]
    assert offenders == []


def test_content_and_audio_do_not_import_each_other():
    offenders = [f"{module_name(p)}:{a.line} imports {a.target}" for top, other in (("audio", "content"),
                                                                                 ("content", "audio"))
                 for p, a in our_arrows(top) if a.target.split(".")[0] == other]
    assert offenders == []


def test_radio_never_imports_web():
    offenders = [f"{module_name(p)}:{a.line}" for p, a in our_arrows("radio")
                 if a.target.split(".")[0] == "web" and not module_name(p).startswith("radio.cli")]
    assert offenders == []


def test_click_is_imported_only_by_the_cli():
    offenders = [f"{module_name(p)}:{a.line}" for p, a in our_arrows("radio")
                 if a.target.split(".")[0] == "click" and not module_name(p).startswith("radio.cli")]
    assert offenders == []


def test_every_package_of_radio_has_a_floor():
    tops = {package_of(m) for m in KNOWN if m.startswith("radio.")}
    assert tops - set(FLOOR_OF) == set()


def test_no_arrow_runs_up_a_floor():
    upward = []
    for path, arrow in our_arrows("radio"):
        source = module_name(path)
        target = known_module(arrow.target, KNOWN)
        if not target or not target.startswith("radio.") or package_of(source) == "radio":
            continue
        if FLOOR_OF[package_of(target)] > FLOOR_OF[package_of(source)]:
            upward.append(f"{source}:{arrow.line} imports {target}")
    assert upward == []


@pytest.mark.parametrize("top", ["radio", "content", "audio"])
def test_no_import_loops(top):
    assert cycles(graph(top)) == []


def test_the_library_hides_no_dependency_in_a_function():
    """A function-level import of our own code hides an arrow from the drawing; the CLI's lazy
    imports (for a fast start-up) are the exception, and any other must say why in a comment."""
    hidden = []
    for path, arrow in our_arrows("radio"):
        source = module_name(path)
        if not arrow.in_function or source.startswith("radio.cli") or arrow.target.split(".")[0] != "radio":
            continue
        line = path.read_text(encoding="utf-8").splitlines()[arrow.line - 1]
        if "#" not in line:
            hidden.append(f"{source}:{arrow.line} {line.strip()}")
    assert hidden == []


def test_radio_has_few_entries_at_its_top():
    entries = [p.name for p in (ROOT / "radio").iterdir() if p.name != "__pycache__"]
    # 16, and the province network's three: network (shared), hub (the province), link (the station)
    assert len(entries) <= 19, sorted(entries)
