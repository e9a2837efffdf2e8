"""Load articles from disk: discover, decode, normalise, strip boilerplate.

The text of an article *as loaded* is the file decoded (UTF-8, else the encoding
charset-normalizer detects) with line endings normalised to ``\\n``; for HTML it is
the main text extracted from the page. Every offset summarizer writes indexes that
text. Boilerplate (cookie banners, "You may also like", legal disclaimers) is not
cut out of it: it is *masked* from what the model sees (:attr:`Article.model_text`),
so offsets stay valid.

Bad input never raises out of :func:`load_article`: it comes back as a
:class:`LoadProblem` with a reason the run report shows.

Hostile folders: a symbolic link whose target lies outside the input folder is not
read unless the caller asks (``follow_symlinks=True``); it is reported as skipped.
Discovery never descends into a folder this tool wrote its outputs to (one holding
:data:`OUTPUT_MARKER`, or one passed in ``exclude``), so ``-o`` inside the input
folder does not feed a run's own ``summary.md`` back in. File names are bytes on
Linux: ones that are not valid UTF-8 get ids and paths with the odd bytes written
as ``\\xNN`` escapes, so they survive JSON.
"""

from __future__ import annotations

import codecs
import fnmatch
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from summarizer.errors import InputError
from summarizer.load.dates import find_article_date
from summarizer.load.files import FileList

__all__ = [
    "DEFAULT_GLOBS",
    "OUTPUT_MARKER",
    "Article",
    "LoadProblem",
    "discover",
    "display_path",
    "document_id",
    "load_article",
    "make_article",
    "split_front_matter",
    "strip_boilerplate",
]

DEFAULT_GLOBS: tuple[str, ...] = ("*.txt", "*.md", "*.html", "*.htm")
_HTML_SUFFIXES = {".html", ".htm"}
_SNIFF_BYTES = 8192
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
# The file an output folder of this tool holds (written by summarizer.outputs.files);
# discovery never reads a folder that has one.
OUTPUT_MARKER = ".summarizer-manifest.json"
# Longest BOMs first: UTF-32-LE's BOM starts with UTF-16-LE's. (A UTF-8 BOM needs
# nothing special: UTF-8 decodes it and normalize_newlines drops it.)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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
    published: str | None = None  # as the file says it (Markdown front matter ``date``)

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


