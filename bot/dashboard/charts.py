"""Charts drawn on the server as SVG: readable without JavaScript, printable, and the same for everyone.

Pure: values in, markup out. Every text is escaped; the chart carries a <title> and <desc> for screen
readers, and the page shows the same figures in a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

__all__ = ["Bar", "Point", "share_bars", "share_chart"]

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 48


@dataclass(frozen=True, slots=True)
class Point:
    label: str  # the month, in full ("Mar 2026")
    share: float | None  # 0..1; None where too few answered to show
    n: int  # how many answered
    short: str = ""  # under the axis, where twelve months must fit ("Mar 26"); the label if empty


def share_chart(
    points: list[Point],
    *,
    title: str,
    reference: float | None,
    reference_label: str,
    too_few_label: str,
) -> str:
    """A line of shares (0-100 %) over months, with an optional dashed reference line."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(1, len(points) - 1) if len(points) > 1 else 0.0

    def x(index: int) -> float:
        return LEFT + (step * index if len(points) > 1 else inner_w / 2)

    def y(share: float) -> float:
        return TOP + inner_h * (1 - share)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart">'
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(_describe(points, too_few_label))}</desc>",
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11"'
            f' fill="#555">{int(tick * 100)}%</text>'
        )
    if reference is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(reference):.1f}" y2="{y(reference):.1f}"'
            f' stroke="#b5542d" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - RIGHT}" y="{y(reference) - 5:.1f}" text-anchor="end" font-size="11"'
            f' fill="#b5542d">{escape(reference_label)}</text>'
        )
    segment: list[str] = []
    lines: list[list[str]] = []
    for index, point in enumerate(points):
        if point.share is None:
            if segment:
                lines.append(segment)
            segment = []
            continue
        segment.append(f"{x(index):.1f},{y(point.share):.1f}")
    if segment:
        lines.append(segment)
    for line in lines:
        if len(line) > 1:
            parts.append(
                f'<polyline points="{" ".join(line)}" fill="none" stroke="#1d5c8f" stroke-width="2.5"/>'
            )
    for index, point in enumerate(points):
        if point.share is not None:
            parts.append(
                f'<circle cx="{x(index):.1f}" cy="{y(point.share):.1f}" r="4" fill="#1d5c8f">'
                f"<title>{escape(point.label)}: {round(point.share * 100)}% (n={point.n})</title></circle>"
            )
        else:
            parts.append(
                f'<text x="{x(index):.1f}" y="{TOP + inner_h - 4:.1f}" text-anchor="middle" font-size="10"'
                f' fill="#999">–<title>{escape(point.label)}: {escape(too_few_label)}'
                f" (n={point.n})</title></text>"
            )
        parts.append(
            f'<text x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11"'
            f' fill="#333">{escape(point.short or point.label)}</text>'
            f'<text x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 30}" text-anchor="middle" font-size="10"'
            f' fill="#777">n={point.n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _describe(points: list[Point], too_few_label: str) -> str:
    return "; ".join(
        f"{p.label}: {round(p.share * 100)}% (n={p.n})"
        if p.share is not None
        else f"{p.label}: {too_few_label}"
        for p in points
    )


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    share: float | None  # 0..1; None where too few answered to show
    n: int
    reference: float | None = None  # the 2015 evaluation's figure, drawn as a mark on the bar's track


BAR_WIDTH, BAR_ROW, BAR_LABEL = 640, 34, 300


def share_bars(bars: list[Bar], *, title: str, too_few_label: str, reference_label: str) -> str:
    """Horizontal bars of shares (0-100 %), one a measure, with the 2015 figure as a dark mark: a printed
    page shows at a glance how this period compares."""
    height = BAR_ROW * len(bars) + 24
    track = BAR_WIDTH - BAR_LABEL - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BAR_WIDTH} {height}" role="img"'
        ' class="chart bars">'
        f"<title>{escape(title)}</title>",
        "<desc>"
        + escape(
            "; ".join(
                f"{b.label}: {round(b.share * 100)}% (n={b.n})"
                if b.share is not None
                else f"{b.label}: {too_few_label}"
                for b in bars
            )
        )
        + "</desc>",
    ]
    for index, bar in enumerate(bars):
        top = index * BAR_ROW + 4
        parts.append(
            f'<text x="{BAR_LABEL - 8}" y="{top + 17}" text-anchor="end" font-size="12" fill="#222">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{BAR_LABEL}" y="{top + 4}" width="{track}" height="18" fill="#eee"/>'
        )
        if bar.share is not None:
            parts.append(
                f'<rect x="{BAR_LABEL}" y="{top + 4}" width="{track * bar.share:.1f}" height="18"'
                ' fill="#1d5c8f"/>'
                f'<text x="{BAR_LABEL + track + 6}" y="{top + 17}" font-size="12" fill="#222">'
                f"{round(bar.share * 100)}%</text>"
            )
        else:
            parts.append(
                f'<text x="{BAR_LABEL + 6}" y="{top + 17}" font-size="11" fill="#666">'
                f"{escape(too_few_label)}</text>"
            )
        if bar.reference is not None:
            x = BAR_LABEL + track * bar.reference
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + 26}" stroke="#b5542d"'
                ' stroke-width="3">'
                f"<title>{escape(reference_label)}: {round(bar.reference * 100)}%</title></line>"
            )
    parts.append(
        f'<line x1="{BAR_LABEL + 46}" x2="{BAR_LABEL + 46}" y1="{height - 16}" y2="{height - 2}"'
        ' stroke="#b5542d" stroke-width="3"/>'
        f'<text x="{BAR_LABEL + 54}" y="{height - 4}" font-size="11" fill="#444">'
        f"{escape(reference_label)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
