"""The command line: parse options, load the config, run the pipeline, report, exit.

Only this module knows about click. Library errors become one-line messages.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click

from . import __version__
from .boilerplate import run_examples
from .config import ConfigError
from .config import load as load_config
from .pipeline import Pipeline
from .read import InputError, Skip
from .write import atomic_writer

EPILOG = """\b
Examples:
  clean seeds/ -o corpus.jsonl
  clean seeds/ -o corpus.jsonl --audit removed.jsonl --report report.json
  clean scrape/ more.txt -o - --no-dedup | jq .title
  clean seeds/ -o corpus.jsonl.gz --config my.yaml --threshold 90

\b
Exit codes:
  0  done
  1  done, but inputs were skipped under --strict; or a run error
  2  usage or config error
"""


def _fail(exc: OSError) -> NoReturn:
    """A run error as one line naming the file, exit status 1."""
    message = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
    click.echo(f"corpusclean: error: {message}", err=True)
    sys.exit(1)


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
    "-o", "--output", required=True, metavar="FILE", help="Output JSONL ('-' for stdout; .gz/.bz2/.xz compress)."
)
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="YAML file laid over the default config."
)
@click.option("--audit", metavar="FILE", help="Write one JSON line per removal to FILE.")
@click.option("--report", "report_path", metavar="FILE", help="Write the run's counts as JSON to FILE.")
@click.option(
    "--threshold", type=float, callback=_threshold, help="Near-duplicate similarity, 0-100 (dedup.threshold)."
)
@click.option("--no-dedup", is_flag=True, help="Keep duplicate paragraphs.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
@click.option("--strict", is_flag=True, help="Exit 1 if any input was skipped.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print every skipped file and removal counts by rule.")
@click.version_option(__version__, "--version", prog_name="corpusclean")
def clean_command(
    paths: tuple[str, ...],
    output: str,
    config_path: str | None,
    audit: str | None,
    report_path: str | None,
    threshold: float | None,
    no_dedup: bool,
    jobs: int | None,
    strict: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Clean raw scraped text files into one deduplicated JSONL corpus.

    PATHS are files or folders (walked recursively, sorted), or '-' for stdin.
    """
    overrides: dict[str, Any] = {}
    if threshold is not None:
        overrides["dedup.threshold"] = threshold
    if no_dedup:
        overrides["dedup.enabled"] = False
    try:
        pipeline = Pipeline(load_config(config_path, overrides))
    except ConfigError as exc:
        raise click.UsageError(f"config: {exc}") from None

    def on_skip(skip: Skip) -> None:
        if not quiet:
            click.echo(f"corpusclean: skipped {skip.message()}", err=True)

    try:
        report = pipeline.run(list(paths), output, audit, jobs=jobs or os.cpu_count() or 1, on_skip=on_skip)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        _fail(exc)
    if report_path:
        try:
            with atomic_writer(report_path) as stream:
                report.write(stream)
        except OSError as exc:
            _fail(exc)
    if not quiet:
        click.echo(report.summary(), err=True)
        if verbose:
            for reason, n in sorted(report.removals.items()):
                click.echo(f"  {reason}: {n}", err=True)
    sys.exit(report.exit_code(strict))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="corpusclean")
def main() -> None:
    """corpusclean: clean, deduplicate and audit scraped text corpora.

    `corpusclean clean` is the same as the `clean` command.
    """


main.add_command(clean_command)


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
