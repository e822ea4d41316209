"""The Pydantic models of the rule files: one model per ``rules/*.yaml`` file, plus the validated set."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from newsclaims.models import CueCategory
from newsclaims.rules.files import EntryError

RULE_FILES = ("cues", "boilerplate", "speakers", "figures", "currencies", "units")
# Validation context of the shipped rule files: their token patterns are checked against spaCy's
# schema by the tests, not at every load, so a batch's parent process need not import spaCy (1.4 s
# of CPU before the first worker starts).
BUILTIN = "builtin"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CueRule(_Rule):
    """One cue: a literal phrase, a list of verb lemmas, or a spaCy token pattern.

    ``role`` says how attribution reads it: ``verb`` takes a subject as speaker and
    a complement or quote as content; ``according_to`` takes the source that follows
    and the clause it modifies; ``noun`` is a nominal cue ("the statement said");
    ``impression`` is a verb of appearance ("seems", "appears") whose subject is what is
    judged, not a speaker: subject and complement, or its clause, are the content; ``stance``
    is an adjective of attitude ("critical of", "confident that") whose subject holds the view;
    ``hearsay`` is an adverb of report ("reportedly", "allegedly"): its clause is the content, the
    source unstated.
    """

    literal: str | None = None
    lemmas: list[str] | None = None
    pattern: list[dict[str, Any]] | None = None
    category: CueCategory
    role: Literal["verb", "according_to", "noun", "impression", "stance", "hearsay"] = "verb"
    lemma: str | None = Field(default=None, description="Reported lemma for literal/pattern cues.")
    takes_object: bool = Field(
        default=False,
        description="With no clause or quote, the verb's object is the content ('called the plan a failure').",
    )

    @model_validator(mode="after")
    def _one_form(self, info: ValidationInfo) -> CueRule:
        for form in ("literal", "lemmas", "pattern"):
            value = getattr(self, form)
            if value is not None and not (value.strip() if isinstance(value, str) else value):
                raise EntryError((form,), f"empty {form}", relative=True)
        given = [f for f in ("literal", "lemmas", "pattern") if getattr(self, f)]
        if len(given) != 1:
            raise ValueError(f"give exactly one of 'literal', 'lemmas' or 'pattern' (this entry has {len(given)})")
        if self.pattern is not None and not (info.context or {}).get(BUILTIN):
            from spacy.schemas import TokenPatternSchema, validate

            errors = validate(TokenPatternSchema, {"pattern": self.pattern})
            if errors:
                raise ValueError(f"invalid token pattern: {'; '.join(errors)}")
        if self.lemmas is not None and any(not lem.strip() for lem in self.lemmas):
            raise ValueError("empty lemma")
        return self


class VerbSenses(_Rule):
    """Cue verbs with a sense that reports nothing, told apart by their syntax (``components/senses.py``)."""

    display: list[str] = Field(
        default_factory=list,
        description="Display as readily as they report ('the ferries highlight the festival'): the subject "
        "must be able to speak or be read.",
    )
    exhibit: list[str] = Field(
        default_factory=list,
        description="With a noun object and no clause only a record reports ('polls show a tight race'); a "
        "person or body exhibits ('the studio shows the way light works').",
    )
    status: list[str] = Field(
        default_factory=list,
        description="With an object and no clause an act, not a report ('declared a state of emergency').",
    )
    causative: list[str] = Field(
        default_factory=list,
        description="A cue verb as their bare-infinitive complement is a caused state ('makes me want to').",
    )
    naming: list[str] = Field(
        default_factory=list,
        description="Give a name when they modify the noun named ('a ferry they call the Gull', 'a firm "
        "called Harbour Works').",
    )
    reading: list[str] = Field(
        default_factory=list,
        description="Take in what others wrote: their 'about' phrase is what was read, not a claim "
        "('after reading about the findings'); a quotation or a clause after them still is one.",
    )
    giving: list[str] = Field(
        default_factory=list,
        description="Give things as readily as words ('offered a discount' / 'offered an assessment'): "
        "with an object, only one of ``spoken`` reports; an infinitive ('offered to pay') still does.",
    )
    spoken: list[str] = Field(
        default_factory=list,
        description="Nouns of what is said, not handed over ('assessment', 'advice', 'details'): the "
        "objects by which a giving verb reports.",
    )


class CueRules(_Rule):
    version: Literal[1] = 1
    cues: list[CueRule]
    irregular_forms: dict[str, list[str]] = Field(
        default_factory=dict, description="Irregular verb forms by lemma ('say': ['said'])."
    )
    senses: VerbSenses = Field(default_factory=VerbSenses)

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
    max_words: int = Field(
        default=25,
        gt=0,
        description="A longer line is never furniture: a paragraph or a whole one-line article that merely "
        "contains a furniture phrase keeps its claims.",
    )


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
    many_holders: list[str] = Field(
        default_factory=list,
        description="Role nouns held by many at once ('official', 'aide'): even 'the ministry's official' is "
        "unnamed, where 'the city's mayor' names one person and is not anonymous.",
    )
    evidence_nouns: list[str] = Field(
        default_factory=list,
        description="Things that can show something besides sources ('the video shows', 'the chart reveals').",
    )
    reader_words: list[str] = Field(
        default_factory=list,
        description="The second person: outside a quotation the generic reader ('if you want ...'), no source.",
    )
    source_suffixes: list[str] = Field(
        default_factory=list,
        description="Endings of a noun that can speak ('the organiser', 'a historian'), for the sense checks; "
        "looser than person_suffixes, which decide a speaker's kind.",
    )


class MinorUnit(_Rule):
    """A minor currency unit ("cents", "pence"): the amount is divided by ``per_major``."""

    currency: str = Field(pattern=r"^[A-Z]{3}$")
    per_major: int = Field(gt=1)
    glued_only: bool = False


_ISO_4217 = re.compile(r"^[A-Z]{3}$")


def _check_codes(rules: BaseModel, fields: tuple[str, ...]) -> None:
    """Every value of these form -> code mappings is an ISO 4217 code (three capitals)."""
    for field in fields:
        for key, code in getattr(rules, field).items():
            if not _ISO_4217.match(code):
                raise ValueError(f"{field} -> {key!r}: {code!r} is not an ISO 4217 code (three capitals)")


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
    point_words: list[str] = Field(default_factory=list)
    point_compound_words: list[str] = Field(default_factory=list)
    share_context: list[str] = Field(default_factory=list)
    postfix_qualifiers: dict[Literal[">", ">=", "<", "<="], list[str]] = Field(default_factory=dict)
    verb_qualifiers: dict[Literal[">", ">=", "<", "<="], list[str]] = Field(
        default_factory=dict, description="Verb lemmas whose object figure is a bound ('topped 300,000')."
    )
    weight_context: list[str] = Field(default_factory=list)
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
    count_stress_words: list[str] = Field(default_factory=list)
    pair_determiners: list[str] = Field(default_factory=list)
    vague_magnitude_words: list[str] = Field(default_factory=list)
    magnitude_nouns: list[str] = Field(default_factory=list)
    changes: dict[Literal["increase", "decrease"], list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _iso_codes(self) -> FigureRules:
        _check_codes(self, ("default_currency", "currency_symbols", "currency_code_aliases", "currency_words"))
        for code in self.currency_codes:
            if not _ISO_4217.match(code):
                raise ValueError(f"currency_codes: {code!r} is not an ISO 4217 code (three capitals)")
        return self


class CurrencyRules(_Rule):
    """Currency names and symbols generated from Unicode CLDR (``tools/generate_vocab.py``).

    They are laid under ``figures.yaml``'s hand-kept ``currency_words`` and ``currency_symbols``,
    which win where both name a form.
    """

    version: Literal[1] = 1
    names: dict[str, str] = Field(default_factory=dict, description="Lower-case name or plural -> ISO 4217 code.")
    symbols: dict[str, str] = Field(default_factory=dict, description="Symbol written before an amount -> code.")

    @model_validator(mode="after")
    def _iso_codes(self) -> CurrencyRules:
        _check_codes(self, ("names", "symbols"))
        return self

    def under(self, figures: FigureRules) -> FigureRules:
        """``figures`` with these names and symbols added where it has none of its own."""
        return figures.model_copy(
            update={
                "currency_words": {**self.names, **figures.currency_words},
                "currency_symbols": {**self.symbols, **figures.currency_symbols},
            }
        )


class UnitRules(_Rule):
    """Unit names, plurals, SI-prefixed forms and symbols generated from pint (``tools/generate_vocab.py``).

    Laid under ``figures.yaml``'s hand-kept ``units``: a form that file gives to another unit stays
    with that unit ("nm" is a nautical mile there, not a nanometre).
    """

    version: Literal[1] = 1
    units: dict[str, list[str]] = Field(default_factory=dict, description="Singular British name -> written forms.")

    def under(self, figures: FigureRules) -> FigureRules:
        """``figures`` with these units and forms added where it does not claim them itself."""
        claimed = {form: name for name, forms in figures.units.items() for form in forms}
        units = {name: list(forms) for name, forms in figures.units.items()}
        for name, forms in self.units.items():
            own = [f for f in forms if claimed.get(f, name) == name]
            units[name] = list(dict.fromkeys([*units.get(name, []), *own]))
        return figures.model_copy(update={"units": units})


class RuleSet(BaseModel):
    """All rule files, validated, plus a fingerprint for the generator record."""

    cues: CueRules
    boilerplate: BoilerplateRules
    speakers: SpeakerRules
    figures: FigureRules  # with the generated currencies and units laid under it
    currencies: CurrencyRules
    units: UnitRules
    fingerprint: str


_MODELS: dict[str, type[_Rule]] = {
    "cues": CueRules,
    "boilerplate": BoilerplateRules,
    "speakers": SpeakerRules,
    "figures": FigureRules,
    "currencies": CurrencyRules,
    "units": UnitRules,
}
