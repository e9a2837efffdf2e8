"""Prompt templates: data files in ``prompts/``, each carrying a version.

A template is a TOML file with ``version``, ``system`` and ``user``. The article is
a variable of a sandboxed Jinja environment, so ``{{ x }}`` or ``{% if %}`` inside
an article is inserted as plain text, never evaluated. Either the messages go to
instructor *unrendered*, with the article in its ``context`` (:meth:`Prompt.messages`),
or they are rendered here exactly as instructor would (:meth:`Prompt.render`), with
each template compiled once instead of on every call.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from textwrap import dedent
from typing import TYPE_CHECKING, Any

from summarizer.errors import ConfigError

if TYPE_CHECKING:
    from jinja2 import Template

__all__ = ["Prompt", "data_dir", "load_prompt"]

DEFAULT_PROMPT = "extract"


def data_dir(name: str) -> Path:
    """Folder of packaged data (``prompts`` or ``schemas``): in the wheel, else the source tree."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_data" / name, package.parent / name):
        if candidate.is_dir():
            return candidate
    raise ConfigError(f"cannot find the {name}/ folder; reinstall summarizer")


@dataclass(frozen=True, slots=True)
class Prompt:
    """A loaded prompt template."""

    name: str
    version: str
    system: str
    user: str

    @property
    def fingerprint(self) -> str:
        """sha256 over the version and both templates: part of every cache key."""
        h = hashlib.sha256()
        for part in (self.version, self.system, self.user):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()

    def messages(self) -> list[dict[str, str]]:
        """The chat messages, unrendered: instructor renders them with the context."""
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.user},
        ]

    def render(self, article: str) -> list[dict[str, str]]:
        """The chat messages with ``article`` in place, as instructor renders :meth:`messages`."""
        context = {"article": article}
        return [
            {"role": "system", "content": render_template(self.system, context)},
            {"role": "user", "content": render_template(self.user, context)},
        ]


@cache
def _compiled(source: str) -> Template:
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment().from_string(source)


def render_template(source: str, context: dict[str, Any]) -> str:
    """``source`` rendered with ``context``: the same text as instructor's ``apply_template``.

    instructor 1.17 renders each message in a new ``SandboxedEnvironment`` and dedents
    the result, compiling the template on every call (about 1 ms of CPU for a prompt);
    here each template is compiled once. Rendering a compiled template has no state, so
    the text is the same byte for byte (a test compares the two).
    """
    return dedent(_compiled(source).render(**context))


@cache
def load_prompt(name_or_path: str = DEFAULT_PROMPT) -> Prompt:
    """Load ``prompts/<name>.toml``, or a template file given by path."""
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = data_dir("prompts") / f"{name_or_path}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"prompt template {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"prompt template {path} is not valid TOML: {exc}") from None
    missing = [k for k in ("version", "system", "user") if not isinstance(data.get(k), str)]
    if missing:
        raise ConfigError(f"prompt template {path} lacks {', '.join(missing)}")
    if "{{ article }}" not in data["user"]:
        raise ConfigError(
            f"prompt template {path}: the user message must contain {{{{ article }}}}"
        )
    return Prompt(path.stem, data["version"], data["system"], data["user"])
