"""A deterministic, SYNTHETIC "demo world" for nps-kit: customers, NPS survey waves, outcomes, eNPS.

Everything this module produces is made up. Company names, people, e-mail addresses
(``example.com`` / ``example.org`` only) and phone numbers (the fictional ``555-01xx`` range) are
drawn from small word lists; no real customer, employee or survey is behind any number. The data
exist so the templates run out of the box, the tests have something realistic to chew on, and
teaching notebooks can show the classic NPS pitfalls with known ground truth.

The world (seed 2024 by default; ``python -m nps_kit.simulate --out data`` rewrites ``data/``):

- **customers**: a B2B vendor ("Larkspur Systems", fictional) with SMB, Mid-market and Enterprise
  customers. Annual revenue is log-normal within segment, so revenue is concentrated: the top
  20 % of customers hold roughly 70 % of it (ABC analysis, METHODS.md "Study practice").
  Each customer has a *latent* loyalty (standard normal plus a segment shift) that never appears
  in the files; scores, response behaviour and outcomes are all driven by it.
- **responses**: semi-annual waves. Each wave invites a fixed panel (the same customers every wave,
  so consecutive waves overlap partially) plus a fresh random sample. Everyone invited is e-mailed
  first; the chance to answer an e-mail rises steeply with loyalty (unhappy customers ignore it).
  In waves whose protocol includes the phone, a share of the e-mail non-responders is called; the
  chance to answer the phone barely depends on loyalty. So e-mail NPS is biased upward and phone
  NPS is closer to the truth (METHODS.md, "Channel"). Some who answer decline the score question
  (blank score, more often the unhappy ones). The true NPS drifts modestly across waves, and the
  segments drift differently (SMB down, Enterprise up, Mid-market flat).
  The wave 2025-H1 breaks the protocol on purpose: e-mail only and a slightly reworded question,
  so comparability checks have something to flag.
- **outcomes**: for every customer, in the 12 months after the last wave: revenue (``ltv``),
  churn (0/1) with its date, and repeat purchases. Loyal customers churn less and buy more; the
  effect is real but noisy.
- **protocol**: per wave the channels, question wording, scale, non-response rule, fieldwork
  window and sample source.
- **employees** / **headcount**: an employee survey for eNPS with departments of very different
  sizes (Legal has 3 respondents, Facilities 4, so anonymity thresholds bite) and a headcount
  table so participation rates can be computed (always below 100 %).

Free-text comments are plain English built from phrase banks by theme and category; a few carry
an e-mail address, a phone number or (employees) a colleague's name so redaction can be tested.

Reproducibility: each part draws from its own stream ``np.random.default_rng([seed, k])``, and
:func:`write_demo_data` writes CSV with a fixed column order, floats rounded to cents, ``"\\n"``
line ends and YAML with sorted keys, so the files are identical byte for byte across runs and
machines. ``simulate_responses`` and ``simulate_outcomes`` re-derive the latent loyalty from the
customer table and the seed, so they also work on ``customers.csv`` read back from disk.
"""


from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nps_kit.errors import ParameterError

from nps_kit.simulate.draws import (
    DEFAULT_SEED,
    category_index,
    check_n,
    check_waves,
    expit,
    fake_phones,
    phrase_table,
    score_from_latent,
    stream_rng,
    wave_window,
)
from nps_kit.simulate.phrases import (
    COLLEAGUES,
    COMPANY_FIRST,
    COMPANY_FORM,
    COMPANY_SECOND,
    CONTACT_SUFFIXES,
    CUSTOMER_PHRASES,
    EMPLOYEE_NAME_PHRASES,
    EMPLOYEE_PHRASES,
    FIRST_NAMES,
    LAST_NAMES,
)


DEFAULT_WAVES: tuple[str, ...] = ("2024-H1", "2024-H2", "2025-H1", "2025-H2")
"""Survey waves of the demo world (semi-annual)."""

CHANGED_WAVE = "2025-H1"
"""The wave whose protocol deviates (e-mail only, reworded question)."""

SEGMENTS: tuple[str, ...] = ("SMB", "Mid-market", "Enterprise")
REGIONS: tuple[str, ...] = ("North America", "Europe", "Asia-Pacific", "Latin America")
CUSTOMER_THEMES: tuple[str, ...] = (
    "price", "support", "delivery", "product quality", "ease of use", "reporting", "onboarding",
)
EMPLOYEE_THEMES: tuple[str, ...] = (
    "workload", "management", "pay", "career growth", "culture", "tools", "remote work",
)
TENURE_BANDS: tuple[str, ...] = ("<1y", "1-3y", "3-5y", "5y+")
LOCATIONS: tuple[str, ...] = ("Berlin", "Lisbon", "Toronto")

