"""`newsclaims speakers` and `newsclaims quotes`: thin commands over a corpus of records or a database.

Registered on the app by ``cli.py``; like every command they go through ``cli_support.user_errors``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsclaims import cli_support as opt
from newsclaims.cli_support import err_console, user_errors
from newsclaims.output import ROW_FORMATS, format_enum, open_output


def speakers(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE", help="Articles to extract, newsclaims JSON/JSONL outputs (claims.jsonl), or one claims.db."
        ),
    ],
    *,
    format: Annotated[
        opt.SpeakersFormat | None,  # type: ignore[valid-type]
        typer.Option("--format", "-f", help="Output format (default: table on a terminal, json otherwise)."),
    ] = None,
    output: opt.OutputOption = None,
    model: opt.ModelOption = None,
    rules: opt.RulesOption = None,
    speaker: opt.SpeakerFilter = None,
    category: opt.CategoryFilter = None,
    claim_type: opt.TypeFilter = None,
    with_figures: opt.WithFiguresFilter = False,
    min_confidence: opt.MinConfidenceFilter = 0.0,
) -> None:
    """Per-speaker summary across documents: claims, categories and figures for each resolved speaker.

    A pronoun or "the official" counts with the speaker it resolves to. Named speakers with the
    same name are merged across documents; unnamed ones ("a senior official") are kept per document.

    Example:  newsclaims speakers claims.jsonl --format csv
    Example:  newsclaims speakers claims.db   (speakers merged across the corpus when it was written)
    """
    from newsclaims import summary
    from newsclaims.inputs import read_article
    from newsclaims.output import write_rows
    from newsclaims.pipeline import extract_articles

    fmt = format or opt.default_format(output, opt.SpeakersFormat.table, opt.SpeakersFormat.json)  # type: ignore[attr-defined]
    from newsclaims.output.files import refuse_inputs

    with user_errors(output):
        claim_filter = opt.filter_from(speaker, category, claim_type, with_figures, min_confidence)
        refuse_inputs([output], paths)
        # Record files are summarised as they are; only the articles among PATHS are extracted.
        articles = [read_article(p) for p in paths if not (summary.is_record_file(p) or summary.is_database_file(p))]
        extracted = extract_articles(articles, model=model, rules_dir=rules) if articles else ()
        rows, merged = summary.summarise_paths(paths, extracted, claim_filter)
        if merged:
            err_console.print(merged, highlight=False, soft_wrap=True, markup=False)
        with open_output(output) as fp:
            write_rows(summary.SpeakerTable(rows), fmt.value, fp, width=opt.width(output))


QuotesFormat = format_enum("QuotesFormat", ROW_FORMATS)


def quotes(
    database: Annotated[Path, typer.Argument(help="A newsclaims database (newsclaims batch DIR -o claims.db).")],
    *,
    format: Annotated[
        QuotesFormat | None,  # type: ignore[valid-type]
        typer.Option("--format", "-f", help="Output format (default: table on a terminal, json otherwise)."),
    ] = None,
    output: opt.OutputOption = None,
    min_documents: Annotated[
        int, typer.Option("--min-documents", min=2, help="Only groups in this many documents.")
    ] = 2,
    search: Annotated[
        str | None, typer.Option("--search", help="Only groups with a quotation matching this FTS5 query.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many groups.")] = None,
) -> None:
    """The same quotation across outlets: quote groups of a database, earliest publication first in each.

    Quotations are grouped when equal after normalising quotation marks, case and whitespace, or
    near-duplicates by shingle similarity; groups are recomputed whenever the database is written.

    Example:  newsclaims quotes claims.db --search 'libraries' --format csv
    """
    from newsclaims.output import write_rows
    from newsclaims.output.sqlite import QuoteTable, read_quotes

    fmt = format or opt.default_format(output, QuotesFormat.table, QuotesFormat.json)  # type: ignore[attr-defined]
    with user_errors(output):
        groups = read_quotes(database, min_documents=min_documents, search=search, limit=limit)
        with open_output(output) as fp:
            write_rows(QuoteTable(groups), fmt.value, fp, width=opt.width(output))
