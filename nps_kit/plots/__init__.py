"""Figures for nps-kit reports, drawn with seaborn in one consistent style.

One module per family of figures (``nps_kit.plots.waves`` and so on); this module holds the
shared palette so detractors, passives and promoters look the same in every chart. Importing it
turns matplotlib's mathtext off (``text.parse_math``): a ``$`` in a label is a dollar sign.
"""

from __future__ import annotations

import matplotlib

# Text in a figure comes from the data (group names, wave labels): never a formula.
matplotlib.rcParams["text.parse_math"] = False

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
