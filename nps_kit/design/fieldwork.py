"""Putting a sample size into the field: invitations, segments, the questionnaire, advice.

- :func:`invitations`: respondents needed / expected response rate, per channel, rounded up.
- :func:`allocate_segments`: each segment (e.g. ABC classes) sized for its own margin with its own
  finite population correction, plus its invitations.
- :func:`questionnaire`: the 0-10 question and the follow-up tailored to each category.
- :func:`segment_invitations`: the invitation plan per segment and channel;
  :func:`segment_sizes` counts a customer list per segment; :func:`previous_wave_counts` takes the
  anticipated distribution from a previous wave's responses.
- :func:`fieldwork_advice`: sentences that follow from the study's inputs (channel mix,
  non-response rule, fixed procedure across waves).

The practice advice follows nps-kit's METHODS notes ("Study practice"): email-only NPS
over-represents loyal customers, phone follow-up of non-responders gives a truer figure; one
non-response rule fixed before analysis; the same procedure every wave; ask "why" right after the
score and close the loop.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from nps_kit.design.sample_size import SIZE_METHODS, as_fraction, as_shares, nps_sample_size
from nps_kit.errors import DataError, ParameterError, check_option
from nps_kit.core.scores import NONRESPONSE_POLICIES, Counts
from nps_kit.core.safetext import label

_RULE_TEXT = {"exclude": "left out of the score", "detractor": "counted as detractors",
              "passive": "counted as passives"}


def _ceil(x):
    return np.ceil(np.round(np.asarray(x, dtype=float), 9))


def _channel_table(channels) -> pd.DataFrame:
    """channel, sample_share, response_rate from a rate, a dict or a DataFrame."""
    if isinstance(channels, pd.DataFrame):
        missing = {"channel", "sample_share", "response_rate"} - set(channels.columns)
        if missing:
            raise ParameterError(
                f"channels table lacks column(s) {sorted(missing)}; it needs channel, sample_share, response_rate"
            )
        rows = list(zip(channels["channel"], channels["sample_share"], channels["response_rate"]))
    elif isinstance(channels, Mapping):
        rows = []
        for name, spec in channels.items():
            try:
                share, rate = spec
            except (TypeError, ValueError):
                raise ParameterError(
                    f"channel {name!r}: give (share of sample, response rate), e.g. {{'email': (0.7, 0.25)}}"
                ) from None
            rows.append((name, share, rate))
    else:
        rows = [("all", 1.0, channels)]
    if not rows:
        raise ParameterError("channels is empty; give at least one channel with its share and response rate")
    table = pd.DataFrame({
        "channel": [str(r[0]) for r in rows],
        "sample_share": [as_fraction(r[1], f"share of channel {r[0]!r}") for r in rows],
        "response_rate": [as_fraction(r[2], f"response rate of channel {r[0]!r}") for r in rows],
    })
    total = table["sample_share"].sum()
    if abs(total - 1.0) > 1e-6:
        raise ParameterError(
            f"channel shares sum to {total:g}; the shares of the sample must add up to 1 (or 100 %)"
        )
    return table


def invitations(respondents: int, channels) -> pd.DataFrame:
    """Invitations needed to obtain ``respondents`` answers, per channel.

    Respondents wanted from a channel = ceil(respondents x share); invitations =
    ceil(respondents wanted / response rate).

    Parameters
    ----------
    respondents : int
        Respondents needed in all.
    channels : float, dict or DataFrame
        One response rate for everyone (0.3 or 30); or ``{channel: (share of sample, response
        rate)}``, e.g. ``{"email": (0.7, 0.25), "phone": (0.3, 0.6)}``; or a DataFrame with
        columns channel, sample_share, response_rate. Shares must sum to 1 (or 100).

    Returns
    -------
    DataFrame
        channel, sample_share, response_rate, respondents, invitations (one row per channel).

    Examples
    --------
    >>> invitations(300, 0.3)["invitations"].tolist()
    [1000]
    """
    n = float(respondents)
    if not np.isfinite(n) or n < 0:
        raise ParameterError(f"respondents={respondents!r} must be a number >= 0")
    table = _channel_table(channels)
    wanted = _ceil(n * table["sample_share"].to_numpy())
    return table.assign(
        respondents=wanted.astype(int),
        invitations=_ceil(wanted / table["response_rate"].to_numpy()).astype(int),
    )


def allocate_segments(
    segments,
    margin: float,
    confidence: float = 0.95,
    *,
    segment: str = "segment",
    population: str = "population",
    expected: Sequence[float] | None = None,
    method: str = "wald",
    response_rate: float | None = None,
    z: float | None = None,
    fpc: str = "cochran",
) -> pd.DataFrame:
    """Respondents per segment so that each segment meets its own margin of +-``margin`` points.

    Each segment is sized independently with its own finite population correction
    (:func:`nps_kit.design.sample_size.nps_sample_size`), so small segments need a large share of their
    members and the total exceeds a single overall sample.

    Parameters
    ----------
    segments : DataFrame or dict
        A table with a segment column and a population column, or ``{segment: population}``.
    margin : float
        Margin in NPS points wanted in every segment.
    confidence : float
        Confidence level in (0, 1).
    segment, population : str
        Column names in ``segments``.
    expected : (d, a, p), optional
        Anticipated shares for every segment; None = worst case.
    method : {"wald", "adjusted-wald"}
    response_rate : float, optional
        Expected response rate (0.3 or 30); adds an ``invitations`` column.
    z, fpc
        As in :func:`nps_kit.design.sample_size.nps_sample_size`.

    Returns
    -------
    DataFrame
        segment, population, respondents, share_of_population, margin (achieved, points),
        and invitations when a response rate is given, one row per segment.
    """
    check_option("method", method, SIZE_METHODS)
    if isinstance(segments, Mapping):
        table = pd.DataFrame({segment: list(segments.keys()), population: list(segments.values())})
    elif isinstance(segments, pd.DataFrame):
        missing = [c for c in (segment, population) if c not in segments.columns]
        if missing:
            raise ParameterError(
                f"segments table lacks column(s) {missing}; it has {list(segments.columns)}. "
                "Pass segment= and population= with your column names."
            )
        table = segments[[segment, population]].copy()
    else:
        raise ParameterError("segments must be a DataFrame or a dict {segment: population size}")
    shares = as_shares(expected)
    rate = None if response_rate is None else as_fraction(response_rate, "response_rate")
    sizes = [nps_sample_size(margin, confidence, pop, expected=shares, method=method, z=z, fpc=fpc)
             for pop in table[population].to_numpy()]
    out = pd.DataFrame({
        "segment": table[segment].to_numpy(),
        "population": table[population].to_numpy(),
        "respondents": [s.n for s in sizes],
        "margin": [s.achieved_margin for s in sizes],
    })
    out.insert(3, "share_of_population", out["respondents"] / out["population"].astype(float))
    if rate is not None:
        out["invitations"] = _ceil(out["respondents"].to_numpy() / rate).astype(int)
    return out


def questionnaire(subject: str = "us") -> pd.DataFrame:
    """The NPS question and the follow-up tailored to each category, to paste into a survey tool.

    Ask the follow-up right after the score, so the reason is fresh; each category gets the
    question that helps act on it (METHODS "Study practice": ask why, then close the loop).

    Parameters
    ----------
    subject : str
        What is recommended: "us", a company or a product name.

    Returns
    -------
    DataFrame
        step, shown_to, scores, question (one row for the 0-10 question, one per category).
    """
    return pd.DataFrame([
        {"step": 1, "shown_to": "everyone", "scores": "0-10",
         "question": f"How likely are you to recommend {subject} to a friend or colleague? "
                     "(0 = not at all likely, 10 = extremely likely)"},
        {"step": 2, "shown_to": "detractors", "scores": "0-6",
         "question": "What is the main reason for your score?"},
        {"step": 2, "shown_to": "passives", "scores": "7-8",
         "question": "What would it take to raise your score by one point?"},
        {"step": 2, "shown_to": "promoters", "scores": "9-10",
         "question": f"What do you value most about {subject}?"},
    ])


def fieldwork_advice(
    *,
    channels=None,
    nonresponse: str = "exclude",
    invitations_needed: int | None = None,
    population: float | None = None,
    waves: int = 2,
    design: str = "independent",
    allocation: pd.DataFrame | None = None,
) -> list[str]:
    """Practical advice that follows from the study's inputs, as a list of sentences.

    Parameters
    ----------
    channels : dict or DataFrame, optional
        The channel mix as in :func:`invitations`; decides the channel advice.
    nonresponse : {"exclude", "detractor", "passive"}
        The rule for people who decline to answer, fixed before analysis.
    invitations_needed : int, optional
        Total invitations planned; compared with ``population``.
    population : float, optional
        Number of people who can be invited.
    waves : int
        Number of waves planned; with more than one, the fixed-procedure advice applies.
    design : {"independent", "panel"}
        Whether the same respondents are asked in every wave.
    allocation : DataFrame, optional
        Segment plan with segment, population and invitations columns (from
        :func:`allocate_segments` with a response rate); segments with fewer people than
        invitations are named.

    Returns
    -------
    list of str
    """
    check_option("nonresponse", nonresponse, NONRESPONSE_POLICIES)
    advice: list[str] = []
    names = [] if channels is None else [c.lower() for c in _channel_table(channels)["channel"]]
    if not names or names == ["all"]:
        advice.append("Record the channel of every answer: email, phone and in-app answers differ, "
                      "so the channel mix must be known to compare waves.")
    elif "phone" not in names:
        advice.append(f"The plan uses {', '.join(names)} only: email-only NPS over-represents loyal customers, "
                      "because unhappy ones ignore the invitation. Follow up a random part of the "
                      "non-responders by phone to check how far the figure is too rosy.")
    else:
        advice.append(f"Mixed channels ({', '.join(names)}): keep the phone follow-up of non-responders in "
                      "every wave and record the channel of each answer, so waves can be compared channel "
                      "by channel.")
    rule = _RULE_TEXT[nonresponse]
    advice.append(f"People who decline to give a score are {rule}; fix this rule before the analysis "
                  "and keep it in every wave, since mixing rules breaks comparability.")
    if invitations_needed is not None and population is not None and invitations_needed > population:
        advice.append(f"The plan needs {int(invitations_needed):,} invitations but only {population:,.0f} "
                      "people can be invited: invite everyone, raise the response rate (reminders, phone "
                      "calls) or accept a wider margin.")
    if allocation is not None and {"segment", "population", "invitations"} <= set(allocation.columns):
        short = allocation[allocation["invitations"] > allocation["population"]]
        if len(short):
            names_short = ", ".join(f"{label(s)} ({i:,} invitations for {p:,} people)" for s, i, p in
                                    zip(short["segment"], short["invitations"], short["population"]))
            advice.append(f"Too few people to reach the segment margin in: {names_short}. Invite everyone there "
                          "and chase non-responders by phone, or report these segments with a wider margin.")
    if waves > 1:
        advice.append("Use the same procedure every wave: the same question wording and 0-10 scale, the same "
                      "channel mix and the same timing (e.g. within three days of delivery); a changed "
                      "procedure makes the change between waves uninterpretable.")
    if design == "panel":
        advice.append("For a panel, keep a respondent id that links the waves, so the change can be measured "
                      "per person; without it the waves must be treated as independent.")
    advice.append("Ask the follow-up question right after the score, call detractors and passives back, "
                  "and do not tie staff incentives to the NPS: that inflates the score without improving "
                  "anything.")
    return advice


def blended_response_rate(channels) -> float:
    """Overall response rate of a channel mix: respondents per invitation.

    With shares s_c of the respondents and response rates r_c, one respondent costs
    sum_c s_c / r_c invitations, so the blended rate is 1 / sum_c (s_c / r_c).

    Examples
    --------
    >>> round(blended_response_rate({"email": (0.5, 0.2), "phone": (0.5, 0.6)}), 4)  # 1 / (2.5 + 0.8333)
    0.3
    """
    t = _channel_table(channels)
    return float(1.0 / (t["sample_share"] / t["response_rate"]).sum())


def segment_invitations(
    allocation: pd.DataFrame,
    channels,
    *,
    segment: str = "segment",
    respondents: str = "respondents",
    population: str | None = "population",
) -> pd.DataFrame:
    """Invitation plan per segment and channel.

    For every segment and channel: respondents = ceil(segment respondents x channel share),
    invitations = ceil(respondents / channel response rate).

    Parameters
    ----------
    allocation : DataFrame
        One row per segment with its respondents (e.g. from :func:`allocate_segments`).
    channels : float, dict or DataFrame
        As in :func:`invitations`.
    segment, respondents, population : str
        Column names; with a population column the result says whether the segment has enough
        people for its invitations (``population=None`` skips this).

    Returns
    -------
    DataFrame
        segment, channel, sample_share, response_rate, respondents, invitations, and
        ``enough_people`` (the segment's invitations over all channels fit in its population).
    """
    missing = [c for c in (segment, respondents) + ((population,) if population else ()) if c not in allocation]
    if missing:
        raise ParameterError(f"allocation table lacks column(s) {missing}; it has {list(allocation.columns)}")
    table = _channel_table(channels)
    keep = [segment, respondents] + ([population] if population else [])
    plan = allocation[keep].rename(columns={respondents: "segment_respondents"}).merge(table, how="cross")
    wanted = _ceil(plan["segment_respondents"].to_numpy() * plan["sample_share"].to_numpy())
    plan = plan.assign(respondents=wanted.astype(int),
                       invitations=_ceil(wanted / plan["response_rate"].to_numpy()).astype(int))
    if population:
        total = plan.groupby(segment, sort=False)["invitations"].transform("sum")
        plan = plan.assign(enough_people=total <= plan[population])
        plan = plan.drop(columns=[population])
    return plan.drop(columns=["segment_respondents"]).rename(columns={segment: "segment"})


def segment_sizes(source, segment: str = "segment", *, file: str = "the customer list") -> pd.DataFrame:
    """Number of people per segment: segment, population.

    Parameters
    ----------
    source : DataFrame or dict
        A customer list with one row per person (counted per ``segment``; rows without a segment
        form a group "(missing)" so every row is counted), or ``{segment: population size}``.
    segment : str
        Segment column of the customer list.
    file : str
        Name of the source, for error messages.
    """
    if isinstance(source, Mapping):
        sizes = pd.DataFrame({"segment": [str(k) for k in source], "population": list(source.values())})
        bad = sizes[~(pd.to_numeric(sizes["population"], errors="coerce") >= 1)]
        if len(bad):
            raise ParameterError(f"segment sizes must be numbers >= 1; got {dict(zip(bad['segment'], bad['population']))}")
        return sizes.astype({"population": int})
    if segment not in source.columns:
        raise DataError(f"{file}: no segment column {segment!r}; the columns are: "
                        + ", ".join(repr(c) for c in source.columns))
    labels = source[segment].astype("string").fillna("(missing)")
    counted = labels.value_counts(sort=False).sort_index()
    return pd.DataFrame({"segment": counted.index.astype(str), "population": counted.to_numpy().astype(int)})


def previous_wave_counts(
    path: str,
    score: str = "score",
    wave_column: str | None = "wave",
    wave: str = "latest",
    nonresponse: str = "exclude",
) -> tuple[Counts, str]:
    """Counts (detractors, passives, promoters) of one wave of a responses file, and its label.

    The anticipated distribution for a new study; non-responders are treated by ``nonresponse``
    as in :func:`nps_kit.core.scores.counts`.
    """
    from nps_kit.engines.dispatch import read_responses
    from nps_kit.core.scores import counts
    from nps_kit.data.selection import select_wave

    loaded = read_responses(path, score, wave=wave_column or None)
    rows, label = select_wave(loaded.data, wave, wave_column or None, file=str(path))
    return counts(rows[score], nonresponse=nonresponse), label


__all__ = [
    "allocate_segments", "blended_response_rate", "fieldwork_advice", "invitations",
    "previous_wave_counts", "questionnaire", "segment_invitations", "segment_sizes",
]
