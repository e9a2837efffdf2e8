"""The matching vocabulary: when two records say the same thing.

One module for both consumers: :mod:`summarizer.corpus.consolidate` (merging records
across articles) and :mod:`summarizer.evaluate` (matching predictions to gold). Speaker
titles, pronouns, units, date agreement, value tolerance and text normalisation live
here once; units are canonicalised by :func:`summarizer.ground.normalize.normalize_unit`.
Every rule is deterministic; the consolidation thresholds are module constants
(evaluation has its own, looser ones in :class:`summarizer.evaluate.MatchRules`).

**Statistics.** A metric phrase becomes a *canonical key* (:func:`metric_key`): NFKC and
case folding; text in brackets dropped; possessives and hyphens inside words removed;
synonyms ("netizens", "internet population", "online population", "web users" ->
"internet user"); a trailing clause introduced by who / which / that / whose / using
dropped ("netizens who use the internet to study" -> "netizens"); demonyms to countries
("Chinese" -> "china"); stopwords and filler words ("number", "total", "value", "size",
"scale", "national", "annual", ...) dropped; plurals made singular; tokens sorted. Units
fall into classes (:func:`unit_class`): percent, percentage point, a currency (ISO code,
"yuan" -> CNY), a physical or time unit (km, kg, minute, ...), else *count* (users,
netizens, people and shoppers are all counts; the metric says what is counted). Two
statistics have the same metric when their unit classes are equal and their keys are
equal or have a rapidfuzz ``ratio`` >= :data:`METRIC_THRESHOLD` (on sorted tokens, i.e.
``token_sort_ratio``; ``token_set_ratio`` is not used because it scores 100 whenever one
key's words are a subset of the other's: "increase in internet users" would join
"internet users"). Values agree within :data:`VALUE_REL_TOL` (0.5 %, relative); periods
agree at their common precision ("2020" ~ "2020-12"). A qualifier can reconcile two
different values (``at_least``/``at_most`` bounds hold, ``approximate`` within
:data:`APPROX_REL_TOL`).

**Milestones.** Same date at the common precision (undated only with undated) and alike
events (:func:`alike_event`): content-token ``token_sort_ratio`` or, for events of five
or more content tokens, ``token_set_ratio`` >= :data:`EVENT_THRESHOLD`.

**Quotes.** Speakers are reduced to name tokens (:func:`speaker_name`: titles such as
President or General Secretary dropped); quotes whose normalised texts (:func:`quote_norm`)
have ``ratio`` >= :data:`QUOTE_THRESHOLD` are the same quote. :func:`speakers_agree` (used
by evaluation) accepts one name's tokens inside the other's.

**Shared by evaluation.** :func:`units_agree` (canonical unit tokens, one set inside the
other: "graduates" ~ "college graduates"), :func:`dates_agree` (equal at the common
precision), :func:`values_close`, :func:`norm_text` (case, quotes, dashes, whitespace and
end punctuation normalised) and :func:`speakers_agree`.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable, Mapping

from rapidfuzz import fuzz, process

from summarizer.ground._units import MEASURE_UNITS, normalize_unit

__all__ = [
    "APPROX_REL_TOL",
    "EVENT_THRESHOLD",
    "MAX_CANDIDATES",
    "METRIC_THRESHOLD",
    "PRONOUNS",
    "QUOTE_THRESHOLD",
    "TITLES",
    "VALUE_REL_TOL",
    "Blocker",
    "alike_event",
    "content_tokens",
    "dates_agree",
    "display_name",
    "metric_key",
    "most_common",
    "norm_text",
    "period_key",
    "quote_norm",
    "speaker_name",
    "speakers_agree",
    "unit_class",
    "unit_tokens",
    "units_agree",
    "values_close",
]

METRIC_THRESHOLD = 90.0
VALUE_REL_TOL = 0.005
APPROX_REL_TOL = 0.05
EVENT_THRESHOLD = 80.0
QUOTE_THRESHOLD = 90.0
MAX_CANDIDATES = 100
"""A blocking posting offers its latest this many items as candidates."""
_ANCHORS = 4

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_POSSESSIVE = re.compile(r"(\w)'s\b")
_INNER_HYPHEN = re.compile(r"(?<=\w)[-\u2010-\u2015](?=\w)")
_TOKEN = re.compile(r"[^\W_]+")
_NETIZENS = r"\b(?:netizens?|internet population|online population|web users?)\b"
_SYNONYMS = ((re.compile(_NETIZENS), "internet user"), (re.compile(r"\bper cent\b"), "percent"))
_CLAUSE_WORDS = frozenset({"who", "which", "that", "whose", "using"})
_DEMONYMS = dict(
    pair.split(":")
    for pair in "chinese:china american:usa us:usa indian:india japanese:japan british:uk "  # noqa: SIM905
    "german:germany french:france russian:russia korean:korea european:europe".split()
)
_STOPWORDS = frozenset(
    "a an the of in on at for to by from with and or as its their his her this these those "  # noqa: SIM905
    "is are was were be been".split()
)
_FILLER = frozenset(
    "number total amount value size scale overall national nationwide annual yearly count "  # noqa: SIM905
    "figure".split()
)
_KEEP_S = ("ss", "us", "is", "ics")


def _singular(token: str) -> str:
    if len(token) <= 3 or token.endswith(_KEEP_S) or not token.endswith("s"):
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    return token[:-1]


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _POSSESSIVE.sub(r"\1", text)
    return _INNER_HYPHEN.sub("", text)


def content_tokens(text: str) -> list[str]:
    """Lower-case singular words without stopwords: the comparable part of a phrase."""
    return [_singular(t) for t in _TOKEN.findall(_plain(text)) if t not in _STOPWORDS]


def metric_key(metric: str) -> str:
    """The canonical key of a metric phrase (see the module docstring): sorted tokens."""
    text = _plain(_BRACKETS.sub(" ", metric))
    for pattern, repl in _SYNONYMS:
        text = pattern.sub(repl, text)
    tokens = _TOKEN.findall(text)
    for i, tok in enumerate(tokens):
        if i > 0 and tok in _CLAUSE_WORDS:
            tokens = tokens[:i]
            break
    out = []
    for tok in tokens:
        tok = _DEMONYMS.get(tok, tok)
        if tok not in _STOPWORDS and tok not in _FILLER:
            out.append(_singular(tok))
    return " ".join(sorted(out))


# Abbreviations normalize_unit leaves alone (alone in running text they are ambiguous;
# as the unit a model gave they are not).
_UNIT_ABBREVIATIONS = {"t": "tonnes", "s": "seconds", "sec": "seconds", "secs": "seconds",
                       "min": "minutes", "mins": "minutes", "h": "hours", "hr": "hours",
                       "hrs": "hours", "mbps": "Mbps",
                       "pound sterling": "GBP"}  # fmt: skip  # normalize_unit knows only the plural


def _canonical_unit(unit: str | None) -> str | None:
    canon = normalize_unit(unit)
    return None if canon is None else _UNIT_ABBREVIATIONS.get(canon, canon)


def unit_class(unit: str | None) -> str:
    """The comparable class of a unit: 'percent', an ISO currency, a physical unit, or 'count'."""
    canon = _canonical_unit(unit)
    if canon is None:
        return "none"
    if (
        canon in ("percent", "percentage points", "Mbps")
        or canon in MEASURE_UNITS
        or (len(canon) == 3 and canon.isalpha() and canon.isupper())  # an ISO 4217 code
        or " per " in canon
    ):
        return canon
    return "count"


def unit_tokens(unit: str | None) -> frozenset[str] | None:
    """The words of the canonical unit, singular and case-folded; None for no unit."""
    canon = _canonical_unit(unit)
    return None if canon is None else frozenset(_singular(t) for t in canon.casefold().split())


def units_agree(a: str | None, b: str | None) -> bool:
    """Same unit after canonicalisation, or one's words inside the other's (None ~ None only)."""
    ta, tb = unit_tokens(a), unit_tokens(b)
    if ta is None or tb is None:
        return ta is None and tb is None
    return ta <= tb or tb <= ta


def period_key(period: str | None) -> tuple[int, str]:
    """Sort key: partial ISO dates by their start, undated last."""
    return (1, "") if not period else (0, period)


_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def dates_agree(a: str | None, b: str | None, *, undated: bool) -> bool:
    """Equal at the common precision ("2015" ~ "2015-12" !~ "2016").

    ``undated``: whether a missing date agrees with a present one (two missing always do).
    Dates that are not partial ISO dates agree only when equal, ignoring case.
    """
    if a is None or b is None:
        return undated or (a is None and b is None)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if long.startswith(short) and (len(long) == len(short) or long[len(short)] == "-"):
        return True  # the common case, without splitting
    if _ISO_DATE.fullmatch(a) and _ISO_DATE.fullmatch(b):
        return False  # zero-padded ISO dates agree only as prefixes
    pa, pb = a.strip().split("-"), b.strip().split("-")
    if not all(p.isdigit() for p in pa + pb):
        return a.strip().casefold() == b.strip().casefold()
    n = min(len(pa), len(pb))
    return [int(p) for p in pa[:n]] == [int(p) for p in pb[:n]]


def values_close(a: float | None, b: float | None, tol: float) -> bool:
    """True when ``a`` and ``b`` differ by at most ``tol`` relative (both None agree)."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * max(abs(a), abs(b))


