"""Exceptions and warnings raised by nps-kit.

Every problem with a user's data or options raises a subclass of :class:`NPSKitError`
whose message says what is wrong, where (file, column, rows, values) and what to do.
The command line turns these into a short message on stderr and exit code 2.
"""

from __future__ import annotations


class NPSKitError(Exception):
    """Base class of every error nps-kit raises on purpose."""


class DataError(NPSKitError, ValueError):
    """The input data cannot be used as it is (bad scores, duplicate ids, missing columns)."""


class ParameterError(NPSKitError, ValueError):
    """An option or parameter has a value outside its allowed set or range."""


class TemplateError(NPSKitError):
    """A report template failed to run or was given parameters it does not declare."""


class NPSKitWarning(UserWarning):
    """Something in the results deserves the reader's attention (small groups, changed protocol)."""


def check_option(name: str, value: str, allowed: tuple[str, ...] | list[str]) -> str:
    """Return ``value`` if it is one of ``allowed``; otherwise raise a ParameterError listing them.

    Examples
    --------
    >>> check_option("method", "wald", ("wald", "score"))
    'wald'
    """
    if value not in allowed:
        raise ParameterError(
            f"{name}={value!r} is not a valid option; use one of: "
            + ", ".join(repr(a) for a in allowed)
        )
    return value


def check_confidence(confidence: float) -> float:
    """Return ``confidence`` as a float if it lies strictly between 0 and 1."""
    try:
        c = float(confidence)
    except (TypeError, ValueError):
        raise ParameterError(f"confidence={confidence!r} is not a number; give a level such as 0.95") from None
    if not 0.0 < c < 1.0:
        raise ParameterError(
            f"confidence={confidence!r} must lie strictly between 0 and 1 (for example 0.95 for 95 %)"
        )
    return c


__all__ = [
    "check_confidence", "check_option", "DataError", "NPSKitError", "NPSKitWarning",
    "ParameterError", "TemplateError",
]
