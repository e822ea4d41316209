"""Rule files (``rules/*.yaml`` at the top of the repository) as data, validated by Pydantic models.

The built-in rules ship inside the wheel as ``newsclaims/builtin_rules``; ``load_ruleset(dir)``
layers a user's folder (same layout as ``rules/``) over them file by file (a user's entries are
added to the built-in ones).
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from newsclaims.errors import RulesError
from newsclaims.rules.files import RuleFile, describe, problems_in
from newsclaims.rules.models import (
    _MODELS,
    BUILTIN,
    RULE_FILES,
    BoilerplateRules,
    CueRule,
    CueRules,
    CurrencyRules,
    FigureRules,
    MinorUnit,
    RuleSet,
    SpeakerRules,
    UnitRules,
    VerbSenses,
    _Rule,
)

__all__ = [
    "RULE_FILES",
    "BoilerplateRules",
    "CueRule",
    "CueRules",
    "CurrencyRules",
    "FigureRules",
    "MinorUnit",
    "RuleSet",
    "SpeakerRules",
    "UnitRules",
    "VerbSenses",
    "builtin_rules_dir",
    "check_rules_dir",
    "load_ruleset",
    "validate_rule_file",
]

def builtin_rules_dir() -> Path:
    """The rule files shipped in the wheel, or the checkout's top-level ``rules/`` in an editable install."""
    packaged = resources.files("newsclaims") / "builtin_rules"
    if packaged.is_dir():
        return Path(str(packaged))
    # An editable install imports src/newsclaims, which hatch's force-include does not reach.
    return Path(__file__).resolve().parents[3] / "rules"


def _raise_first(problems: list[str]) -> None:
    if problems:
        more = f" (and {len(problems) - 1} more; see `newsclaims rules check`)" if len(problems) > 1 else ""
        raise RulesError(problems[0] + more)


def validate_rule_file(name: str, path: Path, *, builtin: bool = False) -> _Rule:
    """Load and validate one complete rule file; raise RulesError naming file, line and entry.

    ``builtin``: a shipped file, whose token patterns the tests check against spaCy's schema.
    """
    file = RuleFile(name, path)
    context = {BUILTIN: True} if builtin else None
    _raise_first(problems_in(file, _MODELS[name], context=context))
    return _MODELS[name].model_validate(file.data, context=context)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Lists are extended, mappings merged, scalars replaced: a user's file adds to the built-ins."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + value
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _layer(name: str, base: _Rule, user: RuleFile) -> _Rule:
    """The built-in rules with a user's file layered on top, conflicts reported in the user's file."""
    _raise_first(problems_in(user, _MODELS[name], partial=True))
    if not user.data:
        return base
    base_data = base.model_dump()
    model = _MODELS[name]
    try:
        return model.model_validate(_merge(base_data, user.data))
    except ValidationError as e:
        loc, msg, other = describe(model, e.errors()[0])
        if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(base_data.get(loc[0]), list):
            offset = len(base_data[loc[0]])
            loc = (loc[0], loc[1] - offset, *loc[2:])
            if other is not None:
                entry = f"{loc[0]}[{other}]" if other < offset else f"{loc[0]}[{other - offset}]"
                place = "the built-in rules" if other < offset else "this file"
                msg = msg.replace(f"in {loc[0]}[{other}]", f"in {entry} of {place}")
        raise RulesError(f"{user.where(loc)}: {msg}") from None


# Validated rule sets by the digest of the bytes they were read from: validation costs ~0.25 s of
# CPU, and a long process (tests, a notebook, `get_nlp` per call) asks for the same rules again.
_LOADED: dict[str, RuleSet] = {}
_LOADED_SIZE = 8


def _digest(builtin: Path, rules_dir: Path | None) -> str | None:
    """The digest load_ruleset's fingerprint is cut from, or None when a file cannot be read."""
    digest = hashlib.sha256()
    try:
        for name in RULE_FILES:
            digest.update((builtin / f"{name}.yaml").read_bytes())
            user_path = rules_dir / f"{name}.yaml" if rules_dir is not None else None
            if user_path is not None and user_path.exists():
                digest.update(user_path.read_bytes())
    except OSError:
        return None  # the full load below reports it, naming the file
    return digest.hexdigest()


def load_ruleset(rules_dir: Path | None = None) -> RuleSet:
    """Validated built-in rules, with the YAML files of ``rules_dir`` (if given) layered on top.

    A user's file needs only the keys it adds to: lists are extended, mappings merged. The same
    bytes give the same (cached) RuleSet, so an edited file is always read afresh.
    """
    if rules_dir is not None and not rules_dir.is_dir():
        raise RulesError(f"{rules_dir}: rules folder not found")
    builtin = builtin_rules_dir()
    key = _digest(builtin, rules_dir)
    if key is not None and key in _LOADED:
        return _LOADED[key]
    parts: dict[str, _Rule] = {}
    digest = hashlib.sha256()
    for name in RULE_FILES:
        base_path = builtin / f"{name}.yaml"
        model = validate_rule_file(name, base_path, builtin=True)
        digest.update(base_path.read_bytes())
        user_path = rules_dir / f"{name}.yaml" if rules_dir is not None else None
        if user_path is not None and user_path.exists():
            model = _layer(name, model, RuleFile(name, user_path))
            digest.update(user_path.read_bytes())
        parts[name] = model
    for generated in ("currencies", "units"):
        parts["figures"] = parts[generated].under(parts["figures"])  # type: ignore[attr-defined, arg-type]
    ruleset = RuleSet(fingerprint=digest.hexdigest()[:12], **parts)  # type: ignore[arg-type]
    if key == digest.hexdigest():
        _LOADED[key] = ruleset
        while len(_LOADED) > _LOADED_SIZE:
            _LOADED.pop(next(iter(_LOADED)))
    return ruleset


def check_rules_dir(rules_dir: Path) -> list[str]:
    """Every problem in a folder of rule files, one message each (empty when all is well).

    The built-in folder is checked as complete files; any other folder as a layer over the
    built-in rules, as ``--rules DIR`` would use it.
    """
    if not rules_dir.is_dir():
        return [f"{rules_dir}: rules folder not found"]
    complete = rules_dir.resolve() == builtin_rules_dir().resolve()
    problems: list[str] = []
    for path in sorted(rules_dir.glob("*.y*ml")):
        if path.suffix == ".yml":
            problems.append(f"{path}: rule files must end in .yaml (this one would be ignored)")
        elif path.stem not in _MODELS:
            problems.append(f"{path}: unknown rule file (expected one of: {', '.join(RULE_FILES)})")
        else:
            try:
                problems += problems_in(RuleFile(path.stem, path), _MODELS[path.stem], partial=not complete)
            except RulesError as e:
                problems.append(str(e))
    if complete:
        missing = [f"{name}.yaml" for name in RULE_FILES if not (rules_dir / f"{name}.yaml").exists()]
        problems += [f"{rules_dir / name}: missing built-in rule file" for name in missing]
    elif not problems:
        try:
            load_ruleset(rules_dir)
        except RulesError as e:
            problems.append(str(e))
    return problems
