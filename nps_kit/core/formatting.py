"""How numbers are written in the sentences of reports and command output."""

from __future__ import annotations

import math

__all__ = ["p_text", "p_value_text"]

P_FLOOR = 0.001
"""Smallest p-value written as a number; below it, ``<0.001``."""


def p_value_text(p: float) -> str:
    """A p-value as a table shows it: ``0.015``, ``<0.001`` (three decimals, never scientific).

    Examples
    --------
    >>> p_value_text(0.01534), p_value_text(2.4e-05), p_value_text(1.0)
    ('0.015', '<0.001', '1.000')
    """
    return f"<{P_FLOOR:g}" if p < P_FLOOR else f"{p:.3f}"


def p_text(p: float, name: str = "p") -> str:
    """A p-value in a sentence: ``p = 0.015``, ``p < 0.001`` (never scientific notation).

    Examples
    --------
    >>> p_text(0.01534), p_text(2.4e-05), p_text(0.5, "adjusted p")
    ('p = 0.015', 'p < 0.001', 'adjusted p = 0.500')
    """
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return f"{name} not computed"
    text = p_value_text(p)
    return f"{name} < {text[1:]}" if text.startswith("<") else f"{name} = {text}"
