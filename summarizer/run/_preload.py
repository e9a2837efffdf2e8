"""Imported once by the worker processes' fork server, before it forks any worker.

Each worker would otherwise import the engine and the LLM stack itself (openai alone
is one to two seconds of CPU, most of it building its Pydantic models); forked from a
server that has imported them, every worker starts with them loaded, and the import
is paid once per run instead of once per worker. See :func:`summarizer.run.workers`.
"""

from __future__ import annotations

import summarizer.engine  # noqa: F401
from summarizer.extract.openai_compat import import_llm_libraries

import_llm_libraries()
