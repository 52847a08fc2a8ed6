"""What importing the library drags in: every CLI command and ``radio serve`` pay it."""

import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.parametrize("module", ["radio", "radio.cli"])
def test_importing_the_library_leaves_numpy_and_werkzeug_out(module):
    loaded = _modules_after(f"import {module}")
    assert "sqlite_utils" in loaded
    assert not {"numpy", "werkzeug", "scipy", "matplotlib"} & loaded


def test_numpy_still_imports_after_the_library_hid_it_from_sqlite_utils():
    loaded = _modules_after("import radio, numpy; assert numpy.zeros(2).sum() == 0")
    assert "numpy" in loaded
