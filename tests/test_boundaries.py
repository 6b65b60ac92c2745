"""The three packages stay apart: the app never imports server code, relay and simulator never
import each other (the simulator must stay an honest double)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("cna_app", "cna_relay", "invgate_sim")
FORBIDDEN = {
    "cna_app": {"cna_relay", "invgate_sim"},
    "cna_relay": {"invgate_sim"},
    "invgate_sim": {"cna_relay", "cna_app"},
}


def imported_top_level_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                names.add(node.args[0].value.split(".")[0])
    return names


def violations(package: str) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imported_top_level_names(path.read_text(encoding="utf-8")) & FORBIDDEN[package]:
            found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_package_respects_import_boundaries(package: str) -> None:
    assert (ROOT / package / "__init__.py").exists()
    assert violations(package) == []


def test_the_checker_catches_each_import_form() -> None:
    source = "import cna_relay.app\nfrom invgate_sim import x\nimportlib.import_module('cna_relay.y')\n"
    assert imported_top_level_names(source) >= {"cna_relay", "invgate_sim"}
    assert "cna_relay" in imported_top_level_names("importlib.import_module('cna_relay.y')")


def test_app_contract_imports_nothing_heavy() -> None:
    """The contract is shared with the relay and shipped to phones: no flet, no pydantic in it."""
    heavy = {"flet", "pydantic", "fastapi", "sqlalchemy"}
    for path in (ROOT / "cna_app" / "contract").rglob("*.py"):
        assert imported_top_level_names(path.read_text(encoding="utf-8")) & heavy == set(), path