def alike_event(key: str, choices: Mapping[int, str]) -> int | None:
    """The first of ``choices`` (content-token strings) that describes the same event."""
    # Keys hold sorted tokens, so a plain ratio is token_sort_ratio without re-sorting.
    best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=EVENT_THRESHOLD)
    if best is None and key.count(" ") >= 4:
        long = {c: k for c, k in choices.items() if k.count(" ") >= 4}
        best = process.extractOne(
            key, long, scorer=fuzz.token_set_ratio, score_cutoff=EVENT_THRESHOLD
        )
    return None if best is None else int(best[2])


TITLES = frozenset(
    "president vice general secretary prime minister premier chairman chairwoman chair "  # noqa: SIM905
    "chairperson mr mrs ms miss mx dr prof professor sir dame lord lady governor senator "
    "ambassador chancellor spokesman spokeswoman spokesperson ceo head director the a an "
    "of state".split()
)
"""Words dropped from a speaker to leave the name (lower case)."""
PRONOUNS = frozenset("he she they him her them it i we you".split())  # noqa: SIM905
"""Speakers that name nobody."""
_NOT_NAME = TITLES | PRONOUNS


def _speaker_words(speaker: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", speaker.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _TOKEN.findall(plain)


def speaker_name(speaker: str) -> tuple[str, ...]:
    """Name tokens of a speaker, titles dropped; () for a pronoun or a bare role."""
    return tuple(t for t in _speaker_words(speaker) if t not in _NOT_NAME)


def speakers_agree(a: str, b: str) -> bool:
    """True when two speaker strings name the same person.

    Titles (President, General Secretary, Mr, Dr, ...) are dropped and one name's tokens
    must be contained in the other's: "Xi" ~ "General Secretary Xi Jinping". A speaker
    with no name left (a pronoun or a bare role) only agrees with the same role, never
    with a pronoun and never with a named person.
    """
    wa, wb = _speaker_words(a), _speaker_words(b)
    ta = frozenset(t for t in wa if t not in _NOT_NAME)
    tb = frozenset(t for t in wb if t not in _NOT_NAME)
    if not ta or not tb:
        role_a = " ".join(t for t in wa if t not in {"the", "a", "an"})
        role_b = " ".join(t for t in wb if t not in {"the", "a", "an"})
        if ta or tb or role_a in PRONOUNS or role_b in PRONOUNS:
            return False
        return bool(role_a) and role_a == role_b
    return ta <= tb or tb <= ta


def quote_norm(text: str) -> str:
    """A quote reduced to lower-case words, for comparing texts."""
    return " ".join(_TOKEN.findall(_plain(text)))


def display_name(raw: str) -> str:
    """A speaker string without titles, in its own casing: "President Xi Jinping" -> "Xi Jinping"."""
    words = re.findall(r"[^\W_]+(?:['’.-][^\W_]+)*", raw)
    return " ".join(w for w in words if w.casefold() not in _NOT_NAME) or raw.strip()


_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_END_PUNCT = "\"'.,;:!?-…() "


def norm_text(text: str) -> str:
    """Text for comparing passages: NFKC, case-folded, straight quotes, ASCII dashes,
    whitespace collapsed, punctuation at the ends removed."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _DASHES.sub("-", text)
    return " ".join(text.split()).strip(_END_PUNCT)


def most_common(counter: Mapping[str, int]) -> str:
    """The most frequent string; ties go to the shortest, then the first alphabetically."""
    return min(counter.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]


# Token -> CRC-32, a bounded cache: the same words recur in every article.
_CRC: dict[str, int] = {}
_CRC_CACHE = 16384  # about 1.5 MB at most


class Blocker:
    """Candidate lookup: items sharing one of a query's *anchor* tokens are candidates.

    A text's anchors are its :data:`_ANCHORS` tokens with the smallest CRC-32, a bottom-k
    sample that two alike texts mostly share (the MinHash argument), so only k postings
    per item are kept. A posting keeps its latest :data:`MAX_CANDIDATES` items.
    """

    def __init__(self) -> None:
        self._post: dict[str, int | list[int]] = {}  # a lone item is kept without a list

    @staticmethod
    def anchors(tokens: Iterable[str]) -> list[str]:
        """The bottom-k tokens by CRC-32."""
        crc = _CRC
        ranked = []
        for t in set(tokens):
            c = crc.get(t)
            if c is None:
                if len(crc) >= _CRC_CACHE:
                    crc.clear()
                c = crc[t] = zlib.crc32(t.encode())
            ranked.append((c, t))
        ranked.sort()
        return [t for _, t in ranked[:_ANCHORS]]

    def add(self, item: int, tokens: Iterable[str]) -> None:
        """Index ``item`` under the anchors of ``tokens``."""
        for tok in self.anchors(tokens):
            posting = self._post.get(tok)
            if posting is None:
                self._post[tok] = item
            elif isinstance(posting, int):
                self._post[tok] = [posting, item]
            else:
                posting.append(item)
                if len(posting) > 2 * MAX_CANDIDATES:
                    del posting[:MAX_CANDIDATES]

    def candidates(self, tokens: Iterable[str]) -> dict[int, None]:
        """Items indexed under any anchor of ``tokens``, in insertion order."""
        found: dict[int, None] = {}
        for tok in self.anchors(tokens):
            posting = self._post.get(tok, ())
            if isinstance(posting, int):
                found[posting] = None
            else:
                found.update(dict.fromkeys(posting[-MAX_CANDIDATES:]))
        return found
