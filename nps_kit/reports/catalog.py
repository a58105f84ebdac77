"""The report templates shipped with nps-kit: finding them, their purpose and their parameters.

Templates are Jupyter notebooks in the package's ``nps_kit.templates`` folder (the repository's
``templates/``). Each declares its parameters in the first code cell tagged ``parameters``, one
per line, as a literal with a type annotation and a help comment::

    confidence: float = 0.95  # confidence level of the intervals

This module reads those declarations with :mod:`ast` (no kernel, no execution) and checks
values given on the command line or in a YAML file against them before anything runs.
"""

from __future__ import annotations

import ast
import datetime as _dt
import io
import json
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from nps_kit.data.bundled import bundled_folder
from nps_kit.errors import ParameterError, TemplateError

PARAMETERS_TAG = "parameters"


@dataclass(frozen=True)
class TemplateParameter:
    """One declared parameter of a template.

    Attributes
    ----------
    name : str
        Variable name in the parameters cell.
    type : str
        The annotation as written (``"float"``, ``"list[str]"``, ``"str | None"``); ``""`` if
        there is none (any literal is accepted then).
    default : Any
        The literal default value.
    help : str
        The comment written after the declaration.
    """

    name: str
    type: str
    default: Any
    help: str

    def as_dict(self) -> dict[str, Any]:
        """The parameter as JSON-ready dict (name, type, default, help)."""
        return {"name": self.name, "type": self.type, "default": self.default, "help": self.help}


@dataclass(frozen=True)
class Template:
    """A report template: its name, file, one-line purpose and declared parameters."""

    name: str
    path: Path
    purpose: str
    parameters: tuple[TemplateParameter, ...]

    @property
    def parameter_names(self) -> tuple[str, ...]:
        """Names of the declared parameters, in declaration order."""
        return tuple(p.name for p in self.parameters)

    @property
    def defaults(self) -> dict[str, Any]:
        """Parameter name -> default value."""
        return {p.name: p.default for p in self.parameters}

    @property
    def summary(self) -> pd.DataFrame:
        """One row per parameter: name, type, default, help."""
        return pd.DataFrame(
            [p.as_dict() for p in self.parameters], columns=["name", "type", "default", "help"]
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready description (name, purpose, parameters), as ``nps-kit templates --json`` prints."""
        return {
            "name": self.name,
            "purpose": self.purpose,
            "parameters": [p.as_dict() for p in self.parameters],
        }

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False)


def _comments_by_line(source: str) -> dict[int, str]:
    """Line number (1-based) -> text of the comment on that line."""
    comments: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    return comments


def parse_parameters(source: str, template: str = "template") -> tuple[TemplateParameter, ...]:
    """Read the declarations of a ``parameters`` cell.

    Every top-level assignment to a single name is a parameter; its value must be a Python
    literal (number, string, bool, None, list, dict, tuple).

    Raises
    ------
    TemplateError
        If the cell is not valid Python or a default is not a literal.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise TemplateError(f"{template}: the parameters cell is not valid Python ({exc})") from None
    comments = _comments_by_line(source)
    params: dict[str, TemplateParameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
            name, annotation, value = node.target.id, ast.unparse(node.annotation), node.value
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name)):
            name, annotation, value = node.targets[0].id, "", node.value
        else:
            continue
        if isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Constant) \
                and isinstance(node.annotation.value, str):
            annotation = node.annotation.value  # a string annotation such as "Optional[int]"
        try:
            default = ast.literal_eval(value)
        except ValueError:
            raise TemplateError(
                f"{template}: parameter {name!r} needs a literal default (got "
                f"{ast.unparse(value)!r}); put derived values in the next cell"
            ) from None
        params[name] = TemplateParameter(name, annotation, default, comments.get(node.lineno, ""))
    return tuple(params.values())


def _purpose(nb: dict) -> str:
    meta = (nb.get("metadata") or {}).get("nps_kit") or {}
    if meta.get("purpose"):
        return str(meta["purpose"]).strip()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.lstrip().startswith("#"):
                    return line.lstrip().lstrip("#").strip()
    return ""


def _cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def load_template(path: str | Path, name: str | None = None) -> Template:
    """Describe the template notebook at ``path`` (no execution).

    Raises
    ------
    TemplateError
        If the file is not a readable notebook.
    """
    path = Path(path)
    name = name or path.stem
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TemplateError(f"cannot read template {path}: {exc}") from None
    parameters: tuple[TemplateParameter, ...] = ()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and PARAMETERS_TAG in (cell.get("metadata") or {}).get("tags", []):
            parameters = parse_parameters(_cell_source(cell), name)
            break
    return Template(name=name, path=path, purpose=_purpose(nb), parameters=parameters)


def _package_templates() -> dict[str, Path]:
    root = bundled_folder("templates")
    return {
        Path(entry.name).stem: Path(str(entry))
        for entry in root.iterdir()
        if entry.name.endswith(".ipynb") and not entry.name.startswith(".")
    }


def list_templates() -> list[Template]:
    """All templates installed with the package, sorted by name."""
    return [load_template(p, n) for n, p in sorted(_package_templates().items())]


