"""Load articles from disk: discover, decode, normalise, strip boilerplate.

The text of an article *as loaded* is the file decoded (UTF-8, else the encoding
charset-normalizer detects) with line endings normalised to ``\\n``; for HTML it is
the main text extracted from the page. Every offset summarizer writes indexes that
text. Boilerplate (cookie banners, "You may also like", legal disclaimers) is not
cut out of it: it is *masked* from what the model sees (:attr:`Article.model_text`),
so offsets stay valid.

Bad input never raises out of :func:`load_article`: it comes back as a
:class:`LoadProblem` with a reason the run report shows.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from summarizer.errors import InputError

__all__ = [
    "DEFAULT_GLOBS",
    "Article",
    "LoadProblem",
    "discover",
    "document_id",
    "load_article",
    "make_article",
    "strip_boilerplate",
]

DEFAULT_GLOBS: tuple[str, ...] = ("*.txt", "*.md", "*.html", "*.htm")
_HTML_SUFFIXES = {".html", ".htm"}
_SNIFF_BYTES = 8192


@dataclass(frozen=True, slots=True)
class Article:
    """An article ready for extraction."""

    id: str
    path: str
    text: str
    sha256: str
    title: str | None = None
    encoding: str = "utf-8"
    model_text: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def chars(self) -> int:
        """Length of the text as loaded, in characters."""
        return len(self.text)


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A file that could not become an :class:`Article`."""

    id: str
    path: str
    reason: str
    status: str = "skipped"  # "skipped" (nothing to do) or "failed" (could not read)
    warnings: list[str] = field(default_factory=list)


