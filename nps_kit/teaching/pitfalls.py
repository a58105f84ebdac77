"""Notebook 04 (pitfalls): e-mail-only fieldwork, non-response rules, the changed wave against the
truth, incentive inflation, small-sample swings (Hansen and Hurwitz 1946)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from nps_kit.errors import ParameterError, check_option
from nps_kit.core.intervals import interval_arrays, nps_variance
from nps_kit.core.scores import NONRESPONSE_POLICIES
from nps_kit.simulate.draws import DEFAULT_SEED, score_probabilities, simulate_counts, simulate_scores
from nps_kit.simulate.world import true_nps
from nps_kit.engines.dispatch import summarize
from nps_kit.core.columns import as_columns

from nps_kit.teaching.helpers import (
    LessonResult,
    child_seed,
    nps_of_counts,
    positive_int,
    probability,
    shares3,
)

# --------------------------------------------------------------------------- 4. pitfalls


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def latent_score_nps(centre: float = 7.6, slope: float = 1.5, noise: float = 0.9) -> float:
    """True NPS in points when score = round(centre + slope L + e), L ~ N(0, 1), e ~ N(0, noise^2).

    The raw value is normal with mean ``centre`` and sd sqrt(slope^2 + noise^2); a promoter has
    raw >= 8.5 and a detractor raw < 6.5 (rounding to whole scores; clipping to 0..10 does not
    change the category), so NPS = 100 [P(raw >= 8.5) - P(raw < 6.5)].
    """
    sd = float(np.hypot(slope, noise))
    return float(100.0 * (norm.sf((8.5 - centre) / sd) - norm.cdf((6.5 - centre) / sd)))


@dataclass(frozen=True)
class ChannelBias(LessonResult):
    """Result of :func:`simulate_email_only_bias`.

    Attributes
    ----------
    true_nps : float
        NPS if every customer answered (points, from the model).
    replicates : DataFrame
        One row per simulated survey and estimator: ``replicate``, ``estimator``, ``nps``,
        ``respondents``.
    invited, n_sim : int
    """

    true_nps: float
    replicates: pd.DataFrame
    invited: int
    n_sim: int

    ESTIMATORS = ("everyone invited", "e-mail only", "e-mail + phone, pooled",
                  "e-mail + phone, weighted")

    @property
    def summary(self) -> pd.DataFrame:
        """Per estimator: mean NPS, bias against the truth, sd, RMSE and mean respondents."""
        g = self.replicates.groupby("estimator", sort=False)
        out = g.agg(mean_nps=("nps", "mean"), sd=("nps", "std"), respondents=("respondents", "mean"))
        out["true_nps"] = self.true_nps
        out["bias"] = out["mean_nps"] - self.true_nps
        out["rmse"] = np.sqrt(out["bias"] ** 2 + out["sd"] ** 2)
        return out.reset_index()[["estimator", "true_nps", "mean_nps", "bias", "sd", "rmse", "respondents"]]

    def bias(self, estimator: str) -> float:
        """Mean NPS minus the true NPS for one estimator, in points."""
        check_option("estimator", estimator, self.ESTIMATORS)
        s = self.summary.set_index("estimator")
        return float(s.loc[estimator, "bias"])


def simulate_email_only_bias(
    invited: int = 1000,
    *,
    email_intercept: float = -0.5,
    email_slope: float = 1.1,
    phone_share: float = 0.55,
    phone_intercept: float = 0.1,
    phone_slope: float = 0.25,
    score_centre: float = 7.6,
    score_slope: float = 1.5,
    score_noise: float = 0.9,
    n_sim: int = 500,
    seed: int | None = 0,
) -> ChannelBias:
    """E-mail-only fieldwork with loyalty-dependent non-response, and a phone follow-up.

    Each invited customer has a latent loyalty L ~ N(0, 1) and would score
    round(score_centre + score_slope L + e), e ~ N(0, score_noise^2), clipped to 0..10.
    They answer the e-mail with probability expit(email_intercept + email_slope L): unhappy
    customers ignore it. A random ``phone_share`` of the e-mail non-responders is called and
    answers with probability expit(phone_intercept + phone_slope L), which barely depends on
    loyalty. The defaults are those of the demo world (:mod:`nps_kit.simulate.world`).

    Four estimators per simulated survey:

    - ``everyone invited``: the NPS if all invited answered (sampling error only);
    - ``e-mail only``: the e-mail respondents;
    - ``e-mail + phone, pooled``: e-mail and phone respondents counted together;
    - ``e-mail + phone, weighted``: two-phase estimate in the spirit of Hansen and Hurwitz
      (1946): the phone respondents stand for *all* e-mail non-responders, so each category
      share is (E_c + R p_c) / (E + R), with E e-mail respondents (E_c in category c), R e-mail
      non-responders and p_c the category share among phone respondents.

    Parameters
    ----------
    invited : int
        Customers invited per survey.
    email_intercept, email_slope : float
        Logistic model of answering the e-mail (slope 0 = no bias).
    phone_share : float
        Share of e-mail non-responders called.
    phone_intercept, phone_slope : float
        Logistic model of answering the phone.
    score_centre, score_slope, score_noise : float
        Score model.
    n_sim : int
        Simulated surveys.
    seed : int or None

    Returns
    -------
    ChannelBias
    """
    invited = positive_int("invited", invited, 10)
    n_sim = positive_int("n_sim", n_sim, 2)
    phone_share = probability("phone_share", phone_share)
    rng = np.random.default_rng(seed)
    shape = (n_sim, invited)
    loyalty = rng.standard_normal(shape)
    scores = np.clip(np.rint(score_centre + score_slope * loyalty + rng.normal(0.0, score_noise, shape)), 0, 10)
    cat = np.where(scores >= 9, 2, np.where(scores >= 7, 1, 0))
    by_email = rng.random(shape) < _expit(email_intercept + email_slope * loyalty)
    called = ~by_email & (rng.random(shape) < phone_share)
    by_phone = called & (rng.random(shape) < _expit(phone_intercept + phone_slope * loyalty))

    def counts(mask):
        return np.stack([((cat == c) & mask).sum(axis=1) for c in range(3)], axis=1).astype(float)

    everyone = counts(np.ones(shape, dtype=bool))
    email = counts(by_email)
    phone = counts(by_phone)
    pooled = email + phone
    non_resp = (~by_email).sum(axis=1).astype(float)
    n_phone = phone.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted = email + non_resp[:, None] * phone / n_phone[:, None]
    rows = []
    for name, c, resp in (("everyone invited", everyone, everyone.sum(axis=1)),
                          ("e-mail only", email, email.sum(axis=1)),
                          ("e-mail + phone, pooled", pooled, pooled.sum(axis=1)),
                          ("e-mail + phone, weighted", weighted, pooled.sum(axis=1))):
        rows.append(pd.DataFrame({"replicate": np.arange(n_sim), "estimator": name,
                                  "nps": nps_of_counts(c[:, 0], c[:, 1], c[:, 2]),
                                  "respondents": resp.astype(np.int64)}))
    reps = pd.concat(rows, ignore_index=True).dropna(subset=["nps"]).reset_index(drop=True)
    return ChannelBias(true_nps=latent_score_nps(score_centre, score_slope, score_noise),
                       replicates=reps, invited=invited, n_sim=n_sim)


NONRESPONSE_SHAPES: tuple[str, ...] = ("long", "wide")


def nonresponse_rules(
    data: pd.DataFrame,
    score: str = "score",
    by: str | Sequence[str] | None = "wave",
    rules: Sequence[str] = ("exclude", "detractor"),
    *,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
    shape: str = "long",
) -> pd.DataFrame:
    """The same responses scored under different non-response rules, side by side.

    Each rule is one call of :func:`nps_kit.core.summary.summarize` (``nonresponse=rule``): people
    who gave no score are left out (``"exclude"``) or counted as detractors (``"detractor"``)
    or passives. Mixing rules between waves breaks comparability (METHODS.md, "Study
    practice").

    Parameters
    ----------
    data : DataFrame
        Responses, one row per respondent; a missing score is a non-response.
    score : str
    by : str or list of str, optional
        Group columns (default ``"wave"``).
    rules : sequence of {"exclude", "detractor", "passive"}
    method, confidence
        Interval method and level.
    shape : {"long", "wide"}
        ``"long"``: one row per group and rule (the :func:`~nps_kit.core.summary.summarize` columns);
        ``"wide"``: one row per group with ``nps_<rule>`` columns and ``gap`` (last rule minus
        first rule, points).

    Returns
    -------
    DataFrame
    """
    check_option("shape", shape, NONRESPONSE_SHAPES)
    if not len(rules):
        raise ParameterError(f"rules is empty; choose from {list(NONRESPONSE_POLICIES)}")
    for r in rules:
        check_option("nonresponse", r, NONRESPONSE_POLICIES)
    long = pd.concat([summarize(data, score, by=by, method=method, confidence=confidence, nonresponse=r)
                      for r in rules], ignore_index=True)
    if shape == "long":
        return long
    keys = [] if by is None else (as_columns(by))
    if not keys:
        long = long.assign(_all="all")
        keys = ["_all"]
    wide = long.pivot_table(index=keys, columns="nonresponse", values="nps", sort=False)
    wide = wide[list(rules)].add_prefix("nps_")
    wide.columns.name = None
    wide["gap"] = wide[f"nps_{rules[-1]}"] - wide[f"nps_{rules[0]}"]
    nonresp = long.drop_duplicates(keys).set_index(keys)["nonrespondents"]
    wide["nonrespondents"] = nonresp.reindex(wide.index).to_numpy()
    out = wide.reset_index()
    return out.drop(columns="_all") if "_all" in out.columns else out


def measured_vs_truth(
    responses: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    score: str = "score",
    wave: str = "wave",
    channel: str = "channel",
    seed: int | None = DEFAULT_SEED,
    method: str = "adjusted-wald",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Per wave of the demo world: what the survey measured against the ground truth.

    The truth is :func:`nps_kit.simulate.world.true_nps` (every customer answering; "All" segments);
    the measured figures come from :func:`nps_kit.core.summary.summarize` over all respondents and
    over the e-mail respondents only. Only meaningful for data simulated by
    :mod:`nps_kit.simulate.world` (the demo data), whose truth is known.

    Returns
    -------
    DataFrame
        ``wave``, ``channels`` (channels seen, e.g. "email, phone"), ``n``, ``measured_nps``,
        ``ci_low``, ``ci_high``, ``email_nps``, ``true_nps``, ``gap`` (measured - true),
        ``measured_change`` and ``true_change`` (against the previous wave).
    """
    waves = list(dict.fromkeys(responses[wave].astype(str)))
    waves = sorted(waves)
    overall = summarize(responses, score, by=wave, method=method, confidence=confidence).set_index(wave)
    email = summarize(responses[responses[channel] == "email"], score, by=wave, method=method,
                      confidence=confidence).set_index(wave)
    truth = true_nps(customers, waves, seed=seed)
    truth = truth[truth["segment"] == "All"].set_index("wave")["nps"]
    chans = responses.groupby(wave)[channel].agg(lambda s: ", ".join(sorted(s.astype(str).unique())))
    out = pd.DataFrame({
        "wave": waves,
        "channels": chans.reindex(waves).to_numpy(),
        "n": overall["n"].reindex(waves).to_numpy(),
        "measured_nps": overall["nps"].reindex(waves).to_numpy(),
        "ci_low": overall["ci_low"].reindex(waves).to_numpy(),
        "ci_high": overall["ci_high"].reindex(waves).to_numpy(),
        "email_nps": email["nps"].reindex(waves).to_numpy(),
        "true_nps": truth.reindex(waves).to_numpy(),
    })
    out["gap"] = out["measured_nps"] - out["true_nps"]
    out["measured_change"] = out["measured_nps"].diff()
    out["true_change"] = out["true_nps"].diff()
    return out


@dataclass(frozen=True)
class IncentiveInflation(LessonResult):
    """Result of :func:`incentive_inflation`.

    Attributes
    ----------
    waves : DataFrame
        ``wave``, ``incentive`` (bool), ``true_nps`` (constant), ``honest_nps`` (the customers'
        own scores), ``reported_nps`` (after staff pushed scores), ``ci_low``, ``ci_high``
        (adjusted Wald interval of the reported NPS), ``n``.
    expected_jump : float
        100 x push x share of the pushed scores: the inflation in points the model implies.
    measured_jump : float
        Mean reported NPS with the incentive minus mean without.
    """

    waves: pd.DataFrame
    expected_jump: float
    measured_jump: float
    push: float

    @property
    def summary(self) -> pd.DataFrame:
        """Mean true, honest and reported NPS before and with the incentive."""
        g = self.waves.groupby("incentive")[["true_nps", "honest_nps", "reported_nps"]].mean()
        return g.reset_index()


def incentive_inflation(
    n_per_wave: int = 300,
    shares: Sequence[float] = (0.25, 0.35, 0.40),
    push: float = 0.4,
    n_waves: int = 8,
    incentive_from: int = 5,
    pushed_scores: Sequence[int] = (7, 8),
    confidence: float = 0.95,
    seed: int | None = 0,
) -> IncentiveInflation:
    """Staff incentives tied to the score: loyalty stays the same, the reported NPS jumps.

    Every wave draws ``n_per_wave`` scores from the same distribution (the truth never
    changes). From wave ``incentive_from`` on, staff whose bonus depends on the score nudge
    customers ("anything below 9 counts as a fail for me"), so each score in
    ``pushed_scores`` becomes a 9 or 10 (equally likely) with probability ``push``. With passive
    share a and all passives pushable, the reported NPS rises by 100 push a points on average
    while nothing about loyalty changed.

    Parameters
    ----------
    n_per_wave : int
    shares : (d, a, p)
        True shares; within a category scores spread as in :func:`nps_kit.simulate.draws.simulate_scores`.
    push : float
        Probability that a pushable score is turned into a 9 or 10.
    n_waves, incentive_from : int
        Waves simulated and the first wave (1-based) with the incentive.
    pushed_scores : sequence of int
        Scores staff can push (default the passives 7 and 8).
    confidence : float
        Level of the interval of each wave.
    seed : int or None

    Returns
    -------
    IncentiveInflation
    """
    n_per_wave = positive_int("n_per_wave", n_per_wave)
    n_waves = positive_int("n_waves", n_waves, 2)
    incentive_from = positive_int("incentive_from", incentive_from, 2)
    if incentive_from > n_waves:
        raise ParameterError(f"incentive_from={incentive_from} is after the last wave ({n_waves})")
    push = probability("push", push)
    shares = shares3(shares)
    pushed = np.asarray(pushed_scores, dtype=float)
    if pushed.size == 0 or np.any((pushed < 0) | (pushed > 8) | (pushed != np.round(pushed))):
        raise ParameterError(f"pushed_scores={tuple(pushed_scores)!r} must be whole scores 0-8")
    scores = simulate_scores(n_per_wave * n_waves, shares, seed=child_seed(seed, 1)).reshape(n_waves, n_per_wave)
    rng = np.random.default_rng(child_seed(seed, 2))
    wave_no = np.arange(1, n_waves + 1)
    active = (wave_no >= incentive_from)[:, None]
    nudged = active & np.isin(scores, pushed) & (rng.random(scores.shape) < push)
    reported = np.where(nudged, rng.integers(9, 11, scores.shape).astype(float), scores)

    def cat_counts(s):
        return [(s < 7).sum(axis=1), ((s >= 7) & (s < 9)).sum(axis=1), (s >= 9).sum(axis=1)]

    hd, ha, hp = cat_counts(scores)
    rd, ra, rp = cat_counts(reported)
    ci = interval_arrays(rd, ra, rp, "adjusted-wald", confidence)
    waves = pd.DataFrame({
        "wave": wave_no, "incentive": active[:, 0], "true_nps": 100.0 * (shares[2] - shares[0]),
        "honest_nps": nps_of_counts(hd, ha, hp), "reported_nps": ci["nps"],
        "ci_low": ci["low"], "ci_high": ci["high"], "n": n_per_wave,
    })
    # share of pushable scores in the score distribution simulate_scores draws from
    probs = score_probabilities(shares)
    expected = 100.0 * push * float(probs[np.unique(pushed.astype(int))].sum())
    on = waves["incentive"].to_numpy()
    measured = float(waves.loc[on, "reported_nps"].mean() - waves.loc[~on, "reported_nps"].mean())
    return IncentiveInflation(waves=waves, expected_jump=expected, measured_jump=measured, push=push)


@dataclass(frozen=True)
class SampleSwings(LessonResult):
    """Result of :func:`small_sample_swings`.

    Attributes
    ----------
    waves : DataFrame
        ``series``, ``wave``, ``nps`` for every simulated series (a constant truth).
    true_nps, expected_sd : float
        The truth and the sampling sd of one wave's NPS, 100 sqrt(v / n).
    sd : float
        Observed sd of the wave NPS.
    mean_abs_change : float
        Mean |NPS_t - NPS_{t-1}| between consecutive waves.
    share_big_changes : float
        Share of consecutive changes of at least ``big_change`` points.
    share_with_trend : float
        Share of series with at least one run of ``trend_length`` consecutive moves in the same
        direction (an apparent trend).
    share_significant : float
        Share of consecutive changes the two-sample test (:func:`nps_kit.core.compare.difference_arrays`,
        independent samples) calls significant at 1 - confidence.
    """

    waves: pd.DataFrame
    true_nps: float
    expected_sd: float
    sd: float
    mean_abs_change: float
    share_big_changes: float
    share_with_trend: float
    share_significant: float
    big_change: float
    trend_length: int
    n_per_wave: int

    @property
    def summary(self) -> pd.DataFrame:
        """The figures with what they mean."""
        rows = [
            ("true_nps", self.true_nps, "the truth, the same in every wave"),
            ("expected_sd", self.expected_sd, f"sampling sd of one wave's NPS at n = {self.n_per_wave}"),
            ("sd", self.sd, "observed sd of the wave NPS"),
            ("mean_abs_change", self.mean_abs_change, "mean size of the change between consecutive waves"),
            ("share_big_changes", self.share_big_changes,
             f"share of consecutive changes of {self.big_change:g} points or more"),
            ("share_with_trend", self.share_with_trend,
             f"share of series with {self.trend_length} moves in a row in the same direction"),
            ("share_significant", self.share_significant,
             "share of consecutive changes a two-sample test calls significant"),
        ]
        return pd.DataFrame(rows, columns=["figure", "value", "meaning"])


def _has_run(signs: np.ndarray, length: int) -> np.ndarray:
    """Per row: is there a run of ``length`` equal non-zero signs in a row?"""
    n_rows, n_cols = signs.shape
    found = np.zeros(n_rows, dtype=bool)
    for start in range(n_cols - length + 1):  # loop over positions in a short series, not rows
        window = signs[:, start:start + length]
        found |= (window[:, :1] != 0).ravel() & (window == window[:, :1]).all(axis=1)
    return found


def small_sample_swings(
    n_per_wave: int = 50,
    n_waves: int = 8,
    shares: Sequence[float] = (0.25, 0.35, 0.40),
    n_series: int = 1000,
    *,
    big_change: float = 10.0,
    trend_length: int = 3,
    confidence: float = 0.95,
    seed: int | None = 0,
) -> SampleSwings:
    """Small waves from a constant truth: how often they show changes and 'trends'.

    ``n_series`` histories of ``n_waves`` waves of ``n_per_wave`` respondents are drawn from the
    same (d, a, p); each wave's NPS varies around the truth with sd 100 sqrt(v / n),
    v = p + d - (p - d)^2. Consecutive changes are tested with the independent two-sample test
    of :func:`nps_kit.core.compare.difference_arrays` (adjusted Wald), which should flag about
    1 - confidence of them.

    Parameters
    ----------
    n_per_wave, n_waves, n_series : int
    shares : (d, a, p)
    big_change : float
        A change of at least this many points counts as "big".
    trend_length : int
        Consecutive moves in the same direction that look like a trend.
    confidence : float
    seed : int or None

    Returns
    -------
    SampleSwings
    """
    from nps_kit.core.compare import difference_arrays

    n_per_wave = positive_int("n_per_wave", n_per_wave)
    n_waves = positive_int("n_waves", n_waves, 2)
    n_series = positive_int("n_series", n_series)
    trend_length = positive_int("trend_length", trend_length)
    if trend_length > n_waves - 1:
        raise ParameterError(f"trend_length={trend_length} needs at least {trend_length + 1} waves")
    shares = shares3(shares)
    c = simulate_counts(n_per_wave, shares, size=n_series * n_waves, seed=seed).reshape(n_series, n_waves, 3)
    series_nps = nps_of_counts(c[..., 0], c[..., 1], c[..., 2])
    change = np.diff(series_nps, axis=1)
    first = c[:, :-1, :].reshape(-1, 3)
    second = c[:, 1:, :].reshape(-1, 3)
    test = difference_arrays(first, second, method="adjusted-wald", confidence=confidence)
    waves = pd.DataFrame({
        "series": np.repeat(np.arange(n_series), n_waves),
        "wave": np.tile(np.arange(1, n_waves + 1), n_series),
        "nps": series_nps.ravel(),
    })
    v = float(nps_variance(*shares))
    return SampleSwings(
        waves=waves, true_nps=100.0 * (shares[2] - shares[0]),
        expected_sd=100.0 * np.sqrt(v / n_per_wave), sd=float(series_nps.std(ddof=1)),
        mean_abs_change=float(np.abs(change).mean()),
        share_big_changes=float((np.abs(change) >= big_change).mean()),
        share_with_trend=float(_has_run(np.sign(change), trend_length).mean()),
        share_significant=float((test["p_value"] < 1.0 - confidence).mean()),
        big_change=float(big_change), trend_length=trend_length, n_per_wave=n_per_wave,
    )


def describe_channel_bias(result: "ChannelBias", phone_slope: float | None = None) -> list[str]:
    """Sentences about the e-mail-only bias that follow the simulated numbers in every case.

    A bias is called larger than its sampling error only when it exceeds two simulation standard
    deviations of that estimator; a correction is said to cut the bias only when it does, and
    to make it worse when it does that (with no bias to remove, weighting only adds noise).
    """
    t = result.summary.set_index("estimator")
    email, pooled, weighted = (t.loc[k] for k in ("e-mail only", "e-mail + phone, pooled",
                                                  "e-mail + phone, weighted"))

    def size(row) -> str:
        b, sd = abs(float(row["bias"])), float(row["sd"])
        return ("far more than its sampling error" if b > 2 * sd else
                "about as large as its sampling error" if b > sd else
                "within its sampling error, so no real bias")

    lines = [f"E-mail only misses the true NPS ({result.true_nps:+.1f}) by {float(email['bias']):+.1f} "
             f"points on average: {size(email)} (sd {float(email['sd']):.1f})."]
    for name, row, before in (("Adding the phone answers", pooled, email),
                              ("Weighting them up to all non-responders", weighted, pooled)):
        b, b0 = abs(float(row["bias"])), abs(float(before["bias"]))
        margin = float(row["sd"]) / 2
        if b < b0 - margin:
            verb = f"cuts the bias to {float(row['bias']):+.1f} points"
        elif b > b0 + margin:
            verb = (f"makes it larger ({float(row['bias']):+.1f} points): with little bias to "
                    "remove, the correction only adds its own error")
        else:
            verb = f"changes little ({float(row['bias']):+.1f} points)"
        lines.append(f"{name} {verb}; its sd is {float(row['sd']):.1f}.")
    if phone_slope and abs(float(weighted["bias"])) > float(weighted["sd"]):
        lines.append("What is left comes from the phone's own dependence on loyalty (set "
                     "`phone_slope = 0` to see it vanish).")
    return lines


def peeking(runs: int = 2000, looks: int = 10, batch: int = 100,
            shares: Sequence[float] = (0.2, 0.3, 0.5), alpha: float = 0.05,
            seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """False alarms when a change is tested after every batch of answers (peeking).

    Two waves with the same true shares are fielded in ``looks`` batches of ``batch`` answers
    each; after each batch the change is tested (independent samples, Wald z). Returns, per
    stopping rule, the share of ``runs`` in which a change was declared although none exists:
    the first look with p < alpha ("naive"), one test at the end, and the Pocock and
    O'Brien-Fleming boundaries of :func:`nps_kit.design.monitor.sequential_boundaries`.
    Armitage, McPherson & Rowe (1969): about 0.19 for ten naive looks at 5 %.
    """
    from nps_kit.design.monitor import sequential_boundaries

    rng = np.random.default_rng(seed)
    p = np.asarray(shares, dtype=float) / float(np.sum(shares))
    a = rng.multinomial(batch, p, size=(runs, looks)).cumsum(axis=1)
    b = rng.multinomial(batch, p, size=(runs, looks)).cumsum(axis=1)
    n = batch * np.arange(1, looks + 1)[None, :]
    nps = lambda c: (c[..., 2] - c[..., 0]) / n  # noqa: E731
    var = lambda c: (c[..., 2] + c[..., 0]) / n - nps(c) ** 2  # noqa: E731
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.abs(nps(b) - nps(a)) / np.sqrt((var(a) + var(b)) / n)
    crit = norm.ppf(1 - alpha / 2)
    rows = [("stop at the first p < alpha (naive)", float((z >= crit).any(axis=1).mean())),
            ("one test at the end", float((z[:, -1] >= crit).mean()))]
    for kind, name in (("pocock", "Pocock boundary"), ("obrien-fleming", "O'Brien-Fleming boundary")):
        bound = sequential_boundaries(looks, alpha, kind)["z_boundary"].to_numpy()
        rows.append((name, float((z >= bound[None, :]).any(axis=1).mean())))
    return pd.DataFrame(rows, columns=["rule", "false_alarm_rate"]).assign(
        looks=looks, batch=batch, runs=runs, alpha=alpha)


__all__ = [
    "describe_channel_bias", "peeking", "ChannelBias", "incentive_inflation", "IncentiveInflation", "latent_score_nps",
    "measured_vs_truth", "nonresponse_rules", "NONRESPONSE_SHAPES", "SampleSwings",
    "simulate_email_only_bias", "small_sample_swings",
]
