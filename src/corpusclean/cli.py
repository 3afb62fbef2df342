"""The command line: parse options, load the config, run the pipeline, report, exit.

Only this module knows about click. Library errors become one-line messages.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from concurrent.futures.process import BrokenProcessPool
from typing import Any, NoReturn

import click

from . import __version__
from .boilerplate import run_examples
from .config import Config, ConfigError
from .config import load as load_config
from .document import Document
from .explain import ExplainError, explain, render
from .pipeline import Pipeline
from .progress import Progress, survey
from .read import InputError, Skip, check_paths
from .report import gates
from .report.html import rebuild, render_run
from .suggest import count_lines, to_yaml
from .write import atomic_writer, check_output

EPILOG = """\b
Examples:
  clean seeds/ -o corpus.jsonl
  clean seeds/ -o corpus.jsonl --audit removed.jsonl --report report.json
  clean scrape/ more.txt -o - --no-dedup | jq .title
  clean seeds/ -o corpus.jsonl.gz --config my.yaml --threshold 90
  clean scrape/ -o corpus.jsonl --include '*.html' --exclude drafts --strict
  zcat dump.jsonl.gz | clean - -o corpus.jsonl
  clean scrape/ -o corpus.jsonl --html-report report.html --max-removed-fraction 0.4

\b
Exit codes:
  0  done (skipped inputs are listed on stderr and in the report)
  1  done, but a gate failed (inputs skipped under --strict, more removed
     than --max-removed-fraction, ...); or a run error (an output that
     cannot be written)
  2  usage or config error (a path that does not exist)
  130, 143  interrupted by Ctrl-C or SIGTERM; earlier output files intact
"""


def _fail(exc: OSError) -> NoReturn:
    """A run error as one line naming the file, exit status 1."""
    message = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
    click.echo(f"corpusclean: error: {message}", err=True)
    sys.exit(1)


class Terminated(BaseException):
    """SIGTERM, raised like Ctrl-C so that open output files are cleaned up."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _interrupted(code: int, what: str) -> NoReturn:
    click.echo(f"corpusclean: {what}; unfinished output removed, earlier output files left as they were", err=True)
    sys.exit(code)


def _broken_pipe() -> NoReturn:
    """The reader of stdout went away (`| head`): stop quietly, as cat does."""
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(1)


def _clear(progress: Progress | None) -> None:
    """Blank a half-drawn progress bar so that an error starts on a clean line."""
    if progress is not None:
        with contextlib.suppress(OSError):
            progress.close()


def _progress(paths: list[str], cfg: Config) -> Progress:
    """A progress bar sized by a quick walk of the inputs."""
    files, total = survey(paths, cfg.input["include_hidden"], cfg.input["include"], cfg.input["exclude"])
    return Progress(sys.stderr, files, total)


def _gate_options(command: Any) -> Any:
    """The gates' options (report/gates.py), each setting `gates.<name>`; --strict is declared with the others."""
    for gate in reversed(gates.GATES):
        if gate.kind == "fraction":
            command = click.option(gate.option, gate.name, type=click.FloatRange(0, 1), metavar="X", help=gate.help)(
                command
            )
        elif gate.kind == "minimum":
            command = click.option(gate.option, gate.name, type=click.IntRange(min=0), metavar="N", help=gate.help)(
                command
            )
    return command


def _gate_overrides(limits: dict[str, Any]) -> dict[str, Any]:
    return {f"gates.{name}": value for name, value in limits.items() if value is not None}


