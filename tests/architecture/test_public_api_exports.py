"""Every public module says what it exports, and says it completely and in order."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "smscloud"


def _modules() -> list[str]:
    names = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC.parent).with_suffix("")
        parts = list(relative.parts)
        if "migrations" in parts or any(p.startswith("_") and p != "__init__" for p in parts):
            continue
        if parts[-1] == "__init__":
            continue
        names.append(".".join(parts))
    return names


def _ruff_order(names: list[str]) -> list[str]:
    """RUF022's isort-style order: SCREAMING_CASE, then CamelCase, then the rest, each sorted."""

    def key(name: str) -> tuple[int, str]:
        if name.isupper() or (name.upper() == name and "_" in name):
            return (0, name)
        if name[:1].isupper():
            return (1, name)
        return (2, name)

    return sorted(names, key=key)


@pytest.mark.parametrize("module_name", _modules())
def test_all_is_sorted_and_complete(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{module_name} has no __all__"
    assert list(exported) == _ruff_order(list(exported)), f"{module_name}.__all__ is not sorted"
    for name in exported:
        assert hasattr(module, name), f"{module_name}.__all__ names {name}, which does not exist"
    tree = ast.parse(Path(inspect.getfile(module)).read_text())
    defined = {
        node.name
        for node in tree.body
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_")
    }
    missing = defined - set(exported)
    assert not missing, f"{module_name} defines public {sorted(missing)} but does not export them"
