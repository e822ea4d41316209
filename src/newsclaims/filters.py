"""Claim filters shared by every output format (--speaker, --category, --type, --with-figures, --min-confidence)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import get_args

from newsclaims.errors import NewsclaimsError
from newsclaims.models import Claim, ClaimType, CueCategory, DocumentResult

CATEGORIES: tuple[str, ...] = get_args(CueCategory)
TYPES: tuple[str, ...] = get_args(ClaimType)


def parse_choices(values: Iterable[str] | None, allowed: tuple[str, ...], option: str) -> frozenset[str]:
    """Comma-separated and/or repeated option values, checked against ``allowed``."""
    chosen = {p.strip().lower() for v in values or () for p in v.split(",") if p.strip()}
    unknown = sorted(chosen - set(allowed))
    if unknown:
        raise NewsclaimsError(f"{option}: unknown value(s) {', '.join(unknown)} (choose from: {', '.join(allowed)})")
    return frozenset(chosen)


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims to keep; an empty filter keeps everything."""

    speaker: str | None = None
    categories: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    with_figures: bool = False
    min_confidence: float = 0.0

    @classmethod
    def from_options(
        cls,
        speaker: str | None = None,
        categories: Iterable[str] | None = None,
        types: Iterable[str] | None = None,
        with_figures: bool = False,
        min_confidence: float = 0.0,
    ) -> ClaimFilter:
        """A filter from raw CLI values; unknown categories or types are a NewsclaimsError."""
        return cls(
            speaker=speaker.strip() if speaker and speaker.strip() else None,
            categories=parse_choices(categories, CATEGORIES, "--category"),
            types=parse_choices(types, TYPES, "--type"),
            with_figures=with_figures,
            min_confidence=min_confidence,
        )

    @property
    def active(self) -> bool:
        return bool(self.speaker or self.categories or self.types or self.with_figures or self.min_confidence > 0)

    def keeps(self, claim: Claim) -> bool:
        """True when the claim passes every filter given."""
        # A follow-on quotation has no cue, so no category of its own: a category filter drops it.
        if self.categories and (claim.cue is None or claim.cue.category not in self.categories):
            return False
        if self.types and claim.type not in self.types:
            return False
        if self.with_figures and not claim.figures:
            return False
        if claim.confidence < self.min_confidence:
            return False
        if self.speaker:
            sp = claim.speaker
            if sp is None:
                return False
            # "official" finds "the official" and "he" resolved to "a senior official" alike.
            needle = self.speaker.casefold()
            names = [sp.text] + ([sp.resolved.text] if sp.resolved else [])
            if not any(needle in name.casefold() for name in names):
                return False
        return True

    def apply(self, result: DocumentResult) -> DocumentResult:
        """The record with only the kept claims; speakers keep only their kept claims (and vanish with none)."""
        if not self.active:
            return result
        claims = [c for c in result.claims if self.keeps(c)]
        kept = {c.id for c in claims}
        speakers = []
        for summary in result.speakers:
            ids = [cid for cid in summary.claims if cid in kept]
            if ids:
                speakers.append(summary.model_copy(update={"claims": ids}))
        return result.model_copy(update={"claims": claims, "speakers": speakers})

    def apply_all(self, results: Iterable[DocumentResult]) -> Iterator[DocumentResult]:
        """Filter a stream of records lazily, keeping every document (possibly with no claims)."""
        for result in results:
            yield self.apply(result)
