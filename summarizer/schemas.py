"""Export the JSON Schemas of the records to ``schemas/``.

``schemas/extraction.schema.json`` is what the model fills; ``schemas/article.schema.json``
is what ``OUT/articles/<id>.json`` holds. They are generated from the Pydantic
models, never edited by hand; ``summarize schemas --check`` fails when stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from summarizer.records import ArticleResult, Extraction, RunReport

__all__ = ["SCHEMAS", "export_schemas", "render_schemas"]

SCHEMAS: dict[str, Any] = {
    "extraction.schema.json": Extraction,
    "article.schema.json": ArticleResult,
    "run.schema.json": RunReport,
}


def render_schemas() -> dict[str, str]:
    """File name -> JSON text of each schema."""
    return {
        name: json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n"
        for name, model in SCHEMAS.items()
    }


def export_schemas(directory: Path | None = None, *, check: bool = False) -> int:
    """Write (or with ``check``, compare) the schema files; returns an exit code."""
    from summarizer._atomic import write_text_atomic
    from summarizer.extract.prompts import data_dir

    target = directory or data_dir("schemas")
    stale = []
    for name, text in render_schemas().items():
        path = target / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not check:
            write_text_atomic(path, text)
    if check and stale:
        print(
            f"stale schemas in {target}: {', '.join(stale)}; run `summarize schemas`",
            file=sys.stderr,
        )
        return 1
    print(f"{'checked' if check else 'wrote'} {len(SCHEMAS)} schemas in {target}")
    return 0
