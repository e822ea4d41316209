"""newsclaims: who asserted what in news articles, with the figures inside.

Importing the package is cheap: spaCy is loaded only when ``extract`` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsclaims._version import __version__

__all__ = ["__version__", "extract"]

if TYPE_CHECKING:
    from newsclaims.models import DocumentResult


def extract(text: str, *, model: str | None = None, path: str | None = None) -> DocumentResult:
    """Claims and figures of one article given as text."""
    from newsclaims.inputs import Article
    from newsclaims.pipeline import extract_articles

    return next(extract_articles([Article(text=text, path=path)], model=model))
