"""The rule files at the top of the repository reach every kind of install."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from newsclaims.rules import RULE_FILES, builtin_rules_dir, load_ruleset

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("hatchling")


def _build(target: str, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", target, "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (artefact,) = out.iterdir()
    return artefact


def test_wheel_carries_the_rule_files(tmp_path: Path) -> None:
    names = set(zipfile.ZipFile(_build("wheel", tmp_path)).namelist())
    assert {f"newsclaims/builtin_rules/{name}.yaml" for name in RULE_FILES} <= names
    # The loader package must not be shadowed by a data folder of the same name.
    assert "newsclaims/rules/__init__.py" in names


def test_sdist_carries_the_top_level_rules(tmp_path: Path) -> None:
    with tarfile.open(_build("sdist", tmp_path)) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {f"rules/{name}.yaml" for name in RULE_FILES} <= names


def test_checkout_reads_the_top_level_rules() -> None:
    # This suite runs from an editable install: the live rules/ folder is the one read.
    assert builtin_rules_dir() == ROOT / "rules"
    assert load_ruleset().fingerprint


def test_installed_wheel_reads_its_packaged_rules(tmp_path: Path) -> None:
    wheel = _build("wheel", tmp_path / "dist")
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "from newsclaims.rules import builtin_rules_dir, load_ruleset; "
        "print(builtin_rules_dir()); print(load_ruleset().fingerprint)"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {code}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [str(target / "newsclaims" / "builtin_rules"), load_ruleset().fingerprint]