def _threshold(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 100:
        raise click.BadParameter("must be between 0 and 100")
    return value


@click.command(
    "clean",
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "-o", "--output", required=True, metavar="FILE", help="Output JSONL ('-' for stdout; .gz/.bz2/.xz/.zst compress)."
)
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="YAML file laid over the default config."
)
@click.option("--audit", metavar="FILE", help="Write one JSON line per removal to FILE.")
@click.option("--report", "report_path", metavar="FILE", help="Write the run's counts as JSON to FILE.")
@click.option("--html-report", "html_path", metavar="FILE", help="Write a self-contained HTML page of the run to FILE.")
@click.option(
    "--threshold", type=float, callback=_threshold, help="Near-duplicate similarity, 0-100 (dedup.threshold)."
)
@click.option("--no-dedup", is_flag=True, help="Keep duplicate paragraphs.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (and dedup verification threads) [default: all cores].",
)
@click.option("--include", multiple=True, metavar="GLOB", help="Read only files matching GLOB in folders (repeatable).")
@click.option(
    "--exclude", multiple=True, metavar="GLOB", help="Leave out files and folders matching GLOB (repeatable)."
)
@click.option("--hidden", is_flag=True, help="Also read hidden files and folders (names starting with '.').")
@click.option("--encoding", metavar="NAME", help="Read every file in this encoding, no detection (input.encoding).")
@click.option("--strict", is_flag=True, help="Exit 1 if any input was skipped (gates.fail_on_skipped).")
@_gate_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and skipped inputs.")
@click.option("-v", "--verbose", is_flag=True, help="Also print removal counts by rule.")
@click.version_option(__version__, "--version", prog_name="corpusclean")
def clean_command(
    paths: tuple[str, ...],
    output: str,
    config_path: str | None,
    audit: str | None,
    report_path: str | None,
    html_path: str | None,
    threshold: float | None,
    no_dedup: bool,
    jobs: int | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    hidden: bool,
    encoding: str | None,
    strict: bool,
    quiet: bool,
    verbose: bool,
    **gate_limits: Any,
) -> None:
    """Clean raw scraped text files into one deduplicated JSONL corpus.

    PATHS are files or folders (walked recursively, sorted), or '-' for stdin.
    """
    overrides: dict[str, Any] = {}
    if threshold is not None:
        overrides["dedup.threshold"] = threshold
    if no_dedup:
        overrides["dedup.enabled"] = False
    # Given on the command line, the patterns replace the config's lists.
    if include:
        overrides["input.include"] = list(include)
    if exclude:
        overrides["input.exclude"] = list(exclude)
    if hidden:
        overrides["input.include_hidden"] = True
    if encoding is not None:
        overrides["input.encoding"] = encoding
    overrides.update(_gate_overrides({**gate_limits, "fail_on_skipped": strict or None}))
    try:
        pipeline = Pipeline(load_config(config_path, overrides))
        check_paths(paths)
    except ConfigError as exc:
        raise click.UsageError(f"config: {exc}") from None
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    progress = _progress(list(paths), pipeline.config) if not quiet and sys.stderr.isatty() else None

    def on_skip(skip: Skip) -> None:
        # Printed even with -q: a skipped input is an error about that input.
        if progress is not None:
            progress.message(f"corpusclean: skipped {skip.message()}")
        else:
            click.echo(f"corpusclean: skipped {skip.message()}", err=True)

    # Signal handlers can only be set from the main thread (not when the CLI is called from a worker thread).
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if main_thread else None
    try:
        for path in (output, audit, report_path, html_path):
            check_output(path)
        report = pipeline.run(
            list(paths),
            output,
            audit,
            jobs=jobs or os.cpu_count() or 1,
            on_skip=on_skip,
            progress=progress,
            views=html_path is not None,
        )
        report.gates = gates.check(report.to_dict(), pipeline.config.gates)
        if report_path:
            with atomic_writer(report_path) as stream:
                report.write(stream)
        if html_path:
            with atomic_writer(html_path) as stream:
                stream.write(render_run(report))
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    except KeyboardInterrupt:
        _clear(progress)
        _interrupted(130, "interrupted")
    except Terminated:
        _clear(progress)
        _interrupted(143, "terminated")
    except BrokenPipeError:
        _broken_pipe()
    except OSError as exc:
        _clear(progress)
        _fail(exc)
    except BrokenProcessPool:
        _clear(progress)
        _fail(OSError("a worker process died (out of memory?); run again, perhaps with fewer --jobs"))
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    if not quiet:
        click.echo(report.summary(), err=True)
        if verbose:
            for reason, n in sorted(report.removals.items()):
                click.echo(f"  {reason}: {n}", err=True)
    for line in gates.lines(report.gates):
        click.echo(line, err=True)
    sys.exit(report.exit_code())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="corpusclean")
def main() -> None:
    """corpusclean: clean, deduplicate and audit scraped text corpora.

    `corpusclean clean` is the same as the `clean` command.
    """


main.add_command(clean_command)


# Colours of the fates `corpusclean explain` prints; click drops them when
# stdout is not a terminal.
EXPLAIN_STYLES: dict[str, dict[str, Any]] = {
    "kept": {"fg": "green"},
    "removed": {"fg": "red"},
    "metadata": {"fg": "blue"},
    "duplicate": {"fg": "yellow"},
    "dropped": {"fg": "magenta"},
    "unaccounted": {"fg": "red", "bold": True},
    "note": {"fg": "cyan"},
    "removed-text": {"dim": True},
    "header": {"bold": True},
}


def _load(config_path: str | None, overrides: dict[str, Any] | None = None) -> Config:
    try:
        return load_config(config_path, overrides)
    except ConfigError as exc:
        raise click.UsageError(f"config: {exc}") from None