CUSTOMER_COLUMNS = ["customer_id", "company", "contact_name", "contact_email", "segment", "region",
                    "annual_revenue"]
RESPONSE_COLUMNS = ["respondent_id", "wave", "date", "channel", "segment", "score", "comment"]
OUTCOME_COLUMNS = ["customer_id", "ltv", "churned", "churn_date", "repeat_purchases"]
EMPLOYEE_COLUMNS = ["respondent_id", "department", "location", "tenure_band", "score", "comment"]
HEADCOUNT_COLUMNS = ["department", "location", "headcount"]
PROTOCOL_FIELDS = ["wave", "channels", "question", "scale", "nonresponse", "fieldwork_start",
                   "fieldwork_end", "sample_source"]

DEMO_FILES: tuple[str, ...] = ("customers.csv", "responses.csv", "outcomes.csv", "employees.csv",
                               "employees_previous.csv", "headcount.csv", "protocol.yaml")

VENDOR = "Larkspur Systems"
QUESTION = f"How likely are you to recommend {VENDOR} to a friend or colleague?"
QUESTION_CHANGED = f"How likely is it that you would recommend {VENDOR} to a colleague?"

# ---------------------------------------------------------------------------------------------
# customers

_SEGMENT_SHARE = np.array([0.62, 0.28, 0.10])
_SEGMENT_MEDIAN_REVENUE = np.array([20_000.0, 80_000.0, 350_000.0])
_REVENUE_SIGMA = 0.75
_SEGMENT_LOYALTY = np.array([0.15, 0.0, -0.25])
_REGION_SHARE = np.array([0.40, 0.33, 0.17, 0.10])


def simulate_customers(n: int = 2000, seed: int | None = DEFAULT_SEED) -> pd.DataFrame:
    """Synthetic customer master data of a fictional B2B vendor.

    Parameters
    ----------
    n : int
        Number of customers.
    seed : int
        Seed; the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        Columns ``customer_id`` ("C00001", ...), ``company``, ``contact_name``,
        ``contact_email`` (at example.com / example.org), ``segment`` (SMB, Mid-market,
        Enterprise), ``region`` and ``annual_revenue`` (rounded to cents). Revenue is
        log-normal within segment (median 20k, 80k, 350k; sigma 0.75), which puts roughly 70 %
        of all revenue with the top 20 % of customers.

    Notes
    -----
    The latent loyalty that drives scores and outcomes is not part of the table; it is
    re-derived from the table and the seed where needed.
    """
    n = check_n("n", n)
    rng = stream_rng(seed, "customers")
    ids = pd.Series(np.arange(1, n + 1)).map("C{:05d}".format).astype(str)

    n_combos = len(COMPANY_FIRST) * len(COMPANY_SECOND) * len(COMPANY_FORM)
    combo = rng.choice(n_combos, size=n, replace=n > n_combos)
    i1, rest = np.divmod(combo, len(COMPANY_SECOND) * len(COMPANY_FORM))
    i2, i3 = np.divmod(rest, len(COMPANY_FORM))
    company = (pd.Series(COMPANY_FIRST[i1]) + " " + pd.Series(COMPANY_SECOND[i2]) + " "
               + pd.Series(COMPANY_FORM[i3]))

    first = pd.Series(FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), n)])
    last = pd.Series(LAST_NAMES[rng.integers(0, len(LAST_NAMES), n)])
    local = (first + "." + last).str.lower()
    dup = local.groupby(local).cumcount()
    local = local.where(dup == 0, local + (dup + 1).astype(str))
    domain = np.where(rng.random(n) < 0.7, "example.com", "example.org")
    email = local + "@" + pd.Series(domain)

    seg = rng.choice(len(SEGMENTS), size=n, p=_SEGMENT_SHARE)
    region = rng.choice(len(REGIONS), size=n, p=_REGION_SHARE)
    revenue = _SEGMENT_MEDIAN_REVENUE[seg] * np.exp(rng.normal(0.0, _REVENUE_SIGMA, n))

    return pd.DataFrame({
        "customer_id": ids,
        "company": company,
        "contact_name": first + " " + last,
        "contact_email": email,
        "segment": np.asarray(SEGMENTS)[seg],
        "region": np.asarray(REGIONS)[region],
        "annual_revenue": np.round(revenue, 2),
    })[CUSTOMER_COLUMNS]


