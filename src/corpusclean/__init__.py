"""corpusclean: turn folders of raw scraped text into a clean, deduplicated JSONL corpus.

The Python API (README, "Python API"): `clean_text` for one text,
`clean_texts` for a list of texts or {id, text} dicts with dedup across them,
`Pipeline(load(...)).run(paths, output)` for files as `clean` does.
"""

from importlib.metadata import PackageNotFoundError, version

from .api import Cleaned, TextError, clean_text, clean_texts
from .config import ConfigError, load
from .pipeline import Pipeline

try:
    __version__ = version("corpusclean")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["Cleaned", "ConfigError", "Pipeline", "TextError", "__version__", "clean_text", "clean_texts", "load"]
