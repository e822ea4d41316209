"""What our rule-bearing components share with spaCy's SpanRuler.

Empty when built; filled by ``add_rules`` (or ``initialize(rules=...)``, as ``nlp.initialize``
and the ``[initialize.components]`` config block call it); their rules saved and loaded with the
pipeline (``nlp.to_disk`` / ``spacy.load``), so a saved pipeline finds what the built one found;
a warning, not silence, when called with no rules.
"""

import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

import srsly
from pydantic import BaseModel
from spacy.util import ensure_path

R = TypeVar("R", bound=BaseModel)

RULES_FILE = "rules.json"


class RuleComponent(Generic[R]):
    """Base of a component whose behaviour comes from one rule file's model (``rules_model``)."""

    rules_model: ClassVar[type[BaseModel]]
    rule_file: ClassVar[str]  # the rules/*.yaml file the rules come from, for the warning

    def __init__(self, name: str) -> None:
        self.name = name
        self.added: list[R] = []

    # Subclasses compile one rule set into their lookup tables, and empty them again.
    def _compile(self, rules: R) -> None:
        raise NotImplementedError

    def _reset(self) -> None:
        raise NotImplementedError

    def add_rules(self, rules: R | dict[str, Any]) -> None:
        """Add a validated rule set (or its dict form, validated here); calls add up, as SpanRuler's patterns do."""
        model: R = self.rules_model.model_validate(rules) if isinstance(rules, dict) else rules  # type: ignore[assignment]
        self.added.append(model)
        self._compile(model)

    def clear(self) -> None:
        """Forget every rule added so far."""
        self.added = []
        self._reset()

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Any = None,
        rules: R | dict[str, Any] | None = None,
    ) -> None:
        """Replace the rules with ``rules`` (spaCy calls this from ``nlp.initialize``; no training data is read)."""
        self.clear()
        if rules is not None:
            self.add_rules(rules)

    def has_rules(self) -> bool:
        """True once rules were added; when False the component warns and writes an empty group."""
        if self.added:
            return True
        # One warning per call site (Python's default filter), like SpanRuler's W036.
        warnings.warn(
            f"newsclaims component '{self.name}' has no rules: it finds nothing. Build the pipeline with "
            f"newsclaims.pipeline.build_nlp, or call add_rules(...) with the rules of {self.rule_file}.",
            stacklevel=3,
        )
        return False

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps([r.model_dump(mode="json") for r in self.added]).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "RuleComponent[R]":
        self._load(srsly.json_loads(data.decode("utf-8")))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = ensure_path(path)
        folder.mkdir(parents=True, exist_ok=True)
        srsly.write_json(folder / RULES_FILE, [r.model_dump(mode="json") for r in self.added])

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "RuleComponent[R]":
        # A folder without the file (saved before it had rules) leaves the component empty.
        file = ensure_path(path) / RULES_FILE
        self._load(srsly.read_json(file) if file.exists() else [])
        return self

    def _load(self, saved: list[dict[str, Any]]) -> None:
        self.clear()
        for rules in saved:
            self.add_rules(rules)