def _loyalty(customers: pd.DataFrame, seed: int | None) -> np.ndarray:
    """Latent loyalty of each customer (standard normal plus a segment shift), in table order."""
    rng = stream_rng(seed, "loyalty")
    seg = _segment_index(customers)
    return rng.standard_normal(len(customers)) + _SEGMENT_LOYALTY[seg]


def _segment_index(customers: pd.DataFrame) -> np.ndarray:
    missing = [c for c in ("customer_id", "segment") if c not in customers.columns]
    if missing:
        raise ParameterError(f"customers table lacks column(s) {missing}; use simulate_customers()")
    idx = pd.Index(SEGMENTS).get_indexer(customers["segment"])
    if (idx < 0).any():
        bad = customers["segment"][idx < 0].iloc[0]
        raise ParameterError(f"unknown segment {bad!r}; segments are {SEGMENTS}")
    return idx


# ---------------------------------------------------------------------------------------------
# protocol

def simulate_protocol(waves: Sequence[str] = DEFAULT_WAVES, changed_wave: str | None = CHANGED_WAVE
                      ) -> pd.DataFrame:
    """Survey protocol per wave: the procedure a comparability check looks at.

    Parameters
    ----------
    waves : sequence of str
        Wave labels ``YYYY-H1`` / ``YYYY-H2`` in time order.
    changed_wave : str or None
        The wave that breaks the protocol (if it is among ``waves``): e-mail only and a
        reworded question. ``None`` keeps every wave identical.

    Returns
    -------
    pandas.DataFrame
        One row per wave with ``wave``, ``channels`` (tuple of "email"/"phone"), ``question``,
        ``scale`` ("0-10"), ``nonresponse`` ("exclude"), ``fieldwork_start``, ``fieldwork_end``
        (ISO dates) and ``sample_source``.
    """
    waves = check_waves(waves)
    starts, ends = zip(*(wave_window(w) for w in waves))
    changed = np.array([w == changed_wave for w in waves])
    return pd.DataFrame({
        "wave": list(waves),
        "channels": [("email",) if c else ("email", "phone") for c in changed],
        "question": np.where(changed, QUESTION_CHANGED, QUESTION),
        "scale": "0-10",
        "nonresponse": "exclude",
        "fieldwork_start": [s.strftime("%Y-%m-%d") for s in starts],
        "fieldwork_end": [e.strftime("%Y-%m-%d") for e in ends],
        "sample_source": np.where(
            changed,
            "CRM panel plus random sample of active accounts; e-mail only, no phone follow-up",
            "CRM panel plus random sample of active accounts; phone follow-up of e-mail non-responders",
        ),
    })[PROTOCOL_FIELDS]


# ---------------------------------------------------------------------------------------------
# responses

# true loyalty drift per wave index and segment (SMB slides, Enterprise improves, Mid flat)
_DRIFT_PER_WAVE = np.array([-0.10, 0.02, 0.09])
_WAVE_NOISE = 0.35  # sd of a customer's wave-to-wave mood around their loyalty
_SCORE_CENTRE, _SCORE_SLOPE, _SCORE_NOISE = 7.6, 1.5, 0.9
_PANEL_SIZE = 260
_FRESH_PER_WAVE = 240
_INVITE_WEIGHT = np.array([1.0, 1.5, 3.0])  # per segment: SMB, Mid-market, Enterprise
_PHONE_FOLLOW_UP = 0.55  # share of e-mail non-responders called
_CUSTOMER_THEME_P = np.array([
    [0.22, 0.22, 0.10, 0.16, 0.10, 0.10, 0.10],  # detractors: price and support dominate
    [0.20, 0.15, 0.12, 0.15, 0.14, 0.14, 0.10],
    [0.10, 0.24, 0.12, 0.18, 0.16, 0.10, 0.10],  # promoters praise support and quality
])
_COMMENT_BLANK_P = np.array([0.25, 0.45, 0.35])


def _choose_rows(rng: np.random.Generator, p: np.ndarray, cat: np.ndarray) -> np.ndarray:
    """Row-wise draw of an index from a probability matrix ``p[cat]`` (vectorised)."""
    cum = np.cumsum(p, axis=1)[cat]
    u = rng.random(len(cat))[:, None]
    return np.minimum((u > cum).sum(axis=1), p.shape[1] - 1)


