"""corpusclean: turn folders of raw scraped text into a clean, deduplicated JSONL corpus."""

from importlib.metadata import PackageNotFoundError, version

from .config import ConfigError, load
from .pipeline import Pipeline, clean_text

try:
    __version__ = version("corpusclean")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["ConfigError", "Pipeline", "__version__", "clean_text", "load"]