def _safe(text: str) -> str:
    """``text`` with undecodable file-name bytes (surrogate escapes) as ``\\xNN``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", errors="backslashreplace")
    return text


def display_path(path: Path) -> str:
    """``str(path)``, safe to write as UTF-8 JSON even when the name is not UTF-8."""
    return _safe(str(path))


def document_id(path: Path, root: Path) -> str:
    """``business/001`` for ``root/business/001.txt``: relative, no extension, ``/``-separated.

    Bytes of the name that are not UTF-8 appear as ``\\xNN``.
    """
    # The common case on strings (pathlib costs ~0.3 ms a file): a plain name under root.
    name, base = os.fspath(path), os.fspath(root)
    if (
        os.sep == "/"
        and name.startswith(base)
        and name[len(base) : len(base) + 1] == "/"
        and "//" not in name
        and "/." not in name
        and not name.endswith("/")
    ):
        rel = name[len(base) + 1 :]
        start, dot = rel.rfind("/") + 1, rel.rfind(".")
        if start < dot < len(rel) - 1:  # pathlib's rule for a suffix
            rel = rel[:dot]
        return _safe(rel)
    return _document_id(path, root)


def _document_id(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    doc = str(PurePosixPath(*rel.parts).with_suffix("")) if rel.suffix else rel.as_posix()
    return _safe(doc)


def discover(
    folder: Path,
    globs: Sequence[str] = DEFAULT_GLOBS,
    *,
    follow_symlinks: bool = False,
    exclude: Iterable[Path] = (),
) -> FileList:
    """Files under ``folder`` (recursively) matching any of ``globs``, sorted.

    The list is a :class:`~summarizer.load.files.FileList` (a sequence of paths kept
    on disk), sorted by the bytes of the names.

    Broken links, and links to files or folders outside ``folder``, are included
    so that :func:`load_article` reports them. Linked folders are entered only with
    ``follow_symlinks`` (each real folder once, so a link loop ends). Folders in
    ``exclude`` (the run's own output folder) and folders holding
    :data:`OUTPUT_MARKER` (an earlier run's outputs) are never entered.
    """
    if not folder.exists():
        raise InputError(f"input folder {folder} does not exist")
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder; pass the folder that holds the articles")
    _REAL_FOLDERS.clear()  # a new run sees the folders as they are now
    skip = {_real(p) for p in exclude}
    if _real(folder) in skip:
        raise InputError(
            f"the output folder is the input folder {folder}; write the outputs elsewhere "
            "(a subfolder is fine: it is never read as input)"
        )
    # The names go straight to disk (and are sorted there): a list of 100,000 paths
    # would weigh 40 MB for the whole run.
    files = FileList(_walk(folder, globs, follow_symlinks, skip), sort=True)
    if not files:
        files.close()
        raise InputError(
            f"no files matching {', '.join(globs)} in {folder}; use --glob to choose others"
        )
    return files


def _walk(
    folder: Path, globs: Sequence[str], follow_symlinks: bool, skip: set[str]
) -> Iterator[Path]:
    """The files :func:`discover` lists, in the order the walk meets them."""
    seen: set[str] = set()
    for current, dirs, names in os.walk(folder, followlinks=follow_symlinks):
        here = Path(current)
        real = _real(here)
        if real in seen or real in skip or (here != folder and (here / OUTPUT_MARKER).exists()):
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        if not follow_symlinks:
            # A linked folder that leads out is not entered; list it so it is reported.
            yield from (
                here / d for d in dirs if (here / d).is_symlink() and _outside(here / d, folder)
            )
        for name in names:
            rel = (here / name).relative_to(folder).as_posix()
            if any(_matches(name, rel, pattern) for pattern in globs):
                yield here / name


def _matches(name: str, rel: str, pattern: str) -> bool:
    # As Path.rglob did: a bare pattern matches the name at any depth; one with a
    # "/" matches the end of the relative path.
    if "/" not in pattern:
        return fnmatch.fnmatchcase(name, pattern)
    return fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel, f"*/{pattern}")


def _real(path: Path) -> str:
    return os.path.realpath(path)


# Real paths of folders: every file of a folder would resolve it again (an lstat per
# component), so they are remembered, a bounded number of them, for one run
# (discover() forgets them).
_REAL_FOLDERS: dict[str, str] = {}
_REAL_FOLDERS_MAX = 4096


def _real_file(path: Path) -> str:
    """``os.path.realpath(path)``, with the folder's part remembered."""
    name = os.fspath(path)
    if os.path.islink(name):
        return os.path.realpath(name)
    folder, _, base = name.rpartition("/")
    if not folder or base in ("", ".", ".."):
        return os.path.realpath(name)
    real = _REAL_FOLDERS.get(folder)
    if real is None:
        if len(_REAL_FOLDERS) >= _REAL_FOLDERS_MAX:
            _REAL_FOLDERS.clear()
        real = _REAL_FOLDERS[folder] = os.path.realpath(folder)
    return os.path.join(real, base)


def _outside(path: Path, root: Path) -> bool:
    """Whether ``path``, links resolved, lies outside ``root`` (links resolved too)."""
    real_root = _real_file(root)
    target = _real_file(path)
    return os.path.commonpath([real_root, target]) != real_root


def load_article(
    path: Path,
    root: Path,
    *,
    max_chars: int = 200_000,
    follow_symlinks: bool = False,
    doc_id: str | None = None,
) -> Article | LoadProblem:
    """Read one file. Returns an :class:`Article`, or a :class:`LoadProblem` saying why not.

    A file that is (or sits behind) a link to somewhere outside ``root`` is skipped
    unless ``follow_symlinks``. ``doc_id``: the id a folder run gave the file (default
    :func:`document_id`; a run gives ``a.md`` another id when ``a.txt`` is there too).
    """
    if doc_id is None:
        doc_id = document_id(path, root)
    shown = display_path(path)
    if not follow_symlinks and os.path.lexists(path) and _outside(path, root):
        return LoadProblem(
            doc_id,
            shown,
            "symbolic link to a place outside the input folder, not followed "
            "(pass --follow-symlinks to read it)",
        )
    try:
        data = _read_regular(path)
    except _NotAFile as exc:
        return LoadProblem(doc_id, shown, str(exc))
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
    bom = _bom_encoding(data)
    if bom is None and b"\x00" in data[:_SNIFF_BYTES]:
        return LoadProblem(doc_id, shown, "binary file (contains NUL bytes), not an article")
    decoded = _decode(data, bom)
    if decoded is None:
        return LoadProblem(doc_id, shown, "not text: no character encoding fits its bytes")
    raw, encoding = decoded
    if not raw.strip("\ufeff \t\r\n"):
        return LoadProblem(doc_id, shown, "empty file")
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
        front_matter=path.suffix.lower() in _MARKDOWN_SUFFIXES,
        page=raw if title is not None or path.suffix.lower() in _HTML_SUFFIXES else None,
    )


class _NotAFile(Exception):
    """The name is a folder, a named pipe, a socket or a device: nothing to read."""


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))


