"""Raking checked against an independent computation: the margin equations solved directly.

Raked weights are w_i = start_i x a[segment_i] x b[channel_i] with the factors chosen so that
both margins hold. Here the factors are found by scipy's root finder on those equations (no
iteration of the kit's kind), and the kit's weights must agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import root

from nps_kit.design.weighting import design_effect, rake

SEGMENTS = {"SMB": 0.6, "Mid-market": 0.3, "Enterprise": 0.1}
CHANNELS = {"email": 0.5, "phone": 0.5}


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(11)
    n = 600
    seg = rng.choice(list(SEGMENTS), n, p=[0.3, 0.3, 0.4])  # Enterprise over-sampled
    ch = np.where(rng.random(n) < np.where(seg == "SMB", 0.8, 0.6), "email", "phone")
    return pd.DataFrame({"segment": seg, "channel": ch, "score": rng.integers(0, 11, n)})


def _independent(frame):
    segs, chans = list(SEGMENTS), list(CHANNELS)
    si = frame["segment"].map({s: i for i, s in enumerate(segs)}).to_numpy()
    ci = frame["channel"].map({c: i for i, c in enumerate(chans)}).to_numpy()
    n = len(frame)

    def equations(x):
        a, b = np.exp(x[:3]), np.exp(np.r_[0.0, x[3:]])  # b[0] fixed: the scale is free
        w = a[si] * b[ci]
        seg = np.bincount(si, weights=w, minlength=3) - n * np.array(list(SEGMENTS.values()))
        ch = np.bincount(ci, weights=w, minlength=2) - n * np.array(list(CHANNELS.values()))
        return np.r_[seg, ch[1:]]

    sol = root(equations, np.zeros(4), tol=1e-12)
    assert sol.success
    a, b = np.exp(sol.x[:3]), np.exp(np.r_[0.0, sol.x[3:]])
    return a[si] * b[ci]


def test_raked_weights_equal_the_solution_of_the_margin_equations(sample):
    result = rake(sample, {"segment": SEGMENTS, "channel": CHANNELS}, tolerance=1e-10)
    expected = _independent(sample)
    assert result.converged and result.max_error < 1e-9
    assert result.weights.to_numpy() == pytest.approx(expected, rel=1e-6)
    assert result.design_effect == pytest.approx(design_effect(expected))
    assert result.n_effective == pytest.approx(len(sample) / design_effect(expected))
    m = result.margins.set_index(["variable", "level"])
    assert m.loc[("segment", "Enterprise"), "weighted_share"] == pytest.approx(0.1, abs=1e-9)
    assert m.loc[("segment", "Enterprise"), "sample_share"] > 0.3


def test_trimming_caps_weights_and_reports_the_remaining_gap(sample):
    free = rake(sample, {"segment": SEGMENTS, "channel": CHANNELS})
    capped = rake(sample, {"segment": SEGMENTS, "channel": CHANNELS}, trim=1.5)
    w = capped.weights.to_numpy()
    assert w.max() <= 1.5 * w.mean() + 1e-9 and w.min() >= w.mean() / 1.5 - 1e-9
    assert capped.design_effect < free.design_effect
    assert capped.max_error > 1e-6  # the cap costs some margin accuracy, and the result says how much


def test_weighted_nps_with_raked_weights_reports_its_effective_n(sample):
    from nps_kit.core.summary import summarize

    result = rake(sample, {"segment": SEGMENTS, "channel": CHANNELS})
    row = summarize(sample.assign(w=result.weights), "score", weights="w").iloc[0]
    assert row["n_effective"] == pytest.approx(result.n_effective)


def test_bad_margins_are_refused_with_the_level_named(sample):
    from nps_kit.errors import DataError

    with pytest.raises(DataError, match="'Enterprise' have no population share|Enterprise"):
        rake(sample, {"segment": {"SMB": 0.7, "Mid-market": 0.3}})
    with pytest.raises(DataError, match="nobody answered in level"):
        rake(sample, {"segment": {**SEGMENTS, "Public": 0.1}})
