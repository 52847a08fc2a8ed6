"""Audit the locked dependencies (requirements.lock) for known vulnerabilities.

Runs pip-audit against PyPI's vulnerability data, then OSV's. Exits 1 only on
real findings. When no service could audit a package (offline, or a mirror
without PyPI's per-version JSON API), it says so loudly and exits 0: a network
that is down is not a vulnerability, but it must never look like a clean audit.

Fallback: PyPI's project-level JSON lists the vulnerabilities of a project's
*newest* release, so a package pinned at its newest release is still checked
when the per-version API is missing. Packages pinned older than that are named
as unaudited.

Usage: .venv/bin/python scripts/audit.py [requirements.lock]
Refresh the lock after changing pyproject.toml:
    .venv/bin/pip install -e '.[test]' && .venv/bin/pip freeze --exclude-editable > requirements.lock
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = [sys.executable, "-m", "pip_audit"]
PROJECT_JSON = "https://pypi.org/pypi/{name}/json"


def pinned(lock: Path) -> dict[str, str]:
    """``name → version`` of every ``name==version`` line of the lock."""
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower().replace("_", "-")] = version.split(";", 1)[0].strip()
    return pins


def run_pip_audit(lock: Path, service: str) -> dict | None:
    """pip-audit's JSON report, or None when the service could not be asked at all."""
    done = subprocess.run([*PIP_AUDIT, "-r", str(lock), "--no-deps", "--disable-pip", "-s", service,
                           "--timeout", "15", "--progress-spinner", "off", "-f", "json"],
                          capture_output=True, text=True)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit -s {service}: could not run ({last[:200]})")
        return None


def summarise(report: dict) -> tuple[dict[str, list[str]], set[str]]:
    """(package → vulnerability ids found, packages skipped as unauditable)."""
    found, skipped = {}, set()
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            skipped.add(dep["name"])
        elif dep.get("vulns"):
            found[f"{dep['name']} {dep['version']}"] = [v["id"] for v in dep["vulns"]]
    return found, skipped


def newest_release_check(pins: dict[str, str], names: set[str], get=None):
    """For packages pinned at their newest release: the vulnerabilities PyPI lists for it.

    :return: (package → vulnerability ids, packages that stay unaudited)
    """
    get = get or requests.get
    found, unaudited = {}, set()
    for name in sorted(names):
        try:
            answer = get(PROJECT_JSON.format(name=name), timeout=15)
            data = answer.json() if answer.status_code == 200 else None
        except (requests.RequestException, ValueError):
            data = None
        if not data or data["info"]["version"] != pins.get(name):
            unaudited.add(name)
            continue
        vulns = [v["id"] for v in data.get("vulnerabilities") or [] if not v.get("withdrawn")]
        if vulns:
            found[f"{name} {pins[name]}"] = vulns
    return found, unaudited


def audit(lock: Path) -> int:
    pins = pinned(lock)
    found: dict[str, list[str]] = {}
    unaudited = set(pins)
    for service in ("pypi", "osv"):
        report = run_pip_audit(lock, service)
        if report is None:
            continue
        more, skipped = summarise(report)
        found.update(more)
        unaudited &= skipped | {n for n in pins if n not in {d["name"] for d in report["dependencies"]}}
        if not unaudited:
            break
    if unaudited:
        more, unaudited = newest_release_check(pins, unaudited)
        found.update(more)
    audited = len(pins) - len(unaudited)
    print(f"Audited {audited} of {len(pins)} locked packages.")
    if unaudited:
        print(f"WARNING: {len(unaudited)} packages could NOT be audited (no vulnerability service "
              f"answered for their pinned version; PyPI's per-version JSON API or OSV unreachable): "
              f"{', '.join(sorted(unaudited))}. This is not a clean result for them.")
    for package, ids in sorted(found.items()):
        print(f"VULNERABLE: {package}: {', '.join(ids)}")
    if found:
        print("Upgrade them in pyproject.toml, refresh requirements.lock (see scripts/audit.py), run again.")
        return 1
    print("No known vulnerabilities in the audited packages.")
    return 0


if __name__ == "__main__":
    sys.exit(audit(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "requirements.lock"))
