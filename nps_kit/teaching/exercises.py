"""Self-checks for the notebooks' exercises, their worked answers, and the end-of-notebook quizzes.

An exercise asks the student to change a parameter, run the notebook again and write an answer
into a variable; :func:`exercise` compares that answer with the value the notebook has just
computed from *the same run*, so the check stays right whatever the parameters are. A collapsed
cell tagged ``solution`` holds the worked answer (:func:`solution`), written from the same numbers.
A quiz (:func:`show_quiz`, :func:`check_quiz`) is a few multiple-choice questions per notebook on
the ideas rather than the numbers; its questions and key live in :data:`QUIZZES`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from nps_kit.core.safetext import display_text
from nps_kit.errors import ParameterError
from nps_kit.teaching.quizzes import QUIZZES, Question

STATUSES = ("right", "not yet", "no answer", "set up first")
"""What a self-check can say: the answer is right, wrong, missing, or the run is not yet the one
the exercise asks for (a parameter still has its default)."""

_MARK = {"right": "Right", "not yet": "Not yet", "no answer": "No answer yet",
         "set up first": "Set up first"}


@dataclass(frozen=True, repr=False)
class Check:
    """The verdict of one exercise's self-check.

    Attributes
    ----------
    exercise : str
        The exercise's label, e.g. ``"1"``.
    status : str
        One of :data:`STATUSES`.
    message : str
        One sentence for the student.
    expected : Any
        The answer this run of the notebook gives (shown only by :func:`solution`).
    unit : str
        Unit of a numeric answer ("points", "respondents"), for the worked answer.
    """

    exercise: str
    status: str
    message: str
    expected: Any
    unit: str = ""
    shows_value: bool = True

    def _repr_markdown_(self) -> str:
        # the message is composed here with every outside value already through display_text
        return f"**Exercise {display_text(self.exercise)}: {_MARK[self.status]}.** {self.message}"

    def __repr__(self) -> str:  # what a notebook shows where Markdown is not rendered
        return f"Exercise {self.exercise}: {_MARK[self.status]}. {self.message}"


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        x = float(str(value).strip().replace(",", "").rstrip("%").replace("+", "", 1))
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def format_expected(expected: Any, unit: str = "", decimals: int = 1) -> str:
    """The expected answer as the worked answer prints it (numbers rounded to ``decimals``)."""
    if isinstance(expected, bool):
        return "yes" if expected else "no"
    if expected is None:
        return "none"
    if isinstance(expected, (int, float)):
        text = f"{expected:,.{decimals}f}" if isinstance(expected, float) else f"{expected:,}"
        return f"{text} {unit}".strip()
    return f"{expected} {unit}".strip()


def exercise(label: str, answer: Any, expected: Any, *, tolerance: float = 0.0, unit: str = "",
             choices: tuple[str, ...] = (), setup: tuple[bool, str] | None = None) -> Check:
    """Check a student's answer against the value this run of the notebook computed.

    Parameters
    ----------
    label : str
        The exercise's number as the notebook prints it.
    answer : Any
        What the student wrote; ``None`` (the notebook's default) means "not answered yet".
    expected : float, int, bool or str
        The answer of this run. A number is right within ``tolerance``; a string must be one of
        ``choices`` (compared without case or surrounding spaces); a bool accepts yes/no too.
    tolerance : float
        Largest accepted distance for a numeric answer (use half the last printed digit).
    unit : str
        Unit named in the messages.
    choices : tuple of str
        The closed set of word answers; an answer outside it is named as such.
    setup : (bool, str), optional
        ``(ready, what)``: when ``ready`` is false the run is not the one the exercise asks for,
        and the check says ``what`` to change instead of judging the answer.

    Returns
    -------
    Check
        Displayed as one bold verdict and one sentence.
    """
    if setup is not None and not setup[0]:
        return Check(label, "set up first", f"{setup[1]}, run the notebook again, then this cell.",
                     expected, unit)
    if expected is None:
        return Check(label, "not yet" if answer is not None else "no answer",
                     "this run gives no value to compare with (for example no n qualifies); open the "
                     "worked answer below.", expected, unit)
    if answer is None:
        return Check(label, "no answer", f"write your answer in answer_{label.split('.')[0]} and run this cell.",
                     expected, unit)
    if isinstance(expected, bool):
        word = str(answer).strip().lower()
        given = {"yes": True, "true": True, "no": False, "false": False}.get(word)
        if isinstance(answer, bool):
            given = answer
        if given is None:
            return Check(label, "not yet", f"answer yes or no (you wrote {display_text(answer)}).", expected, unit)
        ok = given == expected
        return Check(label, "right" if ok else "not yet",
                     "that is what this run shows." if ok else "look again at the numbers this run printed.",
                     expected, unit)
    if isinstance(expected, str):
        if not choices:
            raise ParameterError("exercise(): a word answer needs its closed set of choices")
        word = str(answer).strip().lower()
        allowed = [c.lower() for c in choices]
        if word not in allowed:
            return Check(label, "not yet", f"answer one of {', '.join(display_text(c) for c in choices)} "
                         f"(you wrote {display_text(answer)}).",
                         expected, unit)
        ok = word == expected.lower()
        return Check(label, "right" if ok else "not yet",
                     "that is what this run shows." if ok else "look again at the numbers this run printed.",
                     expected, unit)
    x = _number(answer)
    if x is None:
        return Check(label, "not yet", f"write a number (you wrote {display_text(answer)}).", expected, unit)
    off = x - float(expected)
    if abs(off) <= tolerance + 1e-9:
        return Check(label, "right", "that is what this run gives.", expected, unit)
    direction = "too high" if off > 0 else "too low"
    return Check(label, "not yet", f"{format_expected(x, unit)} is {direction}; recompute it from the numbers above.",
                 expected, unit)


def goal(label: str, reached: bool, missing: str, *, changed: bool = True, what: str = "") -> Check:
    """Self-check of a construction exercise ("make the NPS rise while the mean falls").

    Parameters
    ----------
    label : str
        The exercise's number.
    reached : bool
        Whether this run meets the exercise's goal.
    missing : str
        What is still missing when it does not (one clause, from this run's numbers).
    changed : bool
        False while the parameters still have their defaults.
    what : str
        The parameters to change, named in the "set up first" message.
    """
    if not changed:
        return Check(label, "set up first", f"change {what}, run the notebook again, then this cell.",
                     reached, shows_value=False)
    if reached:
        return Check(label, "right", "this run meets the goal.", reached, shows_value=False)
    return Check(label, "not yet", f"{missing}.", reached, shows_value=False)


@dataclass(frozen=True, repr=False)
class Solution:
    """A worked answer: the value of this run and why, shown in a collapsed cell."""

    check: Check
    text: str

    def _repr_markdown_(self) -> str:
        head = f"**Answer to exercise {display_text(self.check.exercise)}"
        if self.check.shows_value:
            head += f": {display_text(format_expected(self.check.expected, self.check.unit))}"
        # the text is the notebook's prose and sentences, whose data values went through display_text
        return f"{head}.** {self.text}"

    def __repr__(self) -> str:
        return self._repr_markdown_().replace("**", "")


def solution(check: Check, text: str) -> Solution:
    """The worked answer of ``check``'s exercise: the value of this run and the reasoning ``text``."""
    return Solution(check, text)


@dataclass(frozen=True, repr=False)
class QuizResult:
    """How many quiz questions are right, and a line per question."""

    notebook: str
    right: int
    total: int
    lines: tuple[str, ...]

    def _repr_markdown_(self) -> str:
        body = "\n".join(f"- {line}" for line in self.lines)
        return f"**Quiz: {self.right} of {self.total} right.**\n\n{body}"

    def __repr__(self) -> str:
        return f"Quiz: {self.right} of {self.total} right. " + " ".join(self.lines)


@dataclass(frozen=True, repr=False)
class QuizSheet:
    """The questions of one notebook's quiz, for display."""

    notebook: str
    questions: tuple[Question, ...]

    def _repr_markdown_(self) -> str:
        parts = []
        for i, q in enumerate(self.questions, start=1):
            options = "\n".join(f"    - ({letter}) {display_text(text, max_chars=None)}"
                                for letter, text in zip("abcd", q.choices))
            parts.append(f"{i}. {display_text(q.text, max_chars=None)}\n{options}")
        return "\n".join(parts)

    def __repr__(self) -> str:
        return self._repr_markdown_()


def _quiz(notebook: str) -> tuple[Question, ...]:
    if notebook not in QUIZZES:
        raise ParameterError(f"no quiz for notebook {notebook!r}; there are {', '.join(sorted(QUIZZES))}")
    return QUIZZES[notebook]


def show_quiz(notebook: str) -> QuizSheet:
    """The quiz of ``notebook`` (``"01"`` ... ), numbered, with lettered choices."""
    return QuizSheet(notebook, _quiz(notebook))


def check_quiz(notebook: str, answers: str | None) -> QuizResult:
    """Mark a quiz: ``answers`` is one letter per question in order, e.g. ``"b a c"``.

    Each line says right or not and, for a wrong or missing answer, why the right choice is right.
    """
    questions = _quiz(notebook)
    given = [] if answers is None else [a for a in str(answers).lower().replace(",", " ").split() if a]
    lines, right = [], 0
    for i, q in enumerate(questions, start=1):
        mine = given[i - 1] if i <= len(given) else None
        if mine == q.answer:
            right += 1
            lines.append(f"{i}: right ({q.answer}).")
        elif mine is None:
            lines.append(f"{i}: no answer yet.")
        else:
            lines.append(f"{i}: not yet (you wrote {display_text(mine)}); the answer is ({q.answer}): {q.why}")
    return QuizResult(notebook, right, len(questions), tuple(lines))


__all__ = ["Check", "check_quiz", "exercise", "format_expected", "goal", "QuizResult", "QuizSheet",
           "show_quiz", "Solution", "solution", "STATUSES"]
