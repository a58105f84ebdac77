"""The end-of-notebook quizzes: a few multiple-choice questions per teaching notebook, with the key.

The questions test the ideas of the notebook, not one run's numbers, so they hold for any
parameters. :func:`nps_kit.teaching.exercises.show_quiz` prints them and
:func:`nps_kit.teaching.exercises.check_quiz` marks an answer string such as ``"b a c"``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """One multiple-choice question: the text, its choices (a, b, c, ...), the key and why."""

    text: str
    choices: tuple[str, ...]
    answer: str
    why: str


QUIZZES: dict[str, tuple[Question, ...]] = {
    "01": (
        Question("A customer moves from 0 to 6. What happens to the NPS?",
                 ("it rises", "it does not change", "it falls"), "b",
                 "0 and 6 are both detractors; only crossing a category boundary moves the NPS."),
        Question("200 answers: 90 promoters, 50 passives, 60 detractors. The NPS is",
                 ("+15", "+30", "+45"), "a", "100 x (90 - 60) / 200 = +15; passives count in n."),
        Question("Which yardstick makes an NPS change meaningful?",
                 ("an industry benchmark list", "your own earlier waves, measured the same way",
                  "the mean of the raw 0-10 scores"), "b",
                 "channel, timing and who is asked move the score; only your own past holds them fixed."),
    ),
    "02": (
        Question("The classic calculator's +-3 % margin for a share corresponds, for an NPS, to about",
                 ("+-3 points", "+-6 points", "+-1.5 points"), "b",
                 "an NPS is a difference of two shares; its worst-case variance is 4 times a share's."),
        Question("Doubling the number of respondents makes the margin",
                 ("half as wide", "about 0.71 times as wide", "unchanged"), "b",
                 "the margin shrinks with 1 / sqrt(n): 1 / sqrt(2) = 0.71."),
        Question("When the sample is a large part of the population, the margin",
                 ("grows", "shrinks by the finite population correction", "is undefined"), "b",
                 "sampling without replacement from N leaves less uncertainty: sqrt((N - n) / (N - 1))."),
    ),
    "03": (
        Question("A 95 % interval method 'covers 95 %' means",
                 ("95 % of respondents lie inside it",
                  "over many samples, 95 % of the intervals contain the true NPS",
                  "the true NPS is inside with probability 0.95 in this sample"), "b",
                 "coverage is a property of the method over repeated samples, not of one interval."),
        Question("With 10 respondents near the top of the scale, the plain Wald interval",
                 ("covers about 95 %", "covers far less than 95 %", "covers 100 %"), "b",
                 "with few answers all promoters the estimated variance is often 0 and the interval collapses."),
        Question("Which interval does nps-kit use by default?",
                 ("Wald", "adjusted Wald", "bootstrap"), "b",
                 "it is near nominal across n and scenarios in the coverage study, and cheap."),
    ),
    "04": (
        Question("E-mail-only fieldwork tends to bias the NPS because",
                 ("e-mail is less accurate", "who answers depends on how they feel",
                  "e-mail answers are rounded"), "b",
                 "non-response that depends on the score changes the mix of answers."),
        Question("A wave run with a changed procedure should be",
                 ("compared as usual", "compared only with a note, or not at all", "averaged in"), "b",
                 "a change of channel or wording moves the score by itself; the gap is not loyalty."),
        Question("Looking at a running test after every batch and stopping at the first p < 0.05",
                 ("keeps the false alarm rate at 5 %", "raises it well above 5 %", "lowers it"), "b",
                 "every look is another chance for noise to cross the line."),
    ),
    "05": (
        Question("A theme's lift among detractors compares",
                 ("its share among detractors with its share among promoters",
                  "its count with the total", "its NPS with the average"), "a",
                 "lift = share of detractors mentioning it / share of promoters mentioning it."),
        Question("Coding 20 themes and reporting every unadjusted interval that excludes 1",
                 ("is fine", "finds chance 'effects' often", "is impossible"), "b",
                 "many tests at 5 % each give false positives; adjust (Holm) before acting."),
        Question("A shareable report about call lists should show",
                 ("the customers' e-mail addresses", "counts only", "customer ids"), "b",
                 "identifiers stay in the call list itself, not in a report that travels."),
    ),
    "06": (
        Question("A non-significant change means",
                 ("nothing changed", "the data cannot tell; test equivalence to claim 'no change'",
                  "the change is exactly zero"), "b",
                 "absence of evidence is not evidence of absence; two one-sided tests against a margin are."),
        Question("Empirical-Bayes shrinkage moves a small store's NPS",
                 ("towards the overall mean", "away from the mean", "not at all"), "a",
                 "few answers carry little information, so the estimate borrows from the others."),
        Question("A control chart's run rule flags a month",
                 ("when one point is outside the limits", "when several points in a row lie on one side of the centre",
                  "every December"), "b",
                 "a run can only be declared when its last month arrives."),
    ),
    "07": (
        Question("Two waves of 300 independent answers each: the margin of the change is",
                 ("the same as one wave's", "about 1.4 times one wave's", "twice one wave's"), "b",
                 "variances add: sqrt(2) = 1.41 times the margin of one wave of the same size."),
        Question("The ten worst stores of wave 1 'improve' in wave 2 with no real change because",
                 ("of regression to the mean", "of the finite population correction", "of weighting"), "a",
                 "a store ranked worst partly by bad luck is likely to have better luck next time."),
        Question("Testing 40 teams at 5 % each with no real change, about how many look 'significant'?",
                 ("none", "about 2", "about 20"), "b",
                 "40 x 0.05 = 2 expected false alarms; Holm's adjustment controls this."),
    ),
    "08": (
        Question("A bootstrap resample draws",
                 ("n answers without replacement", "n answers with replacement", "n / 2 answers"), "b",
                 "with replacement, so each resample differs from the sample."),
        Question("The percentile interval takes",
                 ("the 2.5th and 97.5th percentiles of the resampled NPS", "the mean +- 2",
                  "the smallest and largest resampled NPS"), "a",
                 "the middle 95 % of the bootstrap distribution."),
        Question("With 5 answers, the bootstrap interval is",
                 ("reliable", "too narrow: it can only reshuffle the 5 answers it has", "always [-100, 100]"), "b",
                 "a resample never contains a category the sample lacks."),
    ),
    "09": (
        Question("Why are eNPS groups below a threshold hidden?",
                 ("they are noisy", "a few answers can identify people", "both"), "c",
                 "small groups give wide intervals and expose individuals."),
        Question("A subtraction attack recovers a hidden group from",
                 ("a total and the other published groups", "its comments", "the threshold"), "a",
                 "hidden = total - sum of the shown groups, when the rest is published."),
        Question("Complementary suppression hides",
                 ("only the small group", "a second group too, so the difference reveals nothing",
                  "the whole table"), "b",
                 "with two cells hidden the subtraction gives only their sum."),
    ),
    "10": (
        Question("With ten looks at 5 % each and no real change, the false alarm rate is about",
                 ("5 %", "20 %", "50 %"), "b",
                 "each look is a new chance for noise to cross the line: about 0.2 for ten looks."),
        Question("An O'Brien-Fleming boundary",
                 ("is strict early and close to 1.96 at the end", "is 1.96 at every look",
                  "is loose early"), "a",
                 "early looks need overwhelming evidence, so the final test keeps nearly its full power."),
        Question("Stopping fielding when the margin reaches the planned one is",
                 ("peeking", "a precision stop that does not test a hypothesis", "forbidden"), "b",
                 "a stop on the interval's width, not on its position, does not bias the estimate much."),
    ),
}
"""Questions per notebook number ("01" ... "10")."""

__all__ = ["Question", "QUIZZES"]
