"""Line endings: make ``\\r\\n`` and ``\\r`` look like ``\\n`` to the statistical model.

The trained pipeline embeds each token by its norm, prefix, suffix and shape, so a
``"\\r\\n"`` whitespace token is a different input from ``"\\n"`` and can change the tags,
parse and entities of the words around it. Rewriting the text would move every offset;
instead the whitespace lexemes that contain ``\\r`` take the features of their ``\\n``
form. Runs first, before the model's own components.
"""

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc


class NewlineNormalizer:
    """Give whitespace tokens with carriage returns the lexical features of their ``\\n`` form."""

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        # Each distinct word once, read from the Doc's array: a Token object per token cost more
        # than the rewrite itself on an article without a single carriage return.
        for orth in set(doc.to_array(ORTH).tolist()):
            text = strings[orth]
            if "\r" in text and text.isspace():
                lexeme = doc.vocab[text]
                plain = doc.vocab[text.replace("\r\n", "\n").replace("\r", "\n")]
                if lexeme.norm_ != plain.norm_ or lexeme.shape_ != plain.shape_:
                    lexeme.norm_ = plain.norm_
                    lexeme.prefix_ = plain.prefix_
                    lexeme.suffix_ = plain.suffix_
                    lexeme.shape_ = plain.shape_
        return doc


@Language.factory("newsclaims_newlines")
def make_newlines(nlp: Language, name: str) -> NewlineNormalizer:
    """The line-ending normaliser (no configuration)."""
    return NewlineNormalizer()