def _customer_comments(rng: np.random.Generator, scores: np.ndarray, emails: np.ndarray
                       ) -> np.ndarray:
    n = len(scores)
    table = phrase_table(CUSTOMER_PHRASES, CUSTOMER_THEMES)
    has_score = ~np.isnan(scores)
    cat = category_index(np.nan_to_num(scores))
    theme = _choose_rows(rng, _CUSTOMER_THEME_P, cat)
    k = rng.integers(0, table.shape[2], n)
    text = table[cat, theme, k]
    blank = (rng.random(n) < _COMMENT_BLANK_P[cat]) | ~has_score
    contact = ~blank & (rng.random(n) < 0.05)
    suffix_kind = rng.integers(0, len(CONTACT_SUFFIXES), n)
    phones = fake_phones(rng, n)
    suffixes = np.array(CONTACT_SUFFIXES, dtype=object)[suffix_kind]
    filled = _fill(suffixes, emails, phones)
    text = np.where(contact, text + filled, text)
    return np.where(blank, None, text).astype(object)


def _fill(templates: np.ndarray, emails: np.ndarray, phones: np.ndarray,
          names: np.ndarray | None = None) -> np.ndarray:
    """Fill {email}/{phone}/{name} placeholders row-wise."""
    s = pd.Series(templates, dtype=object).astype(str)
    parts = s.str.split(r"\{(email|phone|name)\}", regex=True, n=1, expand=True)
    if parts.shape[1] < 3:
        return s.to_numpy(dtype=object)
    key = parts[1].fillna("")
    value = pd.Series(np.where(key == "email", emails, np.where(key == "phone", phones,
                      names if names is not None else "")), dtype=object).astype(str)
    out = parts[0] + value.where(key != "", "") + parts[2].fillna("")
    return out.to_numpy(dtype=object)


def simulate_responses(customers: pd.DataFrame, waves: Sequence[str] = DEFAULT_WAVES,
                       seed: int | None = DEFAULT_SEED,
                       protocol: pd.DataFrame | None = None) -> pd.DataFrame:
    """Synthetic NPS survey responses over semi-annual waves, with a channel bias built in.

    Parameters
    ----------
    customers : DataFrame
        As returned by :func:`simulate_customers` (or ``customers.csv`` read back).
    waves : sequence of str
        Wave labels in time order.
    seed : int
        Seed; use the customers' seed to keep the world coherent.
    protocol : DataFrame, optional
        As :func:`simulate_protocol` returns; decides which waves use the phone. Default:
        ``simulate_protocol(waves)``.

    Returns
    -------
    pandas.DataFrame
        One row per contact that answered (``respondent_id`` = ``customer_id``, ``wave``,
        ``date`` (ISO), ``channel`` "email"/"phone", ``segment``, ``score`` 0-10 as
        float (whole numbers, NaN where the score was declined: the convention of
        ``nps_kit.read_responses``), ``comment`` (missing if none)), sorted by
        wave, date and id.

    Notes
    -----
    Mechanism per wave: invited = a fixed panel of 260 customers plus 240 fresh ones. Wave
    loyalty = loyalty + segment drift + N(0, 0.35). E-mail answer probability
    expit(-0.5 + 1.1 * loyalty), phone expit(0.1 + 0.25 * loyalty) for the 55 % of e-mail
    non-responders called (phone waves only). Score = round(7.6 + 1.5 * loyalty + N(0, 0.9))
    clipped to 0..10; declining the score has probability expit(-3 - 0.7 * loyalty).
    """
    waves = check_waves(waves)
    protocol = simulate_protocol(waves) if protocol is None else protocol
    phone_waves = set(protocol.loc[protocol["channels"].map(lambda c: "phone" in c), "wave"])
    seg = _segment_index(customers)
    loyalty = _loyalty(customers, seed)
    rng = stream_rng(seed, "responses")
    n = len(customers)
    panel_size = min(_PANEL_SIZE, n)
    # larger accounts are invited more often (weighted sampling without replacement)
    weight = _INVITE_WEIGHT[seg]
    order = rng.choice(n, size=n, replace=False, p=weight / weight.sum())
    panel, others = order[:panel_size], order[panel_size:]
    ids = customers["customer_id"].astype(str).to_numpy()
    emails = (customers["contact_email"].astype(str).to_numpy() if "contact_email" in customers
              else np.full(n, "someone@example.com", dtype=object))

    frames = []
    for t, wave in enumerate(waves):
        start, end = wave_window(wave)
        w_others = weight[others]
        fresh = rng.choice(others, size=min(_FRESH_PER_WAVE, len(others)), replace=False,
                           p=w_others / w_others.sum())
        invited = np.concatenate([panel, fresh])
        m = len(invited)
        wave_loyalty = (loyalty[invited] + t * _DRIFT_PER_WAVE[seg[invited]]
                        + rng.normal(0.0, _WAVE_NOISE, m))
        by_email = rng.random(m) < expit(-0.5 + 1.1 * wave_loyalty)
        called = ~by_email & (rng.random(m) < _PHONE_FOLLOW_UP) & (wave in phone_waves)
        by_phone = called & (rng.random(m) < expit(0.1 + 0.25 * wave_loyalty))
        answered = by_email | by_phone
        scores = score_from_latent(wave_loyalty, rng, _SCORE_CENTRE, _SCORE_SLOPE, _SCORE_NOISE)
        declined = rng.random(m) < expit(-3.0 - 0.7 * wave_loyalty)
        scores = np.where(declined, np.nan, scores)
        days_email = rng.integers(0, 12, m)
        days_phone = rng.integers(12, (end - start).days + 1, m)
        days = np.where(by_email, days_email, days_phone)
        comments = _customer_comments(rng, scores, emails[invited])
        keep = answered
        frames.append(pd.DataFrame({
            "respondent_id": ids[invited][keep],
            "wave": wave,
            "date": (start + pd.to_timedelta(days[keep], unit="D")).strftime("%Y-%m-%d"),
            "channel": np.where(by_email, "email", "phone")[keep],
            "segment": np.asarray(SEGMENTS)[seg[invited]][keep],
            "score": scores[keep],
            "comment": comments[keep],
        }))
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["wave", "date", "respondent_id"], kind="stable", ignore_index=True)
    out["comment"] = out["comment"].astype("str")
    return out[RESPONSE_COLUMNS]


