"""How numbers are written in the sentences of reports and command output."""

from __future__ import annotations

import math

__all__ = ["p_text"]


def p_text(p: float, name: str = "p") -> str:
    """A p-value in a sentence: ``p = 0.015``, ``p < 0.001`` (never scientific notation).

    Examples
    --------
    >>> p_text(0.01534), p_text(2.4e-05), p_text(0.5, "adjusted p")
    ('p = 0.015', 'p < 0.001', 'adjusted p = 0.500')
    """
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return f"{name} not computed"
    return f"{name} < 0.001" if p < 0.001 else f"{name} = {p:.3f}"
