"""Main text of an HTML page.

With the ``html`` extra installed, trafilatura extracts the article body (dropping
navigation, share bars, comments and cookie banners). Without it, a small stdlib
parser keeps the visible text of the page, minus scripts, styles and navigation.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["extract_html"]


def extract_html(html: str) -> tuple[str, str | None]:
    """Return ``(text, title)`` for an HTML page; text is ``\\n``-separated paragraphs."""
    try:
        import trafilatura
    except ImportError:
        return _fallback(html)
    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta is not None and meta.title else None
    if not text:
        fallback_text, fallback_title = _fallback(html)
        return fallback_text, title or fallback_title
    return text.replace("\r\n", "\n"), title


_SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form", "svg"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data.strip()
        elif not self._skip:
            self.parts.append(data)


def _fallback(html: str) -> tuple[str, str | None]:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p), parser.title or None