def true_nps(customers: pd.DataFrame, waves: Sequence[str] = DEFAULT_WAVES,
             seed: int | None = DEFAULT_SEED) -> pd.DataFrame:
    """The ground truth a survey tries to measure: expected NPS of the whole customer base.

    In the synthetic world every customer's score in wave t is
    ``round(c + b * (L + drift_segment * t + e1) + e2)`` with e1 ~ N(0, 0.35), e2 ~ N(0, 0.9),
    so the probabilities of being a promoter (raw value >= 8.5) and a detractor (< 6.5) are
    normal tail areas with sd ``sqrt((b * 0.35)^2 + 0.9^2)``. The expected NPS of a group is the
    mean over its customers of ``100 * (P(promoter) - P(detractor))``: what every customer
    answering (no channel or non-response bias) would give on average.

    Parameters
    ----------
    customers : DataFrame
        As returned by :func:`simulate_customers`.
    waves : sequence of str
        Wave labels in time order.
    seed : int
        The seed the customers (and responses) were simulated with.

    Returns
    -------
    pandas.DataFrame
        ``wave``, ``segment`` (the three segments and "All"), ``customers``, ``nps`` (points).
    """
    from scipy.stats import norm

    waves = check_waves(waves)
    seg = _segment_index(customers)
    loyalty = _loyalty(customers, seed)
    sd = np.hypot(_SCORE_SLOPE * _WAVE_NOISE, _SCORE_NOISE)
    t = np.arange(len(waves))[:, None]
    mean = _SCORE_CENTRE + _SCORE_SLOPE * (loyalty[None, :] + t * _DRIFT_PER_WAVE[seg][None, :])
    expected = 100.0 * (norm.sf((8.5 - mean) / sd) - norm.cdf((6.5 - mean) / sd))
    long = pd.DataFrame({
        "wave": np.repeat(np.asarray(waves), len(seg)),
        "segment": np.tile(np.asarray(SEGMENTS)[seg], len(waves)),
        "value": expected.ravel(),
    })
    by_segment = long.groupby(["wave", "segment"], sort=False)["value"].agg(["size", "mean"])
    overall = long.groupby("wave", sort=False)["value"].agg(["size", "mean"])
    overall.index = pd.MultiIndex.from_arrays([overall.index, ["All"] * len(overall)],
                                              names=["wave", "segment"])
    out = pd.concat([by_segment, overall]).reset_index()
    out = out.rename(columns={"size": "customers", "mean": "nps"})
    order = pd.Categorical(out["segment"], categories=[*SEGMENTS, "All"], ordered=True)
    out = out.assign(_o=order).sort_values(["wave", "_o"], ignore_index=True).drop(columns="_o")
    return out[["wave", "segment", "customers", "nps"]]


# ---------------------------------------------------------------------------------------------
# outcomes

_SEGMENT_PURCHASE_RATE = np.array([2.5, 4.0, 6.5])


