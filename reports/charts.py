"""Charts drawn on the server as plain SVG: the same markup in the page and in the PDF.

Presentation attributes only (``fill=``, ``font-size=``), no ``style``: the Content
Security Policy forbids inline styles, and WeasyPrint draws inline SVG as it is.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 70
ROW_HEIGHT = 22
BAR_HEIGHT = 14
TOP = 8
BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH
INK = "#1f3a5f"
REFERENCE = "#c8102e"
MAX_CITY_BARS = 40


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # what is written after the bar
    reference: float | None = None  # a marker, e.g. the meetings the cadence requires


def _shorten(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(*, title: str, bars: list[Bar], maximum: float | None = None) -> SafeString:
    """A horizontal bar chart; ``reference`` values are drawn as red ticks."""
    if not bars:
        return mark_safe("")  # noqa: S308  # nosec B308, B703: empty string
    top = maximum or max(
        [b.value for b in bars] + [b.reference or 0 for b in bars] + [1],
    )
    height = TOP * 2 + ROW_HEIGHT * len(bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT
        width = round(BAR_AREA * max(bar.value, 0) / top, 1)
        text_y = y + BAR_HEIGHT - 3
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" font-size="11" '
            f'font-family="sans-serif" fill="#222">{escape(_shorten(bar.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            f'fill="{INK}"/>'
            f'<text x="{LABEL_WIDTH + width + 4}" y="{text_y}" font-size="11" '
            f'font-family="sans-serif" fill="#222">{escape(bar.text)}</text>'
        )
        if bar.reference is not None:
            x = round(LABEL_WIDTH + BAR_AREA * bar.reference / top, 1)
            parts.append(
                f'<line x1="{x}" y1="{y - 2}" x2="{x}" y2="{y + BAR_HEIGHT + 2}" '
                f'stroke="{REFERENCE}" stroke-width="2"/>'
            )
    parts.append("</svg>")
    # Every interpolated text went through escape(); numbers are ours.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703


def meetings_chart(rows: list[dict]) -> SafeString:
    bars = [
        Bar(
            label=row["name"],
            value=row["held"],
            text=_("%(held)s of %(required)s") % {"held": row["held"], "required": row["required"]},
            reference=row["required"],
        )
        for row in rows
    ]
    return bar_chart(
        title=_("Meetings held per working group (red mark: meetings the cadence requires)"),
        bars=bars,
    )


def attendance_chart(by_city: list[dict]) -> SafeString:
    """Attendance per city; for a large network, the number of cities per band of rate."""
    if len(by_city) <= MAX_CITY_BARS:
        bars = [
            Bar(label=row["city"], value=row["rate"] or 0, text=f"{row['rate'] or 0} %")
            for row in by_city
        ]
        return bar_chart(title=_("Attendance rate by city"), bars=bars, maximum=100)
    bands = [(0, 19), (20, 39), (40, 59), (60, 79), (80, 100)]
    counts = [sum(1 for r in by_city if low <= (r["rate"] or 0) <= high) for low, high in bands]
    bars = [
        Bar(label=f"{low}–{high} %", value=count, text=str(count))
        for (low, high), count in zip(bands, counts, strict=True)
    ]
    return bar_chart(title=_("Number of cities by attendance rate"), bars=bars)


def goals_chart(goals: list[dict]) -> SafeString:
    bars = [
        Bar(label=goal["title"], value=goal["progress"], text=f"{goal['progress']} %")
        for goal in goals
    ]
    return bar_chart(
        title=_("Progress of each goal from its baseline to its target"), bars=bars, maximum=100
    )