@main.command("explain", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("file", type=click.Path())
@click.option(
    "--corpus",
    "corpus",
    multiple=True,
    type=click.Path(),
    help="Dedup against these files or folders, as `clean` would (repeatable). Without it, within the file only.",
)
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="YAML file laid over the default config."
)
@click.option("--no-dedup", is_flag=True, help="Explain without dedup.")
def explain_command(file: str, corpus: tuple[str, ...], config_path: str | None, no_dedup: bool) -> None:
    """Print FILE line by line with each line's fate: kept, removed by which
    rule, moved to metadata, or a duplicate of which paragraph (doc id:line).

    \b
    Examples:
      corpusclean explain seeds/002_a2d3f14cb8fc213f.txt
      corpusclean explain seeds/002_a2d3f14cb8fc213f.txt --corpus seeds/ | less -R
    """
    cfg = _load(config_path, {"dedup.enabled": False} if no_dedup else None)

    def style(text: str, kind: str) -> str:
        return click.style(text, **EXPLAIN_STYLES[kind]) if kind in EXPLAIN_STYLES else text

    try:
        for explained in explain(file, cfg, list(corpus)):
            for line in render(explained, style):
                click.echo(line)
    except (InputError, ExplainError) as exc:
        raise click.UsageError(str(exc)) from None


@main.command("suggest-rules", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--min-docs",
    type=click.IntRange(min=2),
    default=5,
    show_default=True,
    help="A line must recur in at least this many documents (of one outlet).",
)
@click.option(
    "--min-fraction",
    type=click.FloatRange(0, 1),
    default=0.05,
    show_default=True,
    help="...and in at least this fraction of its outlet's documents.",
)
@click.option(
    "--max-chars", type=click.IntRange(min=1), default=300, show_default=True, help="Ignore lines longer than this."
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Print at most this many rules.")
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="YAML file laid over the default config."
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
def suggest_command(
    paths: tuple[str, ...],
    min_docs: int,
    min_fraction: float,
    max_chars: int,
    limit: int | None,
    config_path: str | None,
    jobs: int | None,
) -> None:
    """Find lines that recur verbatim in many documents of PATHS (per outlet
    where the metadata names it) and print them as candidate boilerplate rules
    in config.yaml syntax, most frequent first, for a person to review.

    Lines the current rules already remove are not counted.

    \b
    Example:
      corpusclean suggest-rules scrape/ --min-docs 20 --min-fraction 0.1 > candidates.yaml
    """
    pipeline = Pipeline(_load(config_path))
    documents = (d for d in pipeline.cleaned(list(paths), jobs or os.cpu_count() or 1) if isinstance(d, Document))
    try:
        counter = count_lines(documents, min_docs, max_chars)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    candidates = counter.candidates(min_fraction)[:limit]
    click.echo(to_yaml(candidates, sum(counter.documents.values()), min_docs, min_fraction), nl=False)


@main.group("rules")
def rules_group() -> None:
    """Tools for the boilerplate rules in the config."""


@rules_group.command("test")
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="YAML file laid over the default config."
)
def rules_test_command(config_path: str | None) -> None:
    """Run every boilerplate rule's examples; exit 1 on any miss.

    Each rule needs at least two lines it removes and one it keeps; a keep
    example must survive every rule of the pack.
    """
    try:
        cfg = load_config(config_path)
    except ConfigError as exc:
        raise click.UsageError(f"config: {exc}") from None
    failures = run_examples(cfg.rules, cfg.boilerplate)
    for failure in failures:
        click.echo(f"FAIL {failure}")
    examples = sum(len(r.remove_examples) + len(r.keep_examples) for r in cfg.rules)
    verdict = f"{len(failures)} misses" if failures else "all pass"
    click.echo(f"{len(cfg.rules)} rules, {examples} examples: {verdict}", err=True)
    sys.exit(1 if failures else 0)


@main.command("report", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--report", "report_path", required=True, type=click.Path(dir_okay=False), help="The run's --report JSON."
)
@click.option("--output", "output_path", required=True, type=click.Path(dir_okay=False), help="The run's output JSONL.")
@click.option("--audit", "audit_path", required=True, type=click.Path(dir_okay=False), help="The run's --audit JSONL.")
@click.option("-o", "--html", "html_path", required=True, metavar="FILE", help="Write the HTML page to FILE.")
@click.option("--strict", is_flag=True, help="Exit 1 if the run skipped any input (gates.fail_on_skipped).")
@_gate_options
def report_command(
    report_path: str, output_path: str, audit_path: str, html_path: str, strict: bool, **gate_limits: Any
) -> None:
    """Build the HTML page of an earlier run from its report, output and audit
    files, as `clean --html-report` would have. The run's gates are judged
    again, with any gate given here laid over them: exit 1 if one fails.

    \b
    Example:
      clean scrape/ -o corpus.jsonl --audit removed.jsonl --report report.json
      corpusclean report --report report.json --output corpus.jsonl --audit removed.jsonl -o report.html
    """
    limits = _gate_overrides({**gate_limits, "fail_on_skipped": strict or None})
    try:
        check_output(html_path)
        page, verdict = rebuild(report_path, output_path, audit_path, limits)
        with atomic_writer(html_path) as out:
            out.write(page)
    except ValueError as exc:
        click.echo(f"corpusclean: error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        _fail(exc)
    for line in gates.lines(verdict):
        click.echo(line, err=True)
    sys.exit(1 if verdict["failed"] else 0)