def simulate_outcomes(customers: pd.DataFrame, responses: pd.DataFrame | None = None,
                      seed: int | None = DEFAULT_SEED,
                      waves: Sequence[str] | None = None) -> pd.DataFrame:
    """Synthetic business outcomes in the 12 months after the last survey wave.

    Parameters
    ----------
    customers : DataFrame
        As returned by :func:`simulate_customers`.
    responses : DataFrame, optional
        The survey responses; only used to find the last wave (the outcome window starts the
        day after its fieldwork ends). Outcomes depend on the latent loyalty, which also drives
        the scores, so the link between score and outcome is real but noisy.
    seed : int
        Seed; use the customers' seed to keep the world coherent.
    waves : sequence of str, optional
        Used instead of ``responses`` to find the last wave (default: the demo waves).

    Returns
    -------
    pandas.DataFrame
        One row per customer: ``customer_id``, ``ltv`` (revenue in the window, cents),
        ``churned`` (0/1), ``churn_date`` (ISO date, missing if not churned),
        ``repeat_purchases`` (count).

    Notes
    -----
    With loyalty L at the end of the survey period: churn probability expit(-1.5 - 0.9 L);
    churners leave uniformly within the window and their revenue and purchases scale with the
    active fraction f; ltv = annual_revenue * f * exp(0.15 L + N(0, 0.3));
    repeat_purchases ~ Poisson(rate_segment * f * exp(0.3 L)).
    """
    if responses is not None and len(responses):
        waves = sorted(pd.unique(responses["wave"].astype(str)), key=lambda w: wave_window(w)[0])
    waves = check_waves(DEFAULT_WAVES if waves is None else waves)
    seg = _segment_index(customers)
    if "annual_revenue" not in customers.columns:
        raise ParameterError("customers table lacks column 'annual_revenue'; use simulate_customers()")
    revenue = customers["annual_revenue"].to_numpy(dtype=float)
    rng = stream_rng(seed, "outcomes")
    n = len(customers)
    final = (_loyalty(customers, seed) + (len(waves) - 1) * _DRIFT_PER_WAVE[seg]
             + rng.normal(0.0, 0.35, n))
    window_start = wave_window(waves[-1])[1] + pd.Timedelta(days=1)
    churned = rng.random(n) < expit(-1.5 - 0.9 * final)
    churn_day = rng.integers(0, 365, n)
    active = np.where(churned, (churn_day + 0.5) / 365.0, 1.0)
    ltv = revenue * active * np.exp(0.15 * final + rng.normal(0.0, 0.3, n))
    purchases = rng.poisson(_SEGMENT_PURCHASE_RATE[seg] * active * np.exp(0.3 * final))
    churn_date = (window_start + pd.to_timedelta(churn_day, unit="D")).strftime("%Y-%m-%d")
    return pd.DataFrame({
        "customer_id": customers["customer_id"].astype(str).to_numpy(),
        "ltv": np.round(ltv, 2),
        "churned": churned.astype(np.int64),
        "churn_date": pd.array(np.where(churned, np.asarray(churn_date, dtype=object), None),
                               dtype="str"),
        "repeat_purchases": purchases.astype(np.int64),
    })[OUTCOME_COLUMNS]


# ---------------------------------------------------------------------------------------------
# employees

# department -> (weight or fixed size, location probabilities over LOCATIONS, engagement shift)
_DEPARTMENTS: dict[str, tuple[float, tuple[float, float, float], float]] = {
    "Engineering": (90, (0.55, 0.35, 0.10), 0.15),
    "Sales": (60, (0.30, 0.10, 0.60), -0.20),
    "Customer Success": (45, (0.20, 0.50, 0.30), -0.35),
    "Operations": (40, (0.40, 0.45, 0.15), -0.10),
    "Marketing": (30, (0.50, 0.20, 0.30), 0.20),
    "Finance": (20, (0.70, 0.30, 0.00), 0.05),
    "Product": (16, (0.60, 0.25, 0.15), 0.35),
    "HR": (12, (0.60, 0.40, 0.00), 0.10),
    "Facilities": (4, (0.50, 0.50, 0.00), -0.30),
    "Legal": (3, (1.00, 0.00, 0.00), 0.00),
}
_SMALL_DEPARTMENTS = ("Facilities", "Legal")  # fixed sizes, below the usual anonymity threshold
_TENURE_SHARE = np.array([0.18, 0.34, 0.24, 0.24])
_TENURE_SHIFT = np.array([0.35, -0.15, -0.05, 0.10])
_LOCATION_SHIFT = np.array([0.05, 0.15, -0.15])
_EMPLOYEE_THEME_P = np.array([
    [0.22, 0.20, 0.20, 0.14, 0.10, 0.08, 0.06],
    [0.16, 0.14, 0.16, 0.16, 0.12, 0.12, 0.14],
    [0.08, 0.16, 0.08, 0.16, 0.24, 0.10, 0.18],
])


