"""Rule files (``rules/*.yaml``) as data, validated by Pydantic models.

The built-in rules ship inside the package; ``load_ruleset(dir)`` layers a user's
folder over them file by file (a user's entries are added to the built-in ones).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from newsclaims.errors import RulesError
from newsclaims.models import CueCategory

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
        given = [f for f in ("literal", "lemmas", "pattern") if getattr(self, f)]
        if len(given) != 1:
            raise ValueError("give exactly one of 'literal', 'lemmas' or 'pattern' (non-empty)")
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
        seen: dict[str, str] = {}
        for rule in self.cues:
            for key in (rule.lemmas or []) + ([rule.literal.lower()] if rule.literal else []):
                if key in seen and seen[key] != rule.category:
                    raise ValueError(f"cue {key!r} has two categories: {seen[key]!r} and {rule.category!r}")
                seen[key] = rule.category
        return self


class BoilerplateRules(_Rule):
    """Lines that are site furniture; each pattern is a case-insensitive regex on one line."""

    version: Literal[1] = 1
    line_patterns: list[str]

    @field_validator("line_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            if not p.strip():
                raise ValueError("empty pattern")
            try:
                re.compile(p)
            except re.error as e:
                raise ValueError(f"bad regular expression {p!r}: {e}") from None
        return patterns


class SpeakerRules(_Rule):
    """Word classes used to resolve and classify speakers."""

    version: Literal[1] = 1
    person_nouns: list[str]
    group_nouns: list[str] = Field(default_factory=list)
    organization_nouns: list[str]
    document_nouns: list[str]
    anonymity_markers: list[str]
    unnamed_determiners: list[str] = Field(default_factory=list)


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


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise RulesError(f"{path}: cannot read rule file: {e.strerror or e}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e)
        raise RulesError(f"{path}{where}: invalid YAML: {problem}") from None


def _line_of(path: Path, loc: Iterable[Any]) -> str:
    """Best-effort line number of a validation error's location, for the message."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
        for key in loc:
            if isinstance(node, yaml.MappingNode):
                node = next(v for k, v in node.value if k.value == key)
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
                node = node.value[key]
            else:
                break
        return f", line {node.start_mark.line + 1}"
    except Exception:
        return ""


def validate_rule_file(name: str, path: Path) -> _Rule:
    """Load and validate one rule file; raise RulesError naming file, line and entry."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping at the top level")
    try:
        return _MODELS[name].model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        loc = [p for p in err["loc"] if p not in ("function-after", "[key]")]
        entry = " -> ".join(str(p) for p in loc) or "(top level)"
        more = f" (and {len(e.errors()) - 1} more)" if len(e.errors()) > 1 else ""
        msg = err["msg"].removeprefix("Value error, ")
        raise RulesError(f"{path}{_line_of(path, loc)}: {entry}: {msg}{more}") from None


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


def load_ruleset(rules_dir: Path | None = None) -> RuleSet:
    """Validated built-in rules, with the YAML files of ``rules_dir`` (if given) layered on top."""
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
            user = validate_rule_file(name, user_path)
            merged = _merge(model.model_dump(), user.model_dump(exclude_unset=True))
            try:
                model = _MODELS[name].model_validate(merged)
            except ValidationError as e:
                raise RulesError(f"{user_path}: conflicts with the built-in rules: {e.errors()[0]['msg']}") from None
            digest.update(user_path.read_bytes())
        parts[name] = model
    return RuleSet(fingerprint=digest.hexdigest()[:12], **parts)  # type: ignore[arg-type]


def check_rules_dir(rules_dir: Path) -> list[str]:
    """Validate every rule file in a folder; return one message per problem (empty when all good)."""
    problems: list[str] = []
    for path in sorted(rules_dir.glob("*.yaml")):
        name = path.stem
        if name not in _MODELS:
            problems.append(f"{path}: unknown rule file (expected one of: {', '.join(RULE_FILES)})")
            continue
        try:
            validate_rule_file(name, path)
        except RulesError as e:
            problems.append(str(e))
    return problems
