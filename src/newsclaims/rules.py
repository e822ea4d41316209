"""Rule files (``rules/*.yaml``) as data, validated by Pydantic models.

The built-in rules ship inside the package; ``load_ruleset(dir)`` layers a user's
folder over them file by file (a user's entries are added to the built-in ones).
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from newsclaims.errors import RulesError
from newsclaims.models import CueCategory
from newsclaims.rulefiles import EntryError, RuleFile, describe, problems_in

RULE_FILES = ("cues", "boilerplate", "speakers", "figures")


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CueRule(_Rule):
    """One cue: a literal phrase, a list of verb lemmas, or a spaCy token pattern.

    ``role`` says how attribution reads it: ``verb`` takes a subject as speaker and
    a complement or quote as content; ``according_to`` takes the source that follows
    and the clause it modifies; ``noun`` is a nominal cue ("the statement said").
    """

    literal: str | None = None
    lemmas: list[str] | None = None
    pattern: list[dict[str, Any]] | None = None
    category: CueCategory
    role: Literal["verb", "according_to", "noun"] = "verb"
    lemma: str | None = Field(default=None, description="Reported lemma for literal/pattern cues.")
    takes_object: bool = Field(
        default=False,
        description="With no clause or quote, the verb's object is the content ('called the plan a failure').",
    )

    @model_validator(mode="after")
    def _one_form(self) -> CueRule:
        for form in ("literal", "lemmas", "pattern"):
            value = getattr(self, form)
            if value is not None and not (value.strip() if isinstance(value, str) else value):
                raise EntryError((form,), f"empty {form}", relative=True)
        given = [f for f in ("literal", "lemmas", "pattern") if getattr(self, f)]
        if len(given) != 1:
            raise ValueError(f"give exactly one of 'literal', 'lemmas' or 'pattern' (this entry has {len(given)})")
        if self.pattern is not None:
            from spacy.schemas import TokenPatternSchema, validate

            errors = validate(TokenPatternSchema, {"pattern": self.pattern})
            if errors:
                raise ValueError(f"invalid token pattern: {'; '.join(errors)}")
        if self.lemmas is not None and any(not lem.strip() for lem in self.lemmas):
            raise ValueError("empty lemma")
        return self


class CueRules(_Rule):
    version: Literal[1] = 1
    cues: list[CueRule]
    irregular_forms: dict[str, list[str]] = Field(
        default_factory=dict, description="Irregular verb forms by lemma ('say': ['said'])."
    )

    @model_validator(mode="after")
    def _no_conflicts(self) -> CueRules:
        seen: dict[str, tuple[str, int]] = {}
        for i, rule in enumerate(self.cues):
            for key in (rule.lemmas or []) + ([rule.literal.lower()] if rule.literal else []):
                if key in seen and seen[key][0] != rule.category:
                    category, first = seen[key]
                    raise EntryError(
                        ("cues", i),
                        f"cue {key!r} has two categories: {rule.category!r} here and {category!r} in cues[{first}]",
                        other=first,
                    )
                seen.setdefault(key, (rule.category, i))
        return self


def _regex(pattern: str) -> str:
    if not pattern.strip():
        raise ValueError("empty pattern")
    try:
        re.compile(pattern)
    except re.error as e:
        raise ValueError(f"bad regular expression {pattern!r}: {e}") from None
    return pattern


class BoilerplateRules(_Rule):
    """Lines that are site furniture; each pattern is a case-insensitive regex on one line."""

    version: Literal[1] = 1
    line_patterns: list[Annotated[str, AfterValidator(_regex)]]


class SpeakerRules(_Rule):
    """Word classes used to resolve and classify speakers."""

    version: Literal[1] = 1
    person_nouns: list[str]
    group_nouns: list[str] = Field(default_factory=list)
    organization_nouns: list[str]
    document_nouns: list[str]
    anonymity_markers: list[str]
    person_suffixes: list[str] = Field(
        default_factory=list,
        description="Agent-noun endings ('engineer', 'historian') that mark a person when no list names the noun.",
    )


class MinorUnit(_Rule):
    """A minor currency unit ("cents", "pence"): the amount is divided by ``per_major``."""

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    per_major: int = Field(gt=1)
    glued_only: bool = False


class FigureRules(_Rule):
    """Currencies, scales, qualifiers, units and the word classes that tell figures from dates."""

    version: Literal[1] = 1
    default_currency: dict[str, str]
    currency_symbols: dict[str, str]
    currency_codes: list[str]
    currency_code_aliases: dict[str, str] = Field(default_factory=dict)
    currency_words: dict[str, str]
    minor_units: dict[str, MinorUnit] = Field(default_factory=dict)
    scale_suffixes: dict[str, float]
    ambiguous_suffixes: list[str] = Field(default_factory=list)
    scale_words: dict[str, float]
    number_words: dict[str, int]
    fraction_words: dict[str, int] = Field(default_factory=dict)
    qualifiers: dict[Literal[">", ">=", "<", "<=", "~"], list[str]]
    percent_words: list[str]
    percentage_point_words: list[str] = Field(default_factory=list)
    basis_point_words: list[str] = Field(default_factory=list)
    units: dict[str, list[str]] = Field(default_factory=dict)
    glued_only_forms: list[str] = Field(default_factory=list)
    rate_denominators: dict[str, list[str]] = Field(default_factory=dict)
    counted_nouns: list[str] = Field(default_factory=list)
    time_units: list[str] = Field(default_factory=list)
    clock_words: list[str] = Field(default_factory=list)
    month_names: list[str] = Field(default_factory=list)
    identifier_words: list[str] = Field(default_factory=list)
    street_words: list[str] = Field(default_factory=list)
    dimension_words: list[str] = Field(default_factory=list)
    phone_words: list[str] = Field(default_factory=list)
    changes: dict[Literal["increase", "decrease"], list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _iso_codes(self) -> FigureRules:
        iso = re.compile(r"^[A-Z]{3}$")
        for field in ("default_currency", "currency_symbols", "currency_code_aliases", "currency_words"):
            for key, code in getattr(self, field).items():
                if not iso.match(code):
                    raise ValueError(f"{field} -> {key!r}: {code!r} is not an ISO 4217 code (three capitals)")
        for code in self.currency_codes:
            if not iso.match(code):
                raise ValueError(f"currency_codes: {code!r} is not an ISO 4217 code (three capitals)")
        return self


class RuleSet(BaseModel):
    """All rule files, validated, plus a fingerprint for the generator record."""

    cues: CueRules
    boilerplate: BoilerplateRules
    speakers: SpeakerRules
    figures: FigureRules
    fingerprint: str


_MODELS: dict[str, type[_Rule]] = {
    "cues": CueRules,
    "boilerplate": BoilerplateRules,
    "speakers": SpeakerRules,
    "figures": FigureRules,
}


def builtin_rules_dir() -> Path:
    """The folder of rule files shipped inside the package."""
    return Path(str(resources.files("newsclaims") / "rules"))


def _raise_first(problems: list[str]) -> None:
    if problems:
        more = f" (and {len(problems) - 1} more; see `newsclaims rules check`)" if len(problems) > 1 else ""
        raise RulesError(problems[0] + more)


def validate_rule_file(name: str, path: Path) -> _Rule:
    """Load and validate one complete rule file; raise RulesError naming file, line and entry."""
    file = RuleFile(name, path)
    _raise_first(problems_in(file, _MODELS[name]))
    return _MODELS[name].model_validate(file.data)


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


def load_ruleset(rules_dir: Path | None = None) -> RuleSet:
    """Validated built-in rules, with the YAML files of ``rules_dir`` (if given) layered on top.

    A user's file needs only the keys it adds to: lists are extended, mappings merged.
    """
    if rules_dir is not None and not rules_dir.is_dir():
        raise RulesError(f"{rules_dir}: rules folder not found")
    builtin = builtin_rules_dir()
    parts: dict[str, _Rule] = {}
    digest = hashlib.sha256()
    for name in RULE_FILES:
        base_path = builtin / f"{name}.yaml"
        model = validate_rule_file(name, base_path)
        digest.update(base_path.read_bytes())
        user_path = rules_dir / f"{name}.yaml" if rules_dir is not None else None
        if user_path is not None and user_path.exists():
            model = _layer(name, model, RuleFile(name, user_path))
            digest.update(user_path.read_bytes())
        parts[name] = model
    return RuleSet(fingerprint=digest.hexdigest()[:12], **parts)  # type: ignore[arg-type]


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
