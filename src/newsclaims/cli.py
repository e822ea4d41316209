"""The `newsclaims` command line: thin Typer commands over the library.

Data goes to stdout (or ``-o FILE``), messages to stderr. spaCy is imported only
inside commands that need it, so ``newsclaims --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from newsclaims import cli_corpus
from newsclaims import cli_support as opt
from newsclaims._version import __version__
from newsclaims.output import Format, format_for_path

app = typer.Typer(
    name="newsclaims",
    help="Extract attributed claims from news articles: who asserted what, with the figures inside.",
    no_args_is_help=True,
    add_completion=True,
    cls=opt.WordsGroup,
    pretty_exceptions_enable=False,
)
err_console, fail, user_errors = opt.err_console, opt.fail, opt.user_errors


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


@app.command(cls=opt.WordsCommand)
def extract(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Article files (.txt, .md, .html); '-' or nothing reads stdin.", metavar="FILE"),
    ] = None,
    *,
    format: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Output format (default: table on a terminal, json otherwise)."),
    ] = None,
    output: opt.OutputOption = None,
    truncate: opt.TruncateOption = False,
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
    from newsclaims.output.files import refuse_inputs
    from newsclaims.pipeline import extract_articles

    fmt = format or format_for_path(output) or opt.default_format(output, Format.table, Format.json)
    with user_errors(output):
        claim_filter = opt.filter_from(speaker, category, claim_type, with_figures, min_confidence)
        refuse_inputs([output], paths or [])
        articles = [read_article(p) for p in paths or ["-"]]
        with_text = include_text or needs_text(fmt)
        extracted = extract_articles(
            articles, model=model, rules_dir=rules, include_text=with_text, timestamp=opt.stamp(timestamp)
        )
        filtered = claim_filter.apply_all(extracted)
        write_results_to(output, filtered, fmt, width=opt.width(output), truncate=truncate)


@app.command("eval", cls=opt.WordsCommand)
def eval_(
    gold: Annotated[
        Path, typer.Argument(metavar="GOLD", help="Gold attributions, PolNeAR-format JSONL (id, text, attributions).")
    ],
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


@app.command(cls=opt.WordsCommand)
def figures(
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="Text to scan, a file path, or '-' for stdin.")],
    *,
    format: Annotated[
        opt.FiguresFormat | None,  # type: ignore[valid-type]
        typer.Option("--format", "-f", help="Output format (default: table on a terminal, json otherwise)."),
    ] = None,
    model: opt.ModelOption = None,
    rules: opt.RulesOption = None,
) -> None:
    """Print only the figures (money, percent, numbers, quantities), normalised, for quick checks.

    SOURCE is read as a file when such a file exists (or '-' for stdin), else taken as the text itself.

    Example:  newsclaims figures 'Sales rose more than 12% to $3.5bn (£2.8bn).'   (single quotes: no $3 in bash)
    """
    from newsclaims.assemble.figures import extract_figures
    from newsclaims.inputs import read_article
    from newsclaims.output import figure_label, print_table, write_json_array
    from newsclaims.pipeline import get_nlp

    fmt = Format(format.value) if format else (Format.table if sys.stdout.isatty() else Format.json)
    with user_errors():
        # exists, not is_file: a FIFO or /dev/stdin named as SOURCE is a file to read, not text.
        is_path = source == "-" or (Path(source).exists() and not Path(source).is_dir())
        text = read_article(source).text if is_path else source
        found = extract_figures(text, get_nlp(model, rules))
        if fmt is Format.json:
            write_json_array([f.model_dump(mode="json") for f in found], sys.stdout)
            return
        rows = [(f.text, f.kind, figure_label(f), f.measures or "", str(f.start), str(f.end)) for f in found]
        print_table(Console(), f"{len(found)} figures", opt.FIGURE_COLUMNS, rows)


@app.command(cls=opt.WordsCommand)
def batch(
    sources: Annotated[
        list[str],
        typer.Argument(metavar="SOURCE", help="Folders (walked recursively), files, or globs ('a/**/*.htm')."),
    ],
    *,
    output: opt.BatchOutput = None,
    include: opt.IncludeGlobs = None,
    exclude: opt.ExcludeGlobs = None,
    workers: opt.WorkersOption = None,
    resume: opt.ResumeOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary line.")] = False,
    include_text: opt.IncludeTextOption = False,
    timestamp: opt.TimestampOption = False,
    file_timeout: opt.FileTimeoutOption = opt.DEFAULT_FILE_TIMEOUT,
    file_memory: opt.FileMemoryOption = opt.DEFAULT_FILE_MEMORY_MB,
    follow_outside: opt.FollowOutsideOption = False,
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
    with --resume to continue), 1 nothing could run (no inputs, missing model), 2 bad option.

    With another --format or a filter, the unfiltered records are kept in OUTPUT_STEM.records.jsonl
    (what --resume reads) and OUTPUT is rendered from them when the run ends.

    Without -o (or with -o -) and stdout a pipe or file, records stream to stdout as they are done
    and failed inputs are lines on stderr; nothing is kept to resume from.

    Ctrl-C stops after the files being parsed (their records are kept); a second Ctrl-C stops at once.

    Example:  newsclaims batch saved/ 'more/**/*.html' -o claims.jsonl --workers 2
    Example:  newsclaims batch saved/ -o report.html -f html --with-figures
    Example:  newsclaims batch saved/ -o claims.db   (a database: see `newsclaims quotes`)
    Example:  newsclaims batch saved/ | jq -c '.claims[]'
    """
    import signal

    if scheduler and engine is not opt.BatchEngine.dask:
        raise fail("--scheduler needs --engine dask", opt.EXIT_USAGE)
    format = format or opt.BatchFormat(((output and format_for_path(output)) or Format.jsonl).value)  # type: ignore[attr-defined]
    # A plain `kill` stops as cleanly as Ctrl-C: records so far are kept for --resume.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with user_errors(output):
        claim_filter = opt.filter_from(speaker, category, claim_type, with_figures, min_confidence)
        options = opt.batch_options(workers, engine, scheduler, resume, include_text, model, rules, timestamp)
        options.file_timeout, options.file_memory_mb = file_timeout, file_memory
        summary, written = opt.batch_into(
            sources, output, format.value, claim_filter, options, (include, exclude, follow_outside), quiet
        )
    opt.print_batch_summary(err_console, summary, quiet, written)
    raise typer.Exit(summary.exit_code)


