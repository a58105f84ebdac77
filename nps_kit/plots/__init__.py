"""Figures for nps-kit reports, drawn with seaborn in one consistent style.

One module per family of figures (``nps_kit.plots.waves`` and so on); this module holds the
shared palette so detractors, passives and promoters look the same in every chart. Importing it
turns matplotlib's mathtext off (``text.parse_math``): a ``$`` in a label is a dollar sign.
"""

from __future__ import annotations

import matplotlib

# Text in a figure comes from the data (group names, wave labels): never a formula.
matplotlib.rcParams["text.parse_math"] = False

FIGURE_WIDTH = 5.2
"""Width of a report figure in inches (520 px at 100 dpi): on a 390 px phone it shrinks to about
0.69 of its size, so the smallest text (:data:`MIN_FONT_POINTS`) stays at least 11 CSS px."""

MIN_FONT_POINTS = 12.0
"""Smallest font size of any text in a report figure (ticks, legends), in points."""

matplotlib.rcParams.update({
    "font.size": MIN_FONT_POINTS, "axes.titlesize": MIN_FONT_POINTS + 1,
    "axes.labelsize": MIN_FONT_POINTS, "xtick.labelsize": MIN_FONT_POINTS,
    "ytick.labelsize": MIN_FONT_POINTS, "legend.fontsize": MIN_FONT_POINTS,
    "legend.title_fontsize": MIN_FONT_POINTS, "figure.titlesize": MIN_FONT_POINTS + 1,
    "figure.dpi": 100, "savefig.dpi": 100,
    # labels and legends are laid out inside the figure's width, so a long group name or a
    # legend under the axes does not widen the picture (and shrink its text on a phone)
    "figure.constrained_layout.use": True,
})

CATEGORY_COLORS: dict[str, str] = {
    "detractor": "#d7301f",
    "passive": "#bdbdbd",
    "promoter": "#1a9850",
}
"""Colour of each category in every figure."""

SUPPRESSED_COLOR = "#f0f0f0"
"""Fill of a cell hidden for anonymity (eNPS)."""


FIGURE_LABEL_CHARS = 40
"""Longest label drawn in a figure (tick labels, legend entries); tables and JSON keep it whole."""


def figure_labels(values, width: int = FIGURE_LABEL_CHARS) -> list[str]:
    """Data values as figure labels: literal text (:func:`nps_kit.core.safetext.display_text`),
    shortened to ``width`` characters, kept distinct (a shortened twin gets `` (2)``)."""
    from nps_kit.core.safetext import display_text

    out, seen = [], {}
    for v in values:
        text = display_text(v, "figure", width)
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return out


def category_palette() -> list[str]:
    """Colours in scale order (detractor, passive, promoter), for seaborn's ``palette=``."""
    return [CATEGORY_COLORS[c] for c in ("detractor", "passive", "promoter")]
