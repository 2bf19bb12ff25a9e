"""Bar charts as server-rendered SVG geometry, drawn by ``tasks/capital/_chart.html``.

Horizontal bars, one per row, so that month and category labels stay readable; the
template adds ``role="img"``, a ``<title>``, a ``<desc>``, the data table and a summary.
"""

from dataclasses import dataclass

WIDTH = 600
LABEL_WIDTH = 150
BAR_HEIGHT = 22
GAP = 8
VALUE_SPACE = 110


@dataclass
class Bar:
    label: str
    value: object
    shown: str
    y: int
    width: int

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT - 6

    @property
    def value_x(self):
        return LABEL_WIDTH + self.width + 6


def bars(rows):
    """``rows`` of (label, number, shown text): the chart's bars and its height."""
    rows = list(rows)
    largest = max((float(number) for _label, number, _shown in rows), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_SPACE
    drawn = []
    for index, (label, number, shown) in enumerate(rows):
        width = round(room * float(number) / largest) if largest else 0
        drawn.append(Bar(label, number, shown, GAP + index * (BAR_HEIGHT + GAP), width))
    height = GAP + max(len(drawn), 1) * (BAR_HEIGHT + GAP)
    return {"bars": drawn, "height": height, "width": WIDTH, "label_width": LABEL_WIDTH}
