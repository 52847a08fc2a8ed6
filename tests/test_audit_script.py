"""scripts/audit.py fails on real findings only, and never passes unaudited packages off as clean."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "audit.py"
spec = importlib.util.spec_from_file_location("audit_script", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


class Answer:
    def __init__(self, status_code, data=None):
        self.status_code, self._data = status_code, data

    def json(self):
        return self._data


def pypi(projects):
    """PyPI's project-level JSON for *projects* (name → (newest version, vulnerability ids))."""
    def get(url, timeout):
        name = url.rstrip("/").split("/")[-2]
        if name not in projects:
            return Answer(404)
        version, ids = projects[name]
        return Answer(200, {"info": {"version": version}, "vulnerabilities": [{"id": i} for i in ids]})
    return get


def test_the_lock_is_read_as_name_and_version(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("# comment\nFlask==3.1.3\ntyping_extensions==4.16.0 ; python_version < '4'\n-e .\n")
    assert audit.pinned(lock) == {"flask": "3.1.3", "typing-extensions": "4.16.0"}


def test_pip_audit_findings_and_skips_are_told_apart():
    report = {"dependencies": [
        {"name": "ecdsa", "version": "0.19.2", "vulns": [{"id": "GHSA-1"}]},
        {"name": "flask", "version": "3.1.3", "vulns": []},
        {"name": "gtts", "skip_reason": "Dependency not found on PyPI"},
    ]}
    assert audit.summarise(report) == ({"ecdsa 0.19.2": ["GHSA-1"]}, {"gtts"})


def test_newest_release_fallback_finds_vulnerabilities_and_names_what_it_cannot_check():
    pins = {"ecdsa": "0.19.2", "flask": "3.1.3", "gtts": "2.2.4", "gone": "1.0"}
    get = pypi({"ecdsa": ("0.19.2", ["PYSEC-1"]), "flask": ("3.1.3", []), "gtts": ("2.5.4", [])})
    found, unaudited = audit.newest_release_check(pins, set(pins), get=get)
    assert found == {"ecdsa 0.19.2": ["PYSEC-1"]}
    assert unaudited == {"gtts", "gone"}  # pinned older than the newest release, or unknown


@pytest.mark.parametrize("vulns, code", [([], 0), (["PYSEC-1"], 1)])
def test_exit_code_is_1_only_on_findings(tmp_path, monkeypatch, capsys, vulns, code):
    lock = tmp_path / "requirements.lock"
    lock.write_text("ecdsa==0.19.2\ngtts==2.2.4\n")
    monkeypatch.setattr(audit, "run_pip_audit", lambda lock, service: None)  # no service reachable
    monkeypatch.setattr(audit.requests, "get", pypi({"ecdsa": ("0.19.2", vulns), "gtts": ("2.5.4", [])}))
    assert audit.audit(lock) == code
    out = capsys.readouterr().out
    assert "Audited 1 of 2 locked packages." in out
    assert "WARNING: 1 packages could NOT be audited" in out and "gtts" in out
