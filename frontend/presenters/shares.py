"""Geometry of the sample-against-target chart: server-rendered SVG, like the opinion map.

Per question, one band per answer with up to three bars (sample, weighted sample, target) whose
lengths are shares of the plot width. A suppressed share (None) draws no bar and says so.
"""

from dataclasses import dataclass

LABEL_WIDTH = 120
PLOT_WIDTH = 200
BAR_HEIGHT = 7
BAND_GAP = 10
SERIES = ("sample_share", "weighted_share", "target_share")


@dataclass(frozen=True)
class Bar:
    series: str
    y: float
    width: float
    share: float | None


@dataclass(frozen=True)
class Band:
    label: str
    y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class ShareChart:
    width: int
    height: int
    label_width: int
    bands: tuple[Band, ...]


def share_chart(question: dict, *, weighted: bool = True) -> ShareChart:
    series = SERIES if weighted else (SERIES[0], SERIES[2])
    band_height = len(series) * BAR_HEIGHT + BAND_GAP
    bands = []
    for index, category in enumerate(question["categories"]):
        top = index * band_height + BAND_GAP / 2
        bars = tuple(
            Bar(
                series=name.removesuffix("_share"),
                y=top + offset * BAR_HEIGHT,
                width=round((category[name] or 0) * PLOT_WIDTH, 2),
                share=category[name],
            )
            for offset, name in enumerate(series)
        )
        bands.append(Band(label=category["label"], y=top + len(series) * BAR_HEIGHT / 2, bars=bars))
    return ShareChart(
        width=LABEL_WIDTH + PLOT_WIDTH + 40,
        height=int(len(bands) * band_height + BAND_GAP),
        label_width=LABEL_WIDTH,
        bands=tuple(bands),
    )
