"""Figures for nps-kit reports, drawn with seaborn in one consistent style.

One module per family of figures (``nps_kit.plots.waves`` and so on); this module holds the
shared palette so detractors, passives and promoters look the same in every chart.
"""

from __future__ import annotations

CATEGORY_COLORS: dict[str, str] = {
    "detractor": "#d7301f",
    "passive": "#bdbdbd",
    "promoter": "#1a9850",
}
"""Colour of each category in every figure."""

SUPPRESSED_COLOR = "#f0f0f0"
"""Fill of a cell hidden for anonymity (eNPS)."""


def category_palette() -> list[str]:
    """Colours in scale order (detractor, passive, promoter), for seaborn's ``palette=``."""
    return [CATEGORY_COLORS[c] for c in ("detractor", "passive", "promoter")]
