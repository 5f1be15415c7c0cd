"""The import-linter contracts in pyproject.toml (run by `make lint`) fail on an upward import.

Each test lints a copy of the project with one import added, so the real tree is never touched.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("api", "config", "constitutions", "core", "deliberation", "frontend")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture
def tree(tmp_path):
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "locale"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint(tree: Path) -> subprocess.CompletedProcess:
    # The copy comes first on the path, so it is the copy's imports that are analysed.
    return subprocess.run(  # noqa: S603 - our own venv's lint-imports, fixed arguments
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": str(LINT_IMPORTS.parent)},
        capture_output=True,
        text=True,
        check=False,
    )


def add_import(module: Path, statement: str) -> None:
    module.write_text(module.read_text() + f"\n{statement}\n")


def test_contracts_hold_for_the_project_as_it_is(tree):
    result = lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


LAYERS = "frontend and api above constitutions"
PURE = "deliberation.opinions (the bottom of deliberation)"
CONFIG = "config composes the apps"


@pytest.mark.parametrize(
    ("module", "imported", "contract"),
    [
        ("deliberation.models", "frontend.urls", LAYERS),
        ("deliberation.services.analysis", "constitutions.models", LAYERS),
        ("constitutions.models", "api.urls", LAYERS),
        ("frontend.views.results", "api.exports", LAYERS),
        ("core.errors", "deliberation.models", LAYERS),
        ("deliberation.opinions.pca", "django", PURE),
        ("deliberation.opinions.pca", "deliberation.models", PURE),
        ("deliberation.services.routing", "config.settings", CONFIG),
    ],
)
def test_contracts_fail_on_an_import_against_the_layers(tree, module, imported, contract):
    add_import(tree / (module.replace(".", "/") + ".py"), f"import {imported}")
    result = lint(tree)
    assert result.returncode != 0
    assert "1 broken" in result.stdout, result.stdout
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in broken
    assert f"{module} -> {imported}" in broken


def _readme_layout() -> list[str]:
    """The lines of the README's layout block: the first code block after "## Architecture"
    whose first line names config/."""
    architecture = (ROOT / "README.md").read_text().split("## Architecture", 1)[1]
    blocks = architecture.split("```")[1::2]
    return next(b for b in blocks if b.strip().startswith("config/")).strip().splitlines()


def test_readme_layout_names_the_folders_as_they_are():
    listed, parent = set(), None
    for line in _readme_layout():
        name = line.split()[0] if line.strip() else ""
        if not name.endswith("/"):
            continue  # a description wrapped onto the next line
        if line.startswith("  "):
            assert (ROOT / parent / name).is_dir(), f"README lists {parent}{name}"
        else:
            parent = name
            listed.add(name.rstrip("/"))
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert listed == packages | {"bench"}