def _read_regular(path: Path) -> bytes:
    """The bytes of ``path`` when it is a regular file (after links); else :class:`_NotAFile`.

    Opened without blocking: reading a named pipe called ``news.txt`` would wait for
    a writer forever.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "a device")
            raise _NotAFile(f"{kind}, not a file")
        return fh.read()


def make_article(
    text: str,
    *,
    id: str = "text",
    path: str = "",
    title: str | None = None,
    encoding: str = "utf-8",
    warnings: Sequence[str] = (),
    max_chars: int = 200_000,
    front_matter: bool = False,
    published: str | None = None,
    page: str | None = None,
) -> Article | LoadProblem:
    """Build an :class:`Article` from text already in memory (normalises line endings).

    With ``front_matter`` (Markdown files), a leading ``---`` block is metadata: its
    ``title`` and ``date`` fill :attr:`Article.title` and :attr:`Article.published`,
    and the model never reads it. The block stays in :attr:`Article.text`, so offsets
    still index the file. Without a ``published`` date, one is looked for in the HTML
    ``page`` metadata and the article's first lines (:func:`find_article_date`).
    """
    if not isinstance(text, str):
        hint = "; decode it first, e.g. data.decode('utf-8')" if isinstance(text, bytes) else ""
        raise InputError(f"{id}: text must be a str, not {type(text).__name__}{hint}")
    text = normalize_newlines(text)
    if not text.strip():
        return LoadProblem(id, path, "empty text")
    if len(text) > max_chars:
        return LoadProblem(
            id, path, f"too long: {len(text):,} characters is over --max-chars {max_chars:,}"
        )
    body = text
    if front_matter:
        meta, body = split_front_matter(text)
        title = title if title is not None else meta.get("title") or None
        published = published if published is not None else meta.get("date") or None
        if not body.strip():
            return LoadProblem(id, path, "only front matter, no article text")
    if published is None:
        published = find_article_date(body, html=page)
    else:
        published = find_article_date(published) or published
    model_text = strip_boilerplate(body)
    return Article(
        id=id,
        path=path,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=title if title is not None else guess_title(model_text),
        encoding=encoding,
        model_text=model_text,
        warnings=tuple(warnings),
        published=published,
    )


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_META_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``({key: value}, body)`` for text opening with a YAML front-matter block.

    Only top-level ``key: scalar`` lines are read (enough for ``title`` and
    ``date``), with surrounding quotes removed; text without a block comes back
    whole with no metadata.
    """
    match = _FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    meta: dict[str, str] = {}
    for line in (match.group(1) or "").split("\n"):
        found = _META_LINE.match(line)
        if found is None:
            continue
        value = found.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        meta.setdefault(found.group(1).lower(), value.strip())
    return meta, text[match.end() :]


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; a leading byte-order mark is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


_FEW_NON_ASCII = 0.02  # share of bytes; Greek, Cyrillic, CJK or Polish text has far more


def _decode(data: bytes, bom: str | None = None) -> tuple[str, str] | None:
    if bom is not None:
        try:
            # The utf-16/utf-32 codecs read the BOM for byte order and drop it.
            return data.decode(bom), bom
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly ASCII with a few other bytes (a "£" or an "é" in an English article): too
    # little for a detector to tell code pages apart (it read a lone £ as cp932 or
    # cp1250), so Windows-1252, the usual one for such text, when it fits.
    if sum(b > 0x7F for b in data) <= len(data) * _FEW_NON_ASCII:
        try:
            return data.decode("cp1252"), "cp1252"
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
    # No _JUNK_ANY match can span lines (its spaces are literal), so one search of the
    # whole text says whether any line needs it.
    anywhere = _JUNK_ANY.search(text) is not None
    kept = [
        line
        for line in lines[:cut]
        if not (_JUNK_START.match(line) or (anywhere and _JUNK_ANY.search(line)) or _is_legal(line))
    ]
    return "\n".join(kept).strip("\n")
