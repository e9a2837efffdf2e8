"""summarizer: typed, grounded, checkable records from news articles.

>>> from summarizer import Summarizer, summarize_text, summarize_folder  # doctest: +SKIP

Names are imported lazily so that ``summarize --help`` starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from summarizer.api import (
        FolderResult,
        Summarizer,
        asummarize_folder,
        asummarize_text,
        summarize_folder,
        summarize_text,
    )
    from summarizer.config import Settings
    from summarizer.errors import (
        ConfigError,
        EndpointError,
        ExtractionError,
        InputError,
        ReplayMissError,
        SummarizerError,
    )
    from summarizer.records import ArticleResult, Extraction, Milestone, Quote, Statistic

__all__ = [
    "ArticleResult",
    "ConfigError",
    "EndpointError",
    "Extraction",
    "ExtractionError",
    "FolderResult",
    "InputError",
    "Milestone",
    "Quote",
    "ReplayMissError",
    "Settings",
    "Statistic",
    "Summarizer",
    "SummarizerError",
    "__version__",
    "asummarize_folder",
    "asummarize_text",
    "summarize_folder",
    "summarize_text",
]

_WHERE = {
    "Settings": "config",
    "ArticleResult": "records",
    "Extraction": "records",
    "Milestone": "records",
    "Quote": "records",
    "Statistic": "records",
    "FolderResult": "api",
    "Summarizer": "api",
    "asummarize_folder": "api",
    "asummarize_text": "api",
    "summarize_folder": "api",
    "summarize_text": "api",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    if name.endswith("Error"):
        errors = import_module(".errors", __name__)
        if hasattr(errors, name):
            return getattr(errors, name)
    raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
