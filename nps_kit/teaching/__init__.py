"""Simulations and worked examples behind the teaching notebooks (``notebooks/``), one module a
notebook: :mod:`~nps_kit.teaching.basics` (01), :mod:`~nps_kit.teaching.precision` (02),
:mod:`~nps_kit.teaching.coverage` (03), :mod:`~nps_kit.teaching.pitfalls` (04),
:mod:`~nps_kit.teaching.action` (05); shared helpers in :mod:`~nps_kit.teaching.helpers`; the
exercises' self-checks and the quizzes in :mod:`~nps_kit.teaching.exercises`. Every number a notebook shows is computed here and tested.

The face: ``from nps_kit import teaching`` gives the functions of all of them.
"""

from nps_kit.teaching.action import describe_theme_lift
from nps_kit.teaching.basics import (
    mean_rises_nps_falls, MEAN_TRAP_AFTER, MEAN_TRAP_BEFORE, score_statistics,
    scores_from_distribution,
)
from nps_kit.teaching.precision import (
    population_counts, simulated_margin,
)
from nps_kit.teaching.coverage import (
    coverage_conclusions, COVERAGE_NS, COVERAGE_SCENARIOS, coverage_study, coverage_verdict,
    RESAMPLING_METHODS,
)
from nps_kit.teaching.pitfalls import (
    ChannelBias, describe_channel_bias, incentive_inflation, IncentiveInflation, latent_score_nps, measured_vs_truth,
    nonresponse_rules, NONRESPONSE_SHAPES, peeking, SampleSwings, simulate_email_only_bias,
    small_sample_swings,
)

__all__ = [
    "describe_theme_lift", "ChannelBias", "coverage_conclusions", "COVERAGE_NS", "COVERAGE_SCENARIOS", "coverage_study",
    "coverage_verdict", "incentive_inflation", "IncentiveInflation", "latent_score_nps",
    "mean_rises_nps_falls", "MEAN_TRAP_AFTER", "MEAN_TRAP_BEFORE", "measured_vs_truth",
    "nonresponse_rules", "NONRESPONSE_SHAPES", "population_counts", "RESAMPLING_METHODS",
    "SampleSwings", "score_statistics", "scores_from_distribution", "simulate_email_only_bias",
    "simulated_margin", "small_sample_swings", "peeking", "describe_channel_bias",
]
