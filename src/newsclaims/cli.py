"""The `newsclaims` command line: thin Typer commands over the library.

Data goes to stdout (or ``-o FILE``), messages to stderr. spaCy is imported only
inside commands that need it, so ``newsclaims --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsclaims import cli_support as opt
from newsclaims._version import __version__
from newsclaims.errors import NewsclaimsError
from newsclaims.output import ROW_FORMATS, Format, format_enum, format_for_path, open_output

app = typer.Typer(
    name="newsclaims",
    help="Extract attributed claims from news articles: who asserted what, with the figures inside.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one error line on stderr and return the Exit to raise."""
    from rich.markup import escape

    # Messages quote user text and paths ("cues[0]", "[pattern -> 1]"): never read them as markup.
    err_console.print(f"[red]Error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def user_errors(output: Path | None = None) -> Iterator[None]:
    """The one error boundary of every command: a user's mistake is one line on stderr, never a traceback.

    ``NewsclaimsError`` is the library's "you asked for something impossible"; an ``OSError`` here
    is writing ``output`` failing (disk full, folder gone: the temporary file is removed and the old
    output kept). Reading errors are already ``NewsclaimsError``s with the file named.
    """
    try:
        yield
    except NewsclaimsError as e:
        raise fail(str(e)) from None
    except BrokenPipeError:
        raise  # the reader went away (`| head`): nothing to report
    except OSError as e:
        raise fail(f"{output or '<stdout>'}: cannot write: {e.strerror or e}") from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsclaims {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Extract attributed claims from news articles: who asserted what, with the figures inside."""


@app.command()
def extract(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Article files (.txt, .md, .html); '-' or nothing reads stdin.")
    ] = None,
    *,
    format: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Output format (default: table on a terminal, json otherwise)."),
    ] = None,
    output: opt.OutputOption = None,
    model: opt.ModelOption = None,
    rules: opt.RulesOption = None,
    include_text: opt.IncludeTextOption = False,
    timestamp: opt.TimestampOption = False,
    speaker: opt.SpeakerFilter = None,
    category: opt.CategoryFilter = None,
    claim_type: opt.TypeFilter = None,
    with_figures: opt.WithFiguresFilter = False,
    min_confidence: opt.MinConfidenceFilter = 0.0,
) -> None:
    """Extract claims (speaker, cue, content, figures) from news articles.

    Offsets are character offsets into the article text as decoded (for HTML, the
    extracted main text), end exclusive. Formats: table, json (always one array, one object
    per input), jsonl, csv (one row per claim), markdown (a table per document), html (a
    self-contained highlighted report), sqlite (-o claims.db: adds or replaces these documents).

    Example:  cat article.txt | newsclaims extract - --format json
    Example:  newsclaims extract a.txt b.txt -f html -o report.html --speaker official
    """
    from newsclaims.inputs import read_article
    from newsclaims.output import needs_text, write_results_to
    from newsclaims.pipeline import extract_articles

    fmt = format or format_for_path(output) or opt.default_format(output, Format.table, Format.json)
    with user_errors(output):
        claim_filter = opt.filter_from(speaker, category, claim_type, with_figures, min_confidence)
        articles = [read_article(p) for p in paths or ["-"]]
        with_text = include_text or needs_text(fmt)
        extracted = extract_articles(
            articles, model=model, rules_dir=rules, include_text=with_text, timestamp=opt.stamp(timestamp)
        )
        write_results_to(output, claim_filter.apply_all(extracted), fmt, width=opt.width(output))


@app.command("eval")
def eval_(
    gold: Annotated[Path, typer.Argument(help="Gold attributions, PolNeAR-format JSONL (id, text, attributions).")],
    *,
    predictions: opt.PredictionsOption = None,
    format: Annotated[opt.EvalFormat, typer.Option("--format", "-f", help="Output format.")] = opt.EvalFormat.table,  # type: ignore[valid-type, attr-defined]
    per_cue: Annotated[bool, typer.Option("--per-cue", help="Add recall by gold cue word (lowercased).")] = False,
    min_confidence: opt.EvalMinConfidence = 0.0,
    model: opt.ModelOption = None,
    rules: opt.RulesOption = None,
) -> None:
    """Score extraction against gold attributions: precision, recall and F1 for content, source and cue.

    Spans become word tokens (punctuation and a leading "that" ignored).

    Gold and predicted attributions are paired one-to-one by largest content overlap.

    Partial credit: overlap/|predicted| for precision, overlap/|gold| for recall.

    Exact: equal token sets. Hit: any overlap.

    Content: precision over all predictions, recall over all gold.

    Source (the speaker's surface mention) and cue: judged on paired attributions, precision over paired predictions
    with that role, recall over paired gold with it.

    Whole attribution: content, cue and (where gold has one) source all overlap.

    Example:  newsclaims eval dev.jsonl --per-cue
    """
    from newsclaims import evaluate as ev

    with user_errors():
        result = ev.run_eval(
            gold,
            predictions=predictions,
            min_confidence=min_confidence,
            per_cue=per_cue,
            model=model,
            rules_dir=rules,
            track=opt.progress_bar(err_console),
        )
        ev.write_eval(result, format.value, sys.stdout, width=opt.width())


@app.command()
def figures(
    source: Annotated[str, typer.Argument(help="Text to scan, a file path, or '-' for stdin.")],
    *,
    format: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="table or json (default: table on a terminal, json otherwise)."),
    ] = None,
    model: opt.ModelOption = None,
    rules: opt.RulesOption = None,
) -> None:
    """Print only the figures (money, percent, numbers, quantities), normalised, for quick checks.

    SOURCE is read as a file when such a file exists (or '-' for stdin), else taken as the text itself.

    Example:  newsclaims figures "Sales rose more than 12% to $3.5bn (£2.8bn)."
    """
    # Through the name that exists before the figures wing moves; `extract_figures` is its public entry.
    from newsclaims.figures import extract_figures
    from newsclaims.inputs import read_article
    from newsclaims.output import figure_label, print_table, write_json_array
    from newsclaims.pipeline import get_nlp

    fmt = format or (Format.table if sys.stdout.isatty() else Format.json)
    if fmt not in (Format.table, Format.json):
        raise fail(f"figures prints a table or json, not {fmt.value}")
    with user_errors():
        text = read_article(source).text if source == "-" or Path(source).is_file() else source
        found = extract_figures(text, get_nlp(model, rules))
        if fmt is Format.json:
            write_json_array([f.model_dump(mode="json") for f in found], sys.stdout)
            return
        rows = [(f.text, f.kind, figure_label(f), f.measures or "", str(f.start), str(f.end)) for f in found]
        print_table(Console(), f"{len(found)} figures", opt.FIGURE_COLUMNS, rows)


@app.command()
def batch(
    sources: Annotated[list[str], typer.Argument(help="Folders (walked recursively), files, or globs ('a/**/*.htm').")],
    *,
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write (JSONL, or a claims.db database).")],
    include: opt.IncludeGlobs = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Glob of files or folders to skip.")] = None,
    workers: opt.WorkersOption = None,
    resume: opt.ResumeOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary line.")] = False,
    include_text: opt.IncludeTextOption = False,
    timestamp: opt.TimestampOption = False,
    model: opt.ModelOption = None,
    rules: opt.RulesOption = None,
    engine: opt.EngineOption = opt.BatchEngine.local,
    scheduler: opt.SchedulerOption = None,
    format: Annotated[
        opt.BatchFormat | None,  # type: ignore[valid-type]
        typer.Option("--format", "-f", help="Output format (default: jsonl; sqlite for -o *.db).", show_default=False),
    ] = None,
    speaker: opt.SpeakerFilter = None,
    category: opt.CategoryFilter = None,
    claim_type: opt.TypeFilter = None,
    with_figures: opt.WithFiguresFilter = False,
    min_confidence: opt.MinConfidenceFilter = 0.0,
) -> None:
    """Extract claims from folders of articles into one JSONL file, one record per input, in input order.

    Failed inputs go to OUTPUT's errors file (claims.jsonl -> claims.errors.jsonl) and the
    batch goes on. Exit code: 0 all inputs succeeded, 3 some failed, 130 interrupted (rerun
    with --resume to continue), 1 nothing could run (bad option, no inputs, missing model).

    With another --format or a filter, the unfiltered records are kept in OUTPUT_STEM.records.jsonl
    (what --resume reads) and OUTPUT is rendered from them when the run ends.

    Example:  newsclaims batch saved/ 'more/**/*.html' -o claims.jsonl --workers 2
    Example:  newsclaims batch saved/ -o report.html -f html --with-figures
    Example:  newsclaims batch saved/ -o claims.db   (a database: see `newsclaims quotes`)
    """
    import signal

    from newsclaims import batch as b
    from newsclaims.output import needs_text, read_records, write_results_to

    if scheduler and engine is not opt.BatchEngine.dask:
        raise fail("--scheduler needs --engine dask")
    format = format or opt.BatchFormat((format_for_path(output) or Format.jsonl).value)  # type: ignore[attr-defined]
    # A plain `kill` stops as cleanly as Ctrl-C: records so far are kept for --resume.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with user_errors(output):
        claim_filter = opt.filter_from(speaker, category, claim_type, with_figures, min_confidence)
        rendered = format.value != Format.jsonl or claim_filter.active
        store = output.with_name(output.stem + ".records.jsonl") if rendered else output
        found = b.discover(sources, opt.split_globs(include) or b.DEFAULT_INCLUDE, opt.split_globs(exclude))
        if not found.files:
            raise NewsclaimsError(f"no input files found (skipped: {found.skipped_text()})")
        with_text = include_text or needs_text(format.value)
        options = opt.batch_options(workers, engine, scheduler, resume, with_text, model, rules, timestamp)
        summary = opt.run_batch(found.files, store, options, None if quiet else err_console)
        if rendered and not summary.interrupted:
            write_results_to(output, claim_filter.apply_all(read_records(store, tolerant=False)), format.value)
    summary.discovery = found
    opt.print_batch_summary(err_console, summary, quiet, f"{format.value} written to {output}" if rendered else None)
    raise typer.Exit(summary.exit_code)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output (one document record).

    Example:  newsclaims schema > claims.schema.json
    """
    from newsclaims.models import DocumentResult

    typer.echo(json.dumps(DocumentResult.model_json_schema(mode="serialization"), indent=2))


rules_app = typer.Typer(name="rules", help="Work with rule files (cues, boilerplate, speakers, figures).")
app.add_typer(rules_app)


@rules_app.command("check")
def rules_check(
    rules_dir: Annotated[
        Path | None,
        typer.Argument(help="Folder of rule YAML files (default: the built-in rules).", show_default=False),
    ] = None,
) -> None:
    """Validate rule files without extracting: one line per problem, exit 1 if there is any.

    A folder other than the built-in one is checked as a layer over the built-in rules,
    as `--rules DIR` would use it.

    Example:  newsclaims rules check my-rules/
    """
    from newsclaims.rules import builtin_rules_dir, check_rules_dir

    folder = rules_dir or builtin_rules_dir()
    problems = check_rules_dir(folder)
    for problem in problems:
        err_console.print(problem, highlight=False, soft_wrap=True, markup=False)
    if problems:
        raise typer.Exit(1)
    count = len(list(folder.glob("*.yaml")))
    err_console.print(f"OK: {count} rule file(s) in {folder}", highlight=False, soft_wrap=True, markup=False)


@app.command()
def check(
    expected_dir: Annotated[Path, typer.Argument(help="Folder of expected JSON, one <stem>.json per input.")],
    input_dir: Annotated[
        Path | None,
        typer.Argument(help="Folder of input articles (default: EXPECTED_DIR's parent).", show_default=False),
    ] = None,
    *,
    update: Annotated[bool, typer.Option("--update", help="Rewrite the expectations from a fresh extraction.")] = False,
    tolerance: opt.ToleranceOption = 0.0,
    figure_tolerance: opt.FigureToleranceOption = 0.0,
    model: opt.ModelOption = None,
    rules: opt.RulesOption = None,
) -> None:
    """Re-extract inputs and compare with their expected JSON claim by claim; exit 1 on any change (for CI).

    Compared: claims (type, speaker, cue, content span, figures, confidence), document figures,
    speakers, metadata, and the generator's model and rules; generator.version and source.path
    are ignored. Inputs without an expected file are listed but not checked; --update writes
    one for every input.

    Example:  newsclaims check examples/expected examples
    """
    from newsclaims import check as chk

    with user_errors():
        report = chk.run_check(
            expected_dir,
            input_dir,
            update=update,
            tolerance=tolerance,
            figure_tolerance=figure_tolerance,
            model=model,
            rules_dir=rules,
        )
    chk.print_report(report, Console(width=opt.width(), soft_wrap=True), err_console)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def speakers(
    paths: Annotated[
        list[str],
        typer.Argument(help="Articles to extract, newsclaims JSON/JSONL outputs (claims.jsonl), or one claims.db."),
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
    with user_errors(output):
        claim_filter = opt.filter_from(speaker, category, claim_type, with_figures, min_confidence)
        # Record files are summarised as they are; only the articles among PATHS are extracted.
        articles = [read_article(p) for p in paths if not (summary.is_record_file(p) or summary.is_database_file(p))]
        extracted = extract_articles(articles, model=model, rules_dir=rules) if articles else ()
        rows, merged = summary.summarise_paths(paths, extracted, claim_filter)
        if merged:
            err_console.print(merged, highlight=False, soft_wrap=True, markup=False)
        with open_output(output) as fp:
            write_rows(summary.SpeakerTable(rows), fmt.value, fp, width=opt.width(output))


QuotesFormat = format_enum("QuotesFormat", ROW_FORMATS)


@app.command()
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


if __name__ == "__main__":  # pragma: no cover
    app()
