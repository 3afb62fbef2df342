"""The command line: parse options, load the config, run the pipeline, report, exit.

Only this module knows about click. Library errors become one-line messages.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import Any, NoReturn

import click

from . import __version__
from .config import ConfigError
from .config import load as load_config
from .pipeline import Pipeline
from .read import InputError, Skip, check_paths
from .write import atomic_writer, check_output

EPILOG = """\b
Examples:
  clean seeds/ -o corpus.jsonl
  clean seeds/ -o corpus.jsonl --audit removed.jsonl --report report.json
  clean scrape/ more.txt -o - --no-dedup | jq .title
  clean seeds/ -o corpus.jsonl.gz --config my.yaml --threshold 90
  clean scrape/ -o corpus.jsonl --include '*.html' --exclude drafts --strict
  zcat dump.jsonl.gz | clean - -o corpus.jsonl

\b
Exit codes:
  0  done (skipped inputs are listed on stderr and in the report)
  1  done, but inputs were skipped under --strict; or a run error
     (an output that cannot be written)
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
@click.option(
    "--threshold", type=float, callback=_threshold, help="Near-duplicate similarity, 0-100 (dedup.threshold)."
)
@click.option("--no-dedup", is_flag=True, help="Keep duplicate paragraphs.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [default: all cores].")
@click.option("--include", multiple=True, metavar="GLOB", help="Read only files matching GLOB in folders (repeatable).")
@click.option(
    "--exclude", multiple=True, metavar="GLOB", help="Leave out files and folders matching GLOB (repeatable)."
)
@click.option("--hidden", is_flag=True, help="Also read hidden files and folders (names starting with '.').")
@click.option("--strict", is_flag=True, help="Exit 1 if any input was skipped.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and skipped inputs.")
@click.option("-v", "--verbose", is_flag=True, help="Also print removal counts by rule.")
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
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    hidden: bool,
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
    # Given on the command line, the patterns replace the config's lists.
    if include:
        overrides["input.include"] = list(include)
    if exclude:
        overrides["input.exclude"] = list(exclude)
    if hidden:
        overrides["input.include_hidden"] = True
    try:
        pipeline = Pipeline(load_config(config_path, overrides))
        check_paths(paths)
    except ConfigError as exc:
        raise click.UsageError(f"config: {exc}") from None
    except InputError as exc:
        raise click.UsageError(str(exc)) from None

    def on_skip(skip: Skip) -> None:
        click.echo(f"corpusclean: skipped {skip.message()}", err=True)

    # Signal handlers can only be set from the main thread (not when the CLI is called from a worker thread).
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if main_thread else None
    try:
        for path in (output, audit, report_path):
            check_output(path)
        report = pipeline.run(list(paths), output, audit, jobs=jobs or os.cpu_count() or 1, on_skip=on_skip)
        if report_path:
            with atomic_writer(report_path) as stream:
                report.write(stream)
    except InputError as exc:
        raise click.UsageError(str(exc)) from None
    except KeyboardInterrupt:
        _interrupted(130, "interrupted")
    except Terminated:
        _interrupted(143, "terminated")
    except BrokenPipeError:
        _broken_pipe()
    except OSError as exc:
        _fail(exc)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
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
