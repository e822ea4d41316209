"""Short human labels for figures, speakers and documents, shared by every renderer.

They live apart from the format dispatcher so that a renderer (the HTML page, the tables) can
import them without importing the dispatcher that imports it back.
"""

from __future__ import annotations

from newsclaims.models import Claim, DocumentResult, Figure, Speaker


def figure_label(fig: Figure) -> str:
    """A short human form: '> 70 percent', '900000000 USD', '5000–7000'."""
    q = "" if fig.qualifier == "=" else fig.qualifier + " "
    if fig.value is None and fig.low is not None and fig.high is not None:
        amount = f"{_num(fig.low)}–{_num(fig.high)}"
    else:
        amount = _num(fig.value) if fig.value is not None else fig.text
    return f"{q}{amount}{' ' + fig.unit if fig.unit else ''}{' (derived)' if fig.derived else ''}"


def _num(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.4g}" if abs(v) < 1000 else f"{v:,.2f}"


def document_name(result: DocumentResult) -> str:
    """How a record is named in tables and reports: its path, or '<stdin>'."""
    return result.source.path or "<stdin>"


def speaker_label(sp: Speaker | None) -> str:
    """'he [a senior official] (anonymous)': the mention, its resolution in brackets, the anonymity flag."""
    if sp is None:
        return "—"
    label = sp.text + (f" [{sp.resolved.text}]" if sp.resolved else "")
    return label + (" (anonymous)" if sp.anonymous else "")


def cue_text(claim: Claim) -> str:
    """The cue as written, or a mark for a follow-on quotation, which has none of its own."""
    return claim.cue.text if claim.cue is not None else "(continues)"


def cue_category(claim: Claim) -> str:
    """The cue's category; empty for a follow-on quotation."""
    return claim.cue.category if claim.cue is not None else ""
