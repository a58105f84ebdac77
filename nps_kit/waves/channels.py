"""NPS by survey channel per wave, and a channel-standardised NPS.

E-mail surveys over-represent loyal customers (the unhappy ones ignore the e-mail) and phone
follow-up reaches more of the others (METHODS.md, "Channel"). A wave that leaned on e-mail can
look better for that reason alone. The channel-standardised NPS reweights each wave's
per-channel results to one reference channel mix w (the pooled mix of all waves by default):

    NPS_std = sum_c w_c (p_c - d_c)
    Var(NPS_std) = sum_c w_c^2 v_c / n_c,   v_c = p_c + d_c - (p_c - d_c)^2

(direct standardisation with fixed weights; each channel of a wave is an independent sample).
With ``method="adjusted-wald"`` each channel's counts get the pseudo-counts 0.75 / 1.5 / 0.75
first and the interval is centred on the adjusted estimate (Rocks 2016), as for one NPS.
A wave without respondents in a channel of positive weight has no standardised NPS (NaN).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from nps_kit.core.compare import COMPARE_METHODS
from nps_kit.errors import DataError, NPSKitWarning, ParameterError, check_confidence, check_option
from nps_kit.core.intervals import ADJUSTMENT, METHODS, z_value
from nps_kit.waves.prepare import prepare_rows
from nps_kit.waves.changes import wave_table

REFERENCES: tuple[str, ...] = ("pooled",)
"""Named reference mixes; a dict {channel: weight} is accepted too."""


def channel_counts(data: pd.DataFrame, score: str, wave: str, channel: str,
                   nonresponse: str = "exclude") -> pd.DataFrame:
    """Counts per wave and channel, waves in natural order, all channels for every wave.

    Returns
    -------
    DataFrame
        ``wave``, ``channel`` (as text), ``n``, ``detractors``, ``passives``, ``promoters``,
        ``share`` (the channel's share of the wave's respondents).
    """
    prep = prepare_rows(data, score, wave, None, [channel], nonresponse)
    no_channel = prep.groups[channel].isna().to_numpy()[prep.group]
    if no_channel.any():
        raise DataError(
            f"column {channel!r}: {int(no_channel.sum())} counted response(s) have no channel; "
            "fill in the channel (or drop those rows) before standardising"
        )
    channels = prep.groups[channel].astype(object).map(str).tolist()
    key = (prep.wave * len(channels) + prep.group) * 3 + prep.cat
    table = np.bincount(key, minlength=len(prep.order) * len(channels) * 3).reshape(-1, 3)
    out = pd.DataFrame({
        "wave": np.repeat(prep.order, len(channels)),
        "channel": np.tile(channels, len(prep.order)),
        "detractors": table[:, 0], "passives": table[:, 1], "promoters": table[:, 2],
    })
    out.insert(2, "n", table.sum(axis=1))
    wave_n = out.groupby("wave", sort=False)["n"].transform("sum")
    out["share"] = out["n"] / wave_n
    out["wave"] = pd.Categorical(out["wave"], categories=prep.order, ordered=True)
    return out


def channel_nps(
    data: pd.DataFrame,
    score: str,
    wave: str,
    channel: str,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    nonresponse: str = "exclude",
) -> pd.DataFrame:
    """NPS with intervals per wave and channel, plus each channel's share of its wave.

    Returns
    -------
    DataFrame
        The columns of :func:`nps_kit.waves.changes.wave_table` by ``channel``, and ``channel_share``.
    """
    check_option("method", method, METHODS)
    table = wave_table(data, score, wave, by=channel, method=method, confidence=confidence,
                       nonresponse=nonresponse)
    wave_n = table.groupby(wave, observed=True)["n"].transform("sum")
    return table.assign(channel_share=table["n"] / wave_n)


def reference_mix(counts: pd.DataFrame, reference: str | Mapping[str, float] = "pooled") -> pd.Series:
    """Reference channel weights (summing to 1) from :func:`channel_counts`.

    ``"pooled"``: each channel's share of all respondents of all waves. A dict gives the weights
    directly (normalised to sum 1); its channels must be the data's.
    """
    channels = list(dict.fromkeys(counts["channel"]))
    if isinstance(reference, str):
        check_option("reference", reference, REFERENCES)
        totals = counts.groupby("channel", sort=False)["n"].sum().reindex(channels)
        return totals / totals.sum()
    if not isinstance(reference, Mapping):
        raise ParameterError("reference must be 'pooled' or a dict {channel: weight}")
    weights = pd.Series({str(k): float(v) for k, v in reference.items()})
    unknown = sorted(set(weights.index) - set(channels))
    if unknown:
        raise ParameterError(f"reference channel(s) {unknown} are not in the data; channels: {channels}")
    if (weights < 0).any() or not np.isfinite(weights).all() or weights.sum() <= 0:
        raise ParameterError("reference weights must be numbers >= 0 with a positive total")
    return (weights / weights.sum()).reindex(channels, fill_value=0.0)


def standardized_nps(
    data: pd.DataFrame,
    score: str,
    wave: str,
    channel: str,
    reference: str | Mapping[str, float] = "pooled",
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    nonresponse: str = "exclude",
) -> pd.DataFrame:
    """Channel-standardised NPS per wave: each wave reweighted to one reference channel mix.

    Parameters
    ----------
    data : DataFrame
    score, wave, channel : str
    reference : "pooled" or dict
        Reference mix: the pooled mix of all waves, or weights per channel.
    method : {"adjusted-wald", "wald"}
    confidence : float
    nonresponse : {"exclude", "detractor", "passive"}

    Returns
    -------
    DataFrame
        ``wave``, ``n``, ``nps`` (as observed), ``nps_standardized``, ``se``, ``ci_low``,
        ``ci_high`` (of the standardised NPS), ``adjustment`` (standardised minus observed),
        ``missing_channels`` (channels of positive weight the wave lacks), ``method``,
        ``confidence``, ``reference`` (the mix as text).

    Examples
    --------
    >>> df = pd.DataFrame({"w": ["A"] * 4 + ["B"] * 4, "ch": ["e", "e", "e", "p"] * 2,
    ...                    "s": [10, 10, 10, 0, 10, 0, 0, 0]})
    >>> std = standardized_nps(df, "s", "w", "ch", {"e": 0.5, "p": 0.5}, method="wald")
    >>> std["nps_standardized"].round(2).tolist()  # A: (100 - 100) / 2; B: (-33.33 - 100) / 2
    [0.0, -66.67]
    """
    check_option("method", method, COMPARE_METHODS)
    confidence = check_confidence(confidence)
    counts = channel_counts(data, score, wave, channel, nonresponse)
    weights = reference_mix(counts, reference)
    w = counts["channel"].map(weights).to_numpy(dtype=float)
    d, a, p = (counts[c].to_numpy(dtype=float) for c in ("detractors", "passives", "promoters"))
    obs_n = d + a + p
    if method == "adjusted-wald":
        d, a, p = d + ADJUSTMENT[0], a + ADJUSTMENT[1], p + ADJUSTMENT[2]
    n = d + a + p
    with np.errstate(invalid="ignore", divide="ignore"):
        est = (p - d) / n
        var = (p + d) / n - est**2
        obs = np.where(obs_n > 0, (counts["promoters"] - counts["detractors"]) / obs_n, np.nan)
    lacking = (obs_n == 0) & (w > 0)
    frame = pd.DataFrame({
        "wave": counts["wave"], "channel": counts["channel"], "n": obs_n, "lacking": lacking,
        "w_obs": w * np.nan_to_num(obs), "w_est": w * est, "w2var": w**2 * var / n,
    })
    g = frame.groupby("wave", observed=True, sort=True)
    per = g[["n", "w_obs", "w_est", "w2var"]].sum()
    missing = g.apply(lambda x: ", ".join(x.loc[x["lacking"], "channel"]), include_groups=False)
    bad = missing.ne("").to_numpy()
    z = z_value(confidence)
    se = np.sqrt(per["w2var"].to_numpy())
    centre = per["w_est"].to_numpy()
    observed = counts.groupby("wave", observed=True, sort=True)[["detractors", "promoters", "n"]].sum()
    nps_obs = 100.0 * (observed["promoters"] - observed["detractors"]) / observed["n"]
    std = np.where(bad, np.nan, 100.0 * per["w_obs"].to_numpy())
    out = pd.DataFrame({
        "wave": per.index, "n": per["n"].to_numpy().astype(np.int64), "nps": nps_obs.to_numpy(),
        "nps_standardized": std,
        "se": np.where(bad, np.nan, 100.0 * se),
        "ci_low": np.where(bad, np.nan, 100.0 * np.clip(centre - z * se, -1, 1)),
        "ci_high": np.where(bad, np.nan, 100.0 * np.clip(centre + z * se, -1, 1)),
    })
    out["adjustment"] = out["nps_standardized"] - out["nps"]
    out["missing_channels"] = missing.to_numpy()
    out["method"] = method
    out["confidence"] = confidence
    out["reference"] = ", ".join(f"{c} {v:.0%}" for c, v in weights.items())
    if bad.any():
        warnings.warn(
            "no channel-standardised NPS for wave(s) "
            + "; ".join(f"{wv} (no respondents by {m})" for wv, m in zip(out["wave"][bad], out["missing_channels"][bad]))
            + ": a wave needs respondents in every channel of the reference mix",
            NPSKitWarning, stacklevel=2,
        )
    return out


def channel_flags(
    data: pd.DataFrame,
    score: str,
    wave: str,
    channel: str,
    tolerance: float = 0.10,
    nonresponse: str = "exclude",
    *,
    warn: bool = True,
) -> pd.DataFrame:
    """Consecutive waves whose channel mix differs by more than ``tolerance`` in some channel.

    Returns
    -------
    DataFrame
        ``from``, ``to``, ``channel``, ``share_from``, ``share_to``, ``difference``: one row per
        channel whose share moved by more than ``tolerance`` (a fraction, 0.10 = 10 points).
        Issues an :class:`~nps_kit.errors.NPSKitWarning` when not empty (``warn=True``).
    """
    if not 0.0 <= float(tolerance) < 1.0:
        raise ParameterError(f"tolerance={tolerance!r} must be a fraction in [0, 1), e.g. 0.10")
    counts = channel_counts(data, score, wave, channel, nonresponse)
    wide = counts.pivot_table(index="wave", columns="channel", values="share", observed=True)
    rows = []
    order = list(wide.index)
    for a, b in zip(order[:-1], order[1:]):
        diff = wide.loc[b] - wide.loc[a]
        for ch in diff.index[np.abs(diff.to_numpy()) > tolerance]:
            rows.append({"from": str(a), "to": str(b), "channel": ch,
                         "share_from": float(wide.loc[a, ch]), "share_to": float(wide.loc[b, ch]),
                         "difference": float(diff[ch])})
    flags = pd.DataFrame(rows, columns=["from", "to", "channel", "share_from", "share_to", "difference"])
    if warn and len(flags):
        warnings.warn(
            "the channel mix changed between waves ("
            + "; ".join(f"{r['from']} -> {r['to']}: {r['channel']} {r['share_from']:.0%} -> {r['share_to']:.0%}"
                        for r in flags.to_dict("records"))
            + "); compare the channel-standardised NPS as well as the observed one",
            NPSKitWarning, stacklevel=2,
        )
    return flags


def describe_channel_flags(flags: pd.DataFrame, standardized: pd.DataFrame | None = None) -> list[str]:
    """Plain-language warnings on changed channel mixes (and waves that cannot be standardised).

    Parameters
    ----------
    flags : DataFrame
        From :func:`channel_flags`.
    standardized : DataFrame, optional
        From :func:`standardized_nps`; waves with ``missing_channels`` get a sentence.
    """
    out = []
    for (a, b), grp in flags.groupby(["from", "to"], sort=False):
        moves = ", ".join(f"{r['channel']} {r['share_from']:.0%} -> {r['share_to']:.0%}"
                          for r in grp.to_dict("records"))
        out.append(f"Channel mix changed between {a} and {b} ({moves}): part of the change in NPS "
                   "may come from who was reached, not from what they think; see the "
                   "channel-standardised NPS.")
    if standardized is not None:
        for r in standardized[standardized["missing_channels"].astype(str) != ""].to_dict("records"):
            out.append(f"Wave {r['wave']} has no respondents by {r['missing_channels']}, so it "
                       "cannot be reweighted to the reference channel mix; its NPS is not "
                       "comparable with waves that used that channel.")
    return out


__all__ = [
    "channel_counts", "channel_flags", "channel_nps", "describe_channel_flags", "reference_mix",
    "REFERENCES", "standardized_nps",
]
