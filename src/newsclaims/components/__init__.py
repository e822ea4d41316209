"""newsclaims' spaCy components, registered as ``spacy_factories`` entry points.

Adding them by name (``nlp.add_pipe("newsclaims_cues")``) or loading a saved newsclaims pipeline
(``spacy.load(dir)``) works in a fresh process without ``import newsclaims``. Importing this
package also registers ``Doc._.claims``: the claims ``newsclaims extract`` would report.
"""

from spacy.tokens import Doc


def _claims(doc: Doc) -> list:
    from newsclaims.assemble import claims_from_doc

    return claims_from_doc(doc)


if not Doc.has_extension("claims"):
    Doc.set_extension("claims", getter=_claims)