def _department_sizes(n: int) -> np.ndarray:
    names = list(_DEPARTMENTS)
    sizes = np.array([_DEPARTMENTS[d][0] for d in names], dtype=float)
    small = np.isin(names, _SMALL_DEPARTMENTS)
    fixed = sizes[small].sum()
    if n < fixed + (~small).sum():
        raise ParameterError(f"n={n} is too small; the employee survey needs at least "
                             f"{int(fixed + (~small).sum())} respondents")
    big = sizes[~small] / sizes[~small].sum() * (n - fixed)
    floor = np.floor(big)
    rest = int(n - fixed - floor.sum())
    floor[np.argsort(-(big - floor), kind="stable")[:rest]] += 1
    out = sizes.copy()
    out[~small] = floor
    return out.astype(np.int64)


def simulate_employees(n: int = 320, seed: int | None = DEFAULT_SEED) -> pd.DataFrame:
    """Synthetic employee survey for eNPS.

    Parameters
    ----------
    n : int
        Number of respondents (at least 15). Legal (3) and Facilities (4) keep their size; the
        other departments share the rest in fixed proportions.
    seed : int
        Seed.

    Returns
    -------
    pandas.DataFrame
        ``respondent_id`` ("E0001", ...), ``department``, ``location`` (Berlin, Lisbon,
        Toronto), ``tenure_band`` ("<1y", "1-3y", "3-5y", "5y+"), ``score`` (float 0-10,
        NaN = no answer), ``comment`` (missing if none; some name a colleague, or carry an
        e-mail address or phone number).

    Notes
    -----
    Engagement = department shift + tenure shift (new joiners happiest, 1-3 years lowest) +
    location shift + N(0, 1); score = round(7.2 + 1.6 * engagement + N(0, 0.8)) clipped to
    0..10; 6 % leave the score blank.
    """
    n = check_n("n", n)
    rng = stream_rng(seed, "employees")
    names = np.array(list(_DEPARTMENTS))
    sizes = _department_sizes(n)
    dept = np.repeat(np.arange(len(names)), sizes)
    loc_p = np.array([_DEPARTMENTS[d][1] for d in names])
    loc = _choose_rows(rng, loc_p, dept)
    tenure = rng.choice(len(TENURE_BANDS), size=n, p=_TENURE_SHARE)
    shift = np.array([_DEPARTMENTS[d][2] for d in names])
    engagement = (shift[dept] + _TENURE_SHIFT[tenure] + _LOCATION_SHIFT[loc]
                  + rng.standard_normal(n))
    scores = score_from_latent(engagement, rng, 7.2, 1.6, 0.8)
    scores = np.where(rng.random(n) < 0.06, np.nan, scores)

    table = phrase_table(EMPLOYEE_PHRASES, EMPLOYEE_THEMES)
    cat = category_index(np.nan_to_num(scores))
    theme = _choose_rows(rng, _EMPLOYEE_THEME_P, cat)
    text = table[cat, theme, rng.integers(0, table.shape[2], n)]
    blank = (rng.random(n) < 0.35) | np.isnan(scores)
    colleague = COLLEAGUES[rng.integers(0, len(COLLEAGUES), n)]
    name_tpl = np.array([list(EMPLOYEE_NAME_PHRASES[c]) for c in ("detractor", "passive",
                                                                   "promoter")], dtype=object)
    name_suffix = _fill(name_tpl[cat, rng.integers(0, 2, n)], colleague, colleague, colleague)
    with_name = ~blank & (rng.random(n) < 0.08)
    text = np.where(with_name, text + name_suffix, text)
    person_email = (pd.Series(colleague).str.lower().str.replace(" ", ".", regex=False)
                    + "@example.org").to_numpy(dtype=object)
    contact = ~blank & (rng.random(n) < 0.04)
    suffix = _fill(np.array(CONTACT_SUFFIXES, dtype=object)[rng.integers(0, 4, n)],
                   person_email, fake_phones(rng, n))
    text = np.where(contact, text + suffix, text)

    order = rng.permutation(n)  # ids do not reveal the department
    out = pd.DataFrame({
        "respondent_id": pd.Series(np.arange(1, n + 1)).map("E{:04d}".format).astype(str),
        "department": names[dept[order]],
        "location": np.asarray(LOCATIONS)[loc[order]],
        "tenure_band": np.asarray(TENURE_BANDS)[tenure[order]],
        "score": scores[order],
        "comment": pd.array(np.where(blank, None, text)[order], dtype="str"),
    })
    return out[EMPLOYEE_COLUMNS]


