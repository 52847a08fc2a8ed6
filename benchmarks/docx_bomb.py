"""A .docx zip bomb (214 KB holding 51 MB of XML): how fast and how small the refusal is.

Imports the bomb with :func:`content.importers.import_document` (refused while
inflating, at 5 MB) beside the baseline, python-docx opening the same file as
the importer did before (in a child process, as it takes tens of seconds and
hundreds of MB), and beside importing an ordinary one-page bulletin. Prints
wall time and peak memory of each, and the ratios.

Run: ``.venv/bin/python benchmarks/docx_bomb.py [--mb 51] [--no-baseline]``.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import docx  # noqa: E402

from content.importers import DocumentError, import_document  # noqa: E402
from tests.content.test_importers import _zip_bomb  # noqa: E402

_BASELINE = """
import resource, sys, time
import docx
started = time.perf_counter()
document = docx.Document(sys.argv[1])
n = sum(1 for _ in document.iter_inner_content())
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def measure(path: Path) -> tuple[float, float, str]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        import_document(path)
        outcome = "imported"
    except DocumentError as error:
        outcome = f"refused: {str(error).split(': ', 1)[1][:60]}"
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / (1 << 20)
    tracemalloc.stop()
    return elapsed, peak, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=51, help="XML the bomb inflates to, in MB")
    parser.add_argument("--no-baseline", action="store_true", help="skip python-docx on the bomb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bomb = Path(tmp) / "bom.docx"
        _zip_bomb(bomb, args.mb * 1024 * 1024)
        ordinary = Path(tmp) / "tin.docx"
        document = docx.Document()
        for n in range(12):
            document.add_paragraph(f"Đoạn {n}: Ủy ban nhân dân xã thông báo lịch tiếp công dân vào thứ Năm. " * 4)
        document.save(ordinary)
        print(f"bomb: {bomb.stat().st_size / 1024:.0f} KB on disk, {args.mb} MB of XML")
        rows = [("radio, the bomb", *measure(bomb)), ("radio, a one-page bulletin", *measure(ordinary))]
        if not args.no_baseline:
            done = subprocess.run([sys.executable, "-c", _BASELINE, str(bomb)], capture_output=True, text=True)
            seconds, rss_mb = (float(x) for x in done.stdout.split())
            rows.append(("python-docx, the bomb (max RSS)", seconds, rss_mb, "opened"))
        print("(peak MiB: Python heap by tracemalloc for radio; the child's max RSS for python-docx)")
        print(f"{'':36} {'wall s':>8} {'peak MiB':>9}  outcome")
        for name, seconds, mib, outcome in rows:
            print(f"{name:36} {seconds:8.3f} {mib:9.2f}  {outcome}")
        print(f"refusal / ordinary import: {rows[0][1] / rows[1][1]:.1f}x the wall time")
        if not args.no_baseline:
            print(f"refusal / python-docx: {rows[0][1] / rows[2][1]:.4f}x the wall time, "
                  f"{rows[0][2] / rows[2][2]:.4f}x the memory")
        print(f"this process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