def document_id(path: Path, root: Path) -> str:
    """``business/001`` for ``root/business/001.txt``: relative, no extension, ``/``-separated."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    return str(PurePosixPath(*rel.parts).with_suffix("")) if rel.suffix else rel.as_posix()


def discover(folder: Path, globs: Sequence[str] = DEFAULT_GLOBS) -> list[Path]:
    """Files under ``folder`` (recursively) matching any of ``globs``, sorted.

    Broken links are included so that the run can report them.
    """
    if not folder.exists():
        raise InputError(f"input folder {folder} does not exist")
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder; pass the folder that holds the articles")
    found: set[Path] = set()
    for pattern in globs:
        found.update(p for p in folder.rglob(pattern) if p.is_file() or p.is_symlink())
    files = sorted(found, key=lambda p: p.as_posix())
    if not files:
        raise InputError(
            f"no files matching {', '.join(globs)} in {folder}; use --glob to choose others"
        )
    return files


def load_article(path: Path, root: Path, *, max_chars: int = 200_000) -> Article | LoadProblem:
    """Read one file. Returns an :class:`Article`, or a :class:`LoadProblem` saying why not."""
    doc_id = document_id(path, root)
    shown = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        reason = "broken link: the file it points to does not exist"
        return LoadProblem(
            doc_id, shown, reason if path.is_symlink() else "file vanished", "failed"
        )
    except PermissionError:
        return LoadProblem(doc_id, shown, "unreadable: permission denied", "failed")
    except OSError as exc:
        return LoadProblem(doc_id, shown, f"unreadable: {exc.strerror or exc}", "failed")
    if not data.strip():
        return LoadProblem(doc_id, shown, "empty file")
    if b"\x00" in data[:_SNIFF_BYTES]:
        return LoadProblem(doc_id, shown, "binary file (contains NUL bytes), not an article")
    decoded = _decode(data)
    if decoded is None:
        return LoadProblem(doc_id, shown, "not text: no character encoding fits its bytes")
    raw, encoding = decoded
    warnings: list[str] = []
    if encoding != "utf-8":
        warnings.append(f"not UTF-8: decoded as {encoding}")
    title: str | None = None
    if path.suffix.lower() in _HTML_SUFFIXES:
        from summarizer.load.html import extract_html

        text, title = extract_html(raw)
        if not text.strip():
            return LoadProblem(doc_id, shown, "HTML page with no article text", warnings=warnings)
    else:
        text = raw
    return make_article(
        text,
        id=doc_id,
        path=shown,
        title=title,
        encoding=encoding,
        warnings=warnings,
        max_chars=max_chars,
    )


def make_article(
    text: str,
    *,
    id: str = "text",
    path: str = "",
    title: str | None = None,
    encoding: str = "utf-8",
    warnings: Sequence[str] = (),
    max_chars: int = 200_000,
) -> Article | LoadProblem:
    """Build an :class:`Article` from text already in memory (normalises line endings)."""
    text = normalize_newlines(text)
    if not text.strip():
        return LoadProblem(id, path, "empty text")
    if len(text) > max_chars:
        return LoadProblem(
            id, path, f"too long: {len(text):,} characters is over --max-chars {max_chars:,}"
        )
    model_text = strip_boilerplate(text)
    return Article(
        id=id,
        path=path,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=title if title is not None else guess_title(model_text),
        encoding=encoding,
        model_text=model_text,
        warnings=tuple(warnings),
    )


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; a leading byte-order mark is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode(data: bytes) -> tuple[str, str] | None:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding


# --------------------------------------------------------------------------- titles

_SENTENCE_END = re.compile(r"[.!;,]$")


def guess_title(text: str) -> str | None:
    """The first line of the (boilerplate-free) text when it reads as a headline, else None.

    A headline is a first non-empty line of at most 200 characters that does not end
    like a sentence and is followed by more text.
    """
    lines = text.lstrip().split("\n", 1)
    first = lines[0].strip()
    if not first or len(lines) < 2 or not lines[1].strip() or len(first) > 200:
        return None
    if _SENTENCE_END.search(first):
        return None
    return first


# --------------------------------------------------------------------------- boilerplate

# Lines that end the article: everything from the first of them on is site furniture.
# Only honoured in the last half of the text, so an article that mentions them early
# loses nothing.
_TAIL_MARKERS = re.compile(
    r"^\s*(you may also like|leave a (comment|reply)|related (articles|stories|posts)"
    r"|more recommended stories|latest (articles|news)|recommended for you"
    r"|read more:?|share this( article)?:?)\s*$",
    re.IGNORECASE,
)
# Single lines that are furniture wherever they stand: by how they start...
_JUNK_START = re.compile(
    r"\s*(?:"
    r"home\s*(?:»|›|>|/)\s"  # breadcrumbs
    r"|see also\b"
    r"|by admin\s*$"
    r"|\d+\s*$"  # a lone comment or share counter
    r"|(?:share|tweet|email|print|facebook|twitter|whatsapp|linkedin)(?:\s*[|/·]\s*\w+)*\s*$"
    r"|©"
    r")",
    re.IGNORECASE,
)
# ...or by what they say anywhere.
_JUNK_ANY = re.compile(
    r"\b(?:uses?|use of) cookies\b|\bprivacy (?:&|and) cookies?\b|\buses akismet\b"
    r"|\ball rights? reserved\b",
    re.IGNORECASE,
)


def _is_junk(line: str) -> bool:
    return bool(_JUNK_START.match(line) or _JUNK_ANY.search(line))


# A paragraph of legal boilerplate: three or more of these phrases in one paragraph.
_LEGAL_PHRASES = (
    "shall not be construed",
    "investment advice",
    "not an offer",
    "not be an offer",
    "solicitation of an offer",
    "past performance",
    "consult with",
    "terms of use",
    "terms of this",
    "disclaimer",
)


def _is_legal(line: str) -> bool:
    if len(line) < 300:
        return False
    lower = line.lower()
    return sum(phrase in lower for phrase in _LEGAL_PHRASES) >= 3


def strip_boilerplate(text: str) -> str:
    """Return ``text`` with site furniture blanked out, for the model to read.

    Rules (plain text): (1) from the first tail marker ("You may also like",
    "Leave a Comment", "more recommended stories", ...) in the second half of the
    text, everything is dropped; (2) single junk lines (breadcrumbs, "See also ...",
    cookie and privacy banners, share bars, copyright lines) are dropped anywhere;
    (3) paragraphs with three or more legal-disclaimer phrases are dropped.
    The result is what the model reads; offsets always index the full text.
    """
    lines = text.split("\n")
    half = len(text) // 2
    pos = 0
    cut = len(lines)
    for i, line in enumerate(lines):
        if pos >= half and _TAIL_MARKERS.match(line):
            cut = i
            break
        pos += len(line) + 1
    kept = [line for line in lines[:cut] if not (_is_junk(line) or _is_legal(line))]
    return "\n".join(kept).strip("\n")
