"""List and mapping parameters that arrive as text: papermill's ``-p NAME VALUE`` passes strings.

``nps-kit run -p driver_columns '[segment, channel]'`` parses values by their declared type
before the kernel starts, and ``papermill -y`` passes YAML; but ``papermill -p driver_columns
'[segment]'`` injects the string ``"[segment]"``. A template calls :func:`as_list` or
:func:`as_mapping` on each such parameter, so all three ways give the same value, and anything
else is refused with a message that names the parameter.
"""

from __future__ import annotations

from typing import Any

from nps_kit.errors import ParameterError

__all__ = ["as_list", "as_mapping"]


def _parse(value: str, name: str, kind: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(value)
    except yaml.YAMLError:
        raise ParameterError(
            f"parameter {name} = {value!r} is not a {kind} written as YAML or JSON; write it as "
            + ("'[a, b]' (or -y \"" + name + ": [a, b]\")" if kind == "list" else
               "'{a: 1, b: 2}' (or -y \"" + name + ": {a: 1, b: 2}\")")) from None


def as_list(value: Any, name: str, *, optional: bool = False) -> list | None:
    """``value`` as a list: a list stays, text holding a YAML/JSON list is parsed.

    Examples
    --------
    >>> as_list("[segment, channel]", "driver_columns"), as_list(["a"], "x"), as_list("[]", "x")
    (['segment', 'channel'], ['a'], [])
    """
    if value is None and optional:
        return None
    if isinstance(value, str):
        value = _parse(value, name, "list")
        if value is None and optional:
            return None
    if isinstance(value, (list, tuple)):
        return list(value)
    raise ParameterError(f"parameter {name} must be a list, such as '[a, b]'; got {value!r}")


def as_mapping(value: Any, name: str) -> dict:
    """``value`` as a mapping: a dict stays, text holding a YAML/JSON mapping is parsed.

    Examples
    --------
    >>> as_mapping("{A: 600, B: 900}", "segments")
    {'A': 600, 'B': 900}
    """
    if isinstance(value, str):
        value = _parse(value, name, "mapping")
    if isinstance(value, dict):
        return dict(value)
    raise ParameterError(f"parameter {name} must be a mapping, such as '{{a: 1, b: 2}}'; got {value!r}")
