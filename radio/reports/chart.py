"""The chart of every report: bulletins aired per month against the monthly target (PNG).

Drawn by matplotlib in a helper process (:mod:`audio.worker`): matplotlib is
some 30 MB that the long-lived admin would otherwise keep after one report.
"""

from __future__ import annotations

import io

from radio.reports.rows import MonthLine
from radio.reports.targets import topic_label

_COLOURS = {"met": "#2e7d32", "missed": "#c62828", "at risk": "#ef6c00", "upcoming": "#9e9e9e", None: "#1565c0"}


def month_label(line: MonthLine) -> str:
    return f"{int(line.period.key[5:7]):02d}/{line.period.key[2:4]}"


def png(months: list[MonthLine], *, title: str = "Số buổi phát tin bài theo tháng so với chỉ tiêu",
        width_in: float = 6.3, dpi: int = 150) -> bytes:
    """A bar per month (coloured by target status) and the target as a dashed step line.

    :raise audio.worker.WorkerError: the helper process died before it answered.
    """
    from audio import worker

    return worker.run(_draw, months, title=title, width_in=width_in, dpi=dpi)


def _draw(months: list[MonthLine], *, title: str, width_in: float, dpi: int) -> bytes:
    import matplotlib

    matplotlib.use("Agg")  # no display on a commune PC's service account
    from matplotlib.figure import Figure

    topics = list(dict.fromkeys(line.topic for line in months)) or ["cchc"]
    fig = Figure(figsize=(width_in, 2.8), dpi=dpi)
    ax = fig.add_subplot()
    width = 0.8 / len(topics)
    for n, topic in enumerate(topics):
        lines = [line for line in months if line.topic == topic]
        xs = [i + (n - (len(topics) - 1) / 2) * width for i in range(len(lines))]
        ax.bar(xs, [line.count for line in lines], width=width * 0.9,
               color=[_COLOURS[line.status] for line in lines],
               label=f"Số buổi phát tin {topic_label(topic)}")
        if any(line.minimum for line in lines):
            ax.step([x for x in range(len(lines))], [line.minimum or 0 for line in lines], where="mid",
                    color="black", linestyle="--", linewidth=1.2, label=f"Chỉ tiêu {topic_label(topic)}")
        for x, line in zip(xs, lines):
            ax.annotate(str(line.count), (x, line.count), ha="center", va="bottom", fontsize=7)
    first = [line for line in months if line.topic == topics[0]]
    ax.set_xticks(range(len(first)), [month_label(line) for line in first], fontsize=7,
                  rotation=45 if len(first) > 12 else 0)
    ax.set_ylabel("Số buổi phát", fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.tick_params(axis="y", labelsize=7)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7, loc="upper left")
    ax.set_ylim(0, max([line.count for line in months] + [line.minimum or 0 for line in months] + [1]) * 1.3)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