@app.command(cls=opt.WordsCommand)
def schema() -> None:
    """Print the JSON Schema of the output (one document record).

    Example:  newsclaims schema > claims.schema.json
    """
    from newsclaims.models import DocumentResult

    typer.echo(json.dumps(DocumentResult.model_json_schema(mode="serialization"), indent=2))


rules_app = typer.Typer(
    name="rules", cls=opt.WordsGroup, help="Work with rule files (cues, boilerplate, speakers, figures)."
)
app.add_typer(rules_app)


@rules_app.command("check", cls=opt.WordsCommand)
def rules_check(
    rules_dir: Annotated[
        Path | None,
        typer.Argument(
            metavar="FOLDER", help="Folder of rule YAML files (default: the built-in rules).", show_default=False
        ),
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


@app.command(cls=opt.WordsCommand)
def check(
    expected_dir: Annotated[
        Path, typer.Argument(metavar="EXPECTED_DIR", help="Folder of expected JSON, one <stem>.json per input.")
    ],
    inputs: opt.CheckInputs = None,
    *,
    update: opt.UpdateOption = False,
    format: opt.CheckFormatOption = opt.CheckFormat.text,
    tolerance: opt.ToleranceOption = 0.0,
    figure_tolerance: opt.FigureToleranceOption = 0.0,
    model: opt.ModelOption = None,
    rules: opt.RulesOption = None,
) -> None:
    """Re-extract inputs and compare with their expected JSON claim by claim; exit 1 on any change (for CI).

    Compared: claims (type, speaker, cue, content, figures, confidence), document figures,
    speakers, metadata, and the generator's model and rules; generator.version and source.path
    are ignored. Claims are paired by content and speaker, not offsets: a claim that only moved
    is reported as moved. Inputs without an expected file are listed but not checked; --update
    writes one for every input given, and leaves the others alone.

    Formats: text (a word diff), json (one object), github (the diff, then GitHub Actions
    ::error annotations on the input's lines).

    Example:  newsclaims check examples/expected examples
    Example:  newsclaims check --update examples/expected examples/aid-pledge.txt
    """
    from newsclaims import check as chk

    with user_errors():
        options = {"tolerance": tolerance, "figure_tolerance": figure_tolerance, "model": model, "rules_dir": rules}
        report = chk.run_check(expected_dir, inputs or None, update=update, **options)
    opt.print_check(report, format, err_console)
    if report.failed:
        raise typer.Exit(1)


# Commands over a corpus of records (speaker summaries, quote groups) live in cli_corpus.
app.command(cls=opt.WordsCommand)(cli_corpus.speakers)
app.command(cls=opt.WordsCommand)(cli_corpus.quotes)


if __name__ == "__main__":  # pragma: no cover
    app()
