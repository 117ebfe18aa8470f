"""The package's `__all__`: sorted, complete, and free of I/O imports."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import smscloud.protocols.smpp as smpp

MODULES = [info.name for info in pkgutil.iter_modules(smpp.__path__) if not info.name.startswith("_")]


def ruff_order(name: str) -> tuple[int, str]:
    """RUF022's "isort-style" order: SCREAMING_CASE, then CamelCase, then the rest."""
    if name.isupper():
        return 0, name
    return (1, name) if name[0].isupper() else (2, name)


def test_all_is_sorted():
    assert smpp.__all__ == sorted(smpp.__all__, key=ruff_order)


def test_all_is_the_union_of_the_public_modules():
    names: list[str] = []
    for module_name in MODULES:
        module = importlib.import_module(f"{smpp.__name__}.{module_name}")
        assert module.__all__ == sorted(module.__all__, key=ruff_order), module_name
        names.extend(module.__all__)
    assert len(names) == len(set(names)), "a name is exported by two modules"
    assert set(smpp.__all__) == set(names)
    for name in smpp.__all__:
        assert getattr(smpp, name) is not None


def test_importing_the_codec_imports_no_io():
    code = (
        "import sys, smscloud.protocols.smpp; "
        "bad = {'asyncio', 'socket', 'selectors', 'ssl'} & set(sys.modules); "
        "print(sorted(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
