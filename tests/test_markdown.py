"""Markdown inputs (issue 11): markup never inside a content, offsets still into the file as given."""

from __future__ import annotations

from pathlib import Path

from newsclaims.inputs import read_article
from newsclaims.markdown import markdown_to_text, offset_map

SOURCE = """# Council **backs** bridge plan

The mayor said the repairs would cost **£40m** over [three years](https://example.org/plan "plan").

- The treasurer said that _half_ of it was already set aside.
- Item two with `code_like` text.

> The engineer warned that the bridge could close by June.

```
said = "not prose"
```

[ref]: https://example.org/ref
"""


def test_markup_is_blanked_in_place() -> None:
    text = markdown_to_text(SOURCE)
    assert len(text) == len(SOURCE) and text.count("\n") == SOURCE.count("\n")
    for i, (a, b) in enumerate(zip(SOURCE, text, strict=True)):
        assert b == a or b == " ", (i, a, b)  # every character stays or becomes a space
    flat = " ".join(text.split())
    assert "cost £40m over three years" in flat
    assert "**" not in text and "https://" not in text and "#" not in text and ">" not in text
    assert "The treasurer said that half of it" in flat and "- The" not in text
    assert 'said = "not prose"' in text and "```" not in text  # code is left as it is
    assert offset_map(text) == list(range(len(SOURCE)))


def test_claims_from_a_markdown_file_point_into_the_file(tmp_path: Path, nlp) -> None:
    from newsclaims.pipeline import extract_articles

    path = tmp_path / "plan.md"
    path.write_text(SOURCE, encoding="utf-8")
    article = read_article(path)
    assert article.metadata.get("title") == "Council **backs** bridge plan"
    result = next(extract_articles([article]))
    assert result.claims
    for claim in result.claims:
        assert "**" not in claim.content.text and "](" not in claim.content.text
        # Every character of the content is the file's character at the same offset (or blanked markup).
        start = claim.content.start
        assert all(ch == " " or SOURCE[start + i] == ch for i, ch in enumerate(claim.content.text))
    money = [f for f in result.figures if f.unit == "GBP"]
    assert money and SOURCE[money[0].start : money[0].end] == "£40m"