def simulate_headcount(employees: pd.DataFrame | None = None,
                       seed: int | None = DEFAULT_SEED) -> pd.DataFrame:
    """Headcount per department and location, always above the number of respondents.

    Parameters
    ----------
    employees : DataFrame, optional
        The employee survey (default: ``simulate_employees(seed=seed)``).
    seed : int
        Seed.

    Returns
    -------
    pandas.DataFrame
        ``department``, ``location``, ``headcount`` for every department/location where the
        department has staff (including a few places with no respondents), sorted.
        Participation per place is drawn between 55 % and 90 %.
    """
    if employees is None:
        employees = simulate_employees(seed=seed)
    rng = stream_rng(seed, "headcount")
    names = list(_DEPARTMENTS)
    loc_p = np.array([_DEPARTMENTS[d][1] for d in names])
    dd, ll = np.nonzero(loc_p > 0)
    grid = pd.DataFrame({"department": np.asarray(names)[dd],
                         "location": np.asarray(LOCATIONS)[ll]})
    extra = employees[["department", "location"]].drop_duplicates()
    grid = pd.concat([grid, extra], ignore_index=True).drop_duplicates(ignore_index=True)
    responded = employees.groupby(["department", "location"]).size().rename("r").reset_index()
    grid = grid.merge(responded, on=["department", "location"], how="left")
    r = grid["r"].fillna(0).to_numpy(dtype=float)
    rate = rng.uniform(0.55, 0.90, len(grid))
    headcount = np.maximum(np.ceil(r / rate), r + 1) + np.where(r == 0, rng.integers(0, 3, len(grid)), 0)
    grid["headcount"] = headcount.astype(np.int64)
    grid = grid.sort_values(["department", "location"], ignore_index=True)
    return grid[HEADCOUNT_COLUMNS]


# --- previous employee wave (for eNPS wave comparisons in the enps_study template) ----------

PREVIOUS_EMPLOYEES_FILE = "employees_previous.csv"
"""Demo file of the previous eNPS wave, written by :func:`simulate_employees_previous`."""


def simulate_employees_previous(n: int = 300, seed: int | None = DEFAULT_SEED) -> pd.DataFrame:
    """The employee survey one year earlier, for wave comparisons of eNPS.

    Same columns and departments as :func:`simulate_employees`, drawn with seed ``seed + 1``;
    Customer Success and Sales scored one point higher then (clipped at 10), so their eNPS has
    fallen since. The demo file is ``_csv_bytes(simulate_employees_previous())`` (same format as
    the other demo files), checked by ``tests/test_enps.py``.
    """
    prev = simulate_employees(n=n, seed=(DEFAULT_SEED if seed is None else int(seed)) + 1)
    happier = prev["department"].isin(["Customer Success", "Sales"]).to_numpy()
    score = prev["score"].to_numpy(dtype=float)
    return prev.assign(score=np.where(happier, np.minimum(score + 1.0, 10.0), score))


# ---------------------------------------------------------------------------------------------
# the whole world and the files

def simulate_world(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Every table of the demo world for one seed.

    Returns
    -------
    dict of str to DataFrame
        Keys ``customers``, ``responses``, ``outcomes``, ``protocol``, ``employees``,
        ``headcount``. With the default seed these equal the files in ``data/``.
    """
    protocol = simulate_protocol(DEFAULT_WAVES)
    customers = simulate_customers(seed=seed)
    responses = simulate_responses(customers, DEFAULT_WAVES, seed=seed, protocol=protocol)
    outcomes = simulate_outcomes(customers, responses, seed=seed)
    employees = simulate_employees(seed=seed)
    headcount = simulate_headcount(employees, seed=seed)
    return {"customers": customers, "responses": responses, "outcomes": outcomes,
            "protocol": protocol, "employees": employees, "headcount": headcount}


__all__ = [
    "CHANGED_WAVE", "CUSTOMER_COLUMNS", "CUSTOMER_THEMES", "DEFAULT_WAVES", "DEMO_FILES",
    "EMPLOYEE_COLUMNS", "EMPLOYEE_THEMES", "HEADCOUNT_COLUMNS", "LOCATIONS", "OUTCOME_COLUMNS",
    "PREVIOUS_EMPLOYEES_FILE", "PROTOCOL_FIELDS", "QUESTION", "QUESTION_CHANGED", "REGIONS",
    "RESPONSE_COLUMNS", "SEGMENTS", "simulate_customers", "simulate_employees",
    "simulate_employees_previous", "simulate_headcount", "simulate_outcomes", "simulate_protocol",
    "simulate_responses", "simulate_world", "TENURE_BANDS", "true_nps", "VENDOR",
]
