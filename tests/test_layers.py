"""The house rules of nps_kit's layout, read from the code's own imports (AST, nothing run).

Layers, lowest first; a module may import from its own layer and the layers below, never above,
at the top of the file or inside a function:

    foundation (errors, _version) < core < privacy < data < engines
        < capabilities (design, waves, groups, revenue, outcomes, enps, themes, simulate,
          teaching) < plots < reports < cli

The package's face (``nps_kit/__init__.py``) may import from any layer below cli. Also checked:
no circle of imports between modules, no module takes another module's private names
(``from x import _name``), and every module of the package declares ``__all__``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "nps_kit"
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("nps_kit._version", "nps_kit.errors")),
    ("core", ("nps_kit.core",)),
    ("privacy", ("nps_kit.privacy",)),
    ("data", ("nps_kit.data",)),
    ("engines", ("nps_kit.engines",)),
    ("capabilities", ("nps_kit.design", "nps_kit.waves", "nps_kit.groups", "nps_kit.revenue",
                      "nps_kit.outcomes", "nps_kit.enps", "nps_kit.themes", "nps_kit.simulate",
                      "nps_kit.teaching")),
    ("plots", ("nps_kit.plots",)),
    ("reports", ("nps_kit.reports",)),
    ("cli", ("nps_kit.cli", "nps_kit.__main__")),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def layer_of(name: str) -> int | None:
    for i, (_, prefixes) in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return i
    return None


def imports(path: Path, name: str, known: set[str]) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken, line) for every nps_kit import in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("nps_kit")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            if not base.startswith("nps_kit"):
                continue
            for a in node.names:  # "from nps_kit.x import y" may name a module y
                target = f"{base}.{a.name}"
                if target in known:
                    out.append((target, [], node.lineno))
                else:
                    out.append((base, [a.name], node.lineno))
    return out


MODULES = modules()
GRAPH = {name: imports(path, name, set(MODULES)) for name, path in MODULES.items()}


def test_every_module_belongs_to_a_layer():
    loose = [m for m in MODULES if m != "nps_kit" and layer_of(m) is None
             and not m.startswith(("nps_kit.schemas",))]
    assert loose == [], "modules outside every layer: add them to a subpackage of a layer"


def test_no_import_runs_up_a_layer():
    up = []
    for name, edges in GRAPH.items():
        mine = layer_of(name)
        if mine is None:
            continue
        for target, _, line in edges:
            theirs = layer_of(target)
            if theirs is not None and theirs > mine:
                up.append(f"{MODULES[name].relative_to(ROOT.parent)}:{line} ({LAYERS[mine][0]}) "
                          f"imports {target} ({LAYERS[theirs][0]})")
    assert up == []


def test_the_face_imports_nothing_from_the_cli():
    assert not [t for t, _, _ in GRAPH["nps_kit"] if layer_of(t) == len(LAYERS) - 1]


def test_no_circle_of_imports():
    edges = {n: {t for t, _, _ in e if t in MODULES and t != n} for n, e in GRAPH.items()}
    state: dict[str, int] = {}
    circles = []

    def visit(n: str, path: list[str]) -> None:
        state[n] = 1
        for t in sorted(edges[n]):
            if state.get(t) == 1:
                circles.append(" -> ".join(path[path.index(t):] + [t]))
            elif t not in state:
                visit(t, path + [t])
        state[n] = 2

    for n in sorted(edges):
        if n not in state:
            visit(n, [n])
    assert circles == []


def test_no_private_name_taken_from_another_module():
    taken = [f"{MODULES[n].relative_to(ROOT.parent)}:{line} takes {names} from {t}"
             for n, e in GRAPH.items() for t, names, line in e
             if t != n and any(x.startswith("_") and x != "__version__" for x in names)]
    assert taken == []


@pytest.mark.parametrize("name", [m for m in MODULES if not MODULES[m].name == "__init__.py"
                                  and not m.endswith("__main__")])
def test_every_module_declares_its_public_names(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    declared = [n for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign))
                and any(isinstance(t, ast.Name) and t.id == "__all__"
                        for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))]
    assert declared, f"{name} has no __all__"
