"""Wave-over-wave changes with survey weights (independent waves).

Each wave's weighted NPS and linearised standard error come from
:func:`nps_kit.core.summary.summarize` (``weights=``, :mod:`nps_kit.core.weighted`); two
independently drawn waves give the change its variance se_1^2 + se_2^2. Consecutive pairs are
tested with a two-sided z test and the p-values adjusted as one family (Holm by default), as in
:func:`nps_kit.waves.changes.wave_changes`. A panel (the same people in both waves) needs the
covariance of their weighted scores, which this module does not estimate: it refuses ids that
repeat across waves rather than print too wide an interval without saying so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nps_kit.core.compare import adjust_pvalues, two_sided_p
from nps_kit.core.intervals import z_value
from nps_kit.core.summary import summarize
from nps_kit.core.waveorder import order_waves
from nps_kit.errors import DataError, check_confidence

__all__ = ["weighted_wave_changes"]


def weighted_wave_changes(data: pd.DataFrame, score: str, wave: str, weights: str, *,
                          strata: str | None = None, id: str | None = None,
                          confidence: float = 0.95, adjust: str = "holm",
                          nonresponse: str = "exclude", population=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Weighted NPS per wave and the changes between consecutive waves.

    Returns
    -------
    (waves, changes)
        ``waves``: :func:`summarize` per wave (weighted, with ``n_effective``); ``changes``:
        ``from``, ``to``, ``design`` ("independent"), ``nps_from``, ``nps_to``, ``delta``,
        ``se``, ``ci_low``, ``ci_high``, ``z``, ``p_value``, ``p_adjusted``, ``significant``,
        ``method`` ("linearized"), ``confidence``, ``adjust``.
    """
    confidence = check_confidence(confidence)
    if id and id in data.columns:
        seen = data.dropna(subset=[id]).groupby(id)[wave].nunique()
        if (seen > 1).any():
            raise DataError(f"{int((seen > 1).sum())} respondent(s) answered in more than one wave: "
                            "a weighted comparison here treats waves as independent samples; "
                            "compare a panel without weights (the transition-table variance), or "
                            "keep one answer per person")
    order = order_waves(data[wave].dropna().tolist())
    per = {w: summarize(data[data[wave] == w], score, confidence=confidence, nonresponse=nonresponse,
                        weights=weights, strata=strata, population=population).iloc[0]
           for w in order}
    waves = pd.DataFrame([{wave: w, **per[w].to_dict()} for w in order])
    rows = []
    for a, b in zip(order[:-1], order[1:]):
        delta = float(per[b]["nps"] - per[a]["nps"])
        se = float(np.hypot(per[a]["se"], per[b]["se"]))
        z = delta / se if se > 0 else np.nan
        rows.append({"from": a, "to": b, "design": "independent", "nps_from": float(per[a]["nps"]),
                     "nps_to": float(per[b]["nps"]), "delta": delta, "se": se,
                     "ci_low": max(delta - z_value(confidence) * se, -200.0),
                     "ci_high": min(delta + z_value(confidence) * se, 200.0), "z": z,
                     "p_value": float(two_sided_p(np.array([z]))[0]) if np.isfinite(z) else np.nan})
    changes = pd.DataFrame(rows, columns=["from", "to", "design", "nps_from", "nps_to", "delta", "se",
                                          "ci_low", "ci_high", "z", "p_value"])
    if len(changes):
        changes["p_adjusted"] = adjust_pvalues(changes["p_value"].to_numpy(float), adjust)
        changes["significant"] = changes["p_adjusted"] < 1 - confidence
    changes = changes.assign(method="linearized", confidence=confidence, adjust=adjust)
    return waves, changes