def find_template(name_or_path: str | Path) -> Template:
    """A packaged template by name (``"nps_report"``), or a notebook file by path.

    Raises
    ------
    TemplateError
        If there is no such template; the message lists the installed ones.
    """
    text = str(name_or_path)
    packaged = _package_templates()
    if text in packaged:
        return load_template(packaged[text], text)
    path = Path(text).expanduser()
    if path.suffix == ".ipynb" and path.is_file():
        return load_template(path.resolve())
    raise TemplateError(
        f"there is no template {text!r}; the installed templates are: "
        + (", ".join(sorted(packaged)) or "(none)")
        + " (or give the path of a .ipynb file)"
    )


# --------------------------------------------------------------------------- parameter checks

_NONE_TEXT = {"none", "null", "~", ""}


def _split_union(annotation: str) -> tuple[str, bool]:
    """(inner annotation, allows None) for ``X | None`` / ``Optional[X]``."""
    ann = annotation.strip()
    m = re.fullmatch(r"Optional\[(.*)\]", ann)
    if m:
        return m.group(1).strip(), True
    parts = [p.strip() for p in ann.split("|")]
    if len(parts) > 1 and "None" in parts:
        return " | ".join(p for p in parts if p != "None"), True
    return ann, False


def _base(annotation: str) -> tuple[str, str]:
    """(``list``, ``str``) for ``list[str]``; (``float``, "") for ``float``."""
    m = re.fullmatch(r"(\w+)\s*\[(.*)\]", annotation)
    if m:
        return m.group(1).lower(), m.group(2).strip()
    return annotation.lower(), ""


def _fits(value: Any, annotation: str) -> tuple[bool, Any]:
    """Whether a parsed value fits the annotation, and the value in its declared type."""
    inner, optional = _split_union(annotation)
    if value is None:
        return optional or inner in ("", "None", "Any"), None
    base, arg = _base(inner)
    if base in ("", "any", "none"):
        return True, value
    if base == "bool":
        return isinstance(value, bool), value
    if base == "int":
        return isinstance(value, int) and not isinstance(value, bool), value
    if base == "float":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return ok, float(value) if ok else value
    if base == "str":
        if isinstance(value, (_dt.date, _dt.datetime)):
            return True, value.isoformat()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return True, str(value)
        return isinstance(value, str), value
    if base in ("list", "tuple", "sequence"):
        if not isinstance(value, (list, tuple)):
            return False, value
        items = []
        for item in value:
            ok, v = _fits(item, arg) if arg else (True, item)
            if not ok:
                return False, value
            items.append(v)
        return True, items
    if base in ("dict", "mapping"):
        return isinstance(value, dict), value
    return True, value  # an annotation we do not know: accept any literal


def coerce_parameter(param: TemplateParameter, value: Any, *, from_text: bool) -> Any:
    """Check ``value`` against the parameter's declared type and return it in that type.

    ``from_text=True`` means the value is the raw text given on the command line: for ``str``
    parameters it is used as is; otherwise it is read as YAML (``0.9``, ``true``, ``[a, b]``).

    Raises
    ------
    ParameterError
        If the value does not fit the declared type.
    """
    import yaml

    inner, optional = _split_union(param.type)
    declared_str = _base(inner)[0] == "str"
    parsed = value
    if from_text:
        text = str(value)
        if optional and text.strip().lower() in _NONE_TEXT:
            parsed = None
        elif declared_str:
            parsed = text
        else:
            try:
                parsed = yaml.safe_load(text)
            except yaml.YAMLError:
                parsed = text
    ok, converted = _fits(parsed, param.type)
    if not ok:
        raise ParameterError(
            f"parameter {param.name!r} is declared as {param.type or 'a literal'} "
            f"but got {value!r}" + (f" ({param.help})" if param.help else "")
        )
    return converted


def check_parameters(
    template: Template, values: dict[str, Any], *, from_text: frozenset[str] | set[str] = frozenset()
) -> dict[str, Any]:
    """Validate ``values`` against ``template`` and return every parameter's effective value.

    Parameters
    ----------
    template : Template
        The template whose declarations are used.
    values : dict
        Parameter name -> value given by the user.
    from_text : set of str
        Names whose values are raw command-line text (parsed by the declared type).

    Returns
    -------
    dict
        All declared parameters in declaration order: the default, or the given value in the
        declared type.

    Raises
    ------
    ParameterError
        For a name the template does not declare (the message lists the valid names) or a value
        that does not fit the declared type.
    """
    declared = {p.name: p for p in template.parameters}
    unknown = [k for k in values if k not in declared]
    if unknown:
        valid = ", ".join(declared) or "(this template takes no parameters)"
        raise ParameterError(
            f"template {template.name!r} has no parameter "
            + ", ".join(repr(u) for u in unknown)
            + f"; its parameters are: {valid}"
        )
    effective = dict(template.defaults)
    for name, value in values.items():
        effective[name] = coerce_parameter(declared[name], value, from_text=name in from_text)
    return effective


__all__ = [
    "check_parameters", "coerce_parameter", "find_template", "list_templates", "load_template",
    "PARAMETERS_TAG", "parse_parameters", "Template", "TemplateParameter",
]
