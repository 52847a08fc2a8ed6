"""Reading quality per family: share of sentences read exactly right.

Run: ``.venv/bin/python benchmarks/speech_quality.py [--baseline DIR]``.
The sentence sets are those of ``tests/content/family_sentences.py`` (seven
families of the speech second pass, written for the tests), scored the way
``tests/content`` scores them: the spoken form must equal the expected one.
Beside the pass share, "clean" is the share of sentences from which no
digit, slash, percent sign or all-caps token reaches the engine, and
"unsure" the spans ``analyse`` reports.  ``--baseline DIR`` scores another
checkout's ``content`` package side by side (e.g. the previous release,
extracted with ``git archive REF content | tar -x -C DIR``); without it the
baseline is the raw text handed to the engine unchanged.  Last, the
held-out sentences of ``data/speech_heldout.tsv`` (written after the rules
and never tuned on) give the pass share on text the rules have not seen.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def clean(spoken: str) -> bool:
    caps = [t for t in re.findall(r"[^\W\d_]+", spoken) if len(t) > 1 and t.isupper()]
    return not re.search(r"[0-9/%]", spoken) and not caps


def score(families: dict, normalize) -> dict:
    return {family: (sum(normalize(w) == s for w, s in pairs), sum(clean(normalize(w)) for w, _ in pairs), len(pairs))
            for family, pairs in families.items()}


def held_out() -> dict[str, list[tuple[str, str]]]:
    families: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / "benchmarks" / "data" / "speech_heldout.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            family, written, spoken = line.split("\t")
            families.setdefault(family, []).append((written, spoken))
    return families


def _baseline_scores(folder: str) -> dict:
    """Score a checkout's content package in a child process, so its
    modules do not mix with ours."""
    code = ("import json, sys; sys.path[:0] = [sys.argv[1], sys.argv[2], sys.argv[2] + '/benchmarks'];"
            "from content.normalize import normalize;"
            "from tests.content.family_sentences import FAMILIES;"
            "import speech_quality as q; print(json.dumps(q.score(FAMILIES, normalize)))")
    out = subprocess.run([sys.executable, "-c", code, folder, str(ROOT)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="folder holding another checkout's content/ package")
    arguments = parser.parse_args()

    from content.normalize import analyse, normalize
    from tests.content.family_sentences import FAMILIES

    ours = score(FAMILIES, normalize)
    if arguments.baseline:
        base, base_name = _baseline_scores(arguments.baseline), "baseline"
    else:
        base, base_name = score(FAMILIES, lambda text: text), "raw text"
    unsure = {f: sum(len(analyse(w).unsure) for w, _ in pairs) for f, pairs in FAMILIES.items()}

    print(f"{'family':<30}{'n':>4}{'pass':>8}{'clean':>8}{'unsure':>8}  | {base_name}: pass, clean")
    totals = [0, 0, 0, 0, 0]
    for family, (passed, clean_count, n) in ours.items():
        b_pass, b_clean, _ = base.get(family, (0, 0, n))
        print(f"{family:<30}{n:>4}{passed / n:>8.0%}{clean_count / n:>8.0%}{unsure[family]:>8}"
              f"  | {b_pass / n:>5.0%} {b_clean / n:>6.0%}")
        for i, value in enumerate((passed, clean_count, n, b_pass, b_clean)):
            totals[i] += value
    passed, clean_count, n, b_pass, b_clean = totals
    print(f"{'all families':<30}{n:>4}{passed / n:>8.0%}{clean_count / n:>8.0%}{sum(unsure.values()):>8}"
          f"  | {b_pass / n:>5.0%} {b_clean / n:>6.0%}")

    unseen = score(held_out(), normalize)
    print("\nheld-out sentences (not tuned on):")
    for family, (passed, _clean, n) in unseen.items():
        print(f"{family:<30}{n:>4}{passed / n:>8.0%}")
    total, n = sum(v[0] for v in unseen.values()), sum(v[2] for v in unseen.values())
    print(f"{'all':<30}{n:>4}{total / n:>8.0%}")


if __name__ == "__main__":
    main()
