"""People named in an article: who they are, how they were introduced, where they recur.

Private: :mod:`summarizer.ground.scan` uses this to attribute quotes. A *person* is a
run of capitalised words that is introduced like a person (a title or role before it,
an appositive after it, a speech verb after it, or its surname used alone later) and
holds no organisation or place word. Short forms ("Xi", "Mr Fox") resolve to the
fullest form the article gives ("Xi Jinping", "Liam Fox").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

__all__ = ["HONORIFICS", "NAME_RE", "People", "Person", "is_name_word", "is_pronoun", "split_role"]

_PARTICLES = r"(?:de|da|van|von|der|den|bin|al|le|la|du|di|dos|del|ibn|St\.?)"
# One capitalised word: "Xi", "Quillinan-Meiland", "O'Brien", "McGuire"; possessive excluded.
_CAP = r"[A-Z][\w-]*(?:['’][A-Z]\w+)?"
NAME_RE: Final = re.compile(rf"{_CAP}(?:[ \t]+(?:{_PARTICLES}[ \t]+)?{_CAP})*")

HONORIFICS: Final = frozenset("Mr Mrs Ms Miss Mx Dr Prof Sir Dame Lord Lady Rev".split())  # noqa: SIM905
# Capitalised titles that precede a name and are a role, not part of it.
_TITLES: Final = frozenset(
    "President Vice First Premier Treasurer Chancellor General Secretary Minister Senator Sen Governor Gov "  # noqa: SIM905
    "Judge Justice King Queen Prince Princess Pope Rabbi Chairman Chairwoman Professor "
    "Ambassador Commissioner Mayor Captain Coach Manager Sheikh Father Bishop Archbishop "
    "Chief Executive Director Deputy Foreign Home Prime Defence Defense Finance Health "
    "Attorney State Labour Tory Conservative Liberal Democrat Republican President-elect "
    "Vice-President Lieutenant Colonel Major Sergeant Officer Inspector Detective Superintendent "
    "Speaker Leader Shadow Trade Culture Education Transport Environment Economy".split()
)
# Sentence adverbs, capitalised only by the sentence they open: the name after one is that
# sentence's subject ("Earlier Tony Blair defended ...", "Again Roddick broke first").
_SENTENCE_ADVERBS: Final = frozenset(
    "Again Instead Still Even Only Just Later Earlier Finally Eventually Indeed Perhaps "  # noqa: SIM905
    "Otherwise Nevertheless Nonetheless Overall Initially Currently Previously Recently "
    "Ultimately Similarly Likewise Elsewhere Separately Besides Furthermore Consequently "
    "Thus Hence Therefore Already Once Soon Sometimes Often Usually Clearly Certainly "
    "Unfortunately Fortunately Interestingly Notably Specifically Together Alone".split()
)
# Capitalised words that start a sentence or a run but are not names.
_CAP_STOP: Final = (
    frozenset(
        "The A An In On At By For From With Without But And Or Nor So Yet If When While After "  # noqa: SIM905
        "Before Since Until As Of To This That These Those It Its He She They We I You His Her "
        "Their Our My Your There Here What Who Which Where Why How Mon Monday Tuesday Wednesday "
        "Thursday Friday Saturday Sunday January February March April May June July August "
        "September October November December Last Next Meanwhile However Moreover Additionally "
        "Although Though Over Under During Through Also Both Each Every All Some Many Most Such "
        "Not No Yes Now Then Today Yesterday Tomorrow Shortly Driven Guided Noting Addressing "
        "Delivering Running Serving Keeping From Back Like Unlike Despite Given Among Between".split()
    )
    | _SENTENCE_ADVERBS
)


def is_name_word(word: str) -> bool:
    """False for a capitalised word that opens sentences, not names ("The", "Earlier")."""
    return word not in _CAP_STOP


# A run holding any of these is an organisation, a place or an event, not a person.
_ORG_WORDS: Final = frozenset(
    "Province Region Autonomous Committee Council Commission Party Ministry Department "  # noqa: SIM905
    "Laboratory Laboratories Lab Labs University College School Institute Association Union "
    "Bank Group Company Corporation Corp Inc Ltd Plc Organisation Organization Agency Office "
    "Court Parliament Congress Senate House Conference Forum Summit Cup League Championship "
    "Championships Games Olympics Club United City Street Road Airport Hospital Republic "
    "Kingdom States Government Centre Center Network Platform Port Internet Press News Times "
    "Post Journal Daily Service Services Bureau Authority Fund Foundation Trust Society Museum "
    "Festival Awards Award Prize Film Records Music Studios Pictures Market Exchange Index "
    "Square Palace Island Islands Mountain River Sea Ocean Lake Valley Park Bridge Station "
    "Army Navy Force Forces Police Council Board Assembly Cabinet Treasury Reserve Federal "
    "National International Global World Central Political Communist Democratic Leading "
    "Affairs Things Silk Road Information Technology Security Industry Industries Industrial "
    "Research Development Economic Social Financial Energy Oil Gas Motors Airlines Airways "
    "Telecom Communications Media Television Radio Broadcasting BBC Weibo Stock Capital "
    "Partners Holdings Systems Software Electronics Entertainment Records Office Street "
    "China Chinese America American Britain British Europe European Asia Asian Africa "
    "African India Indian Japan Japanese Russia Russian France French Germany German "
    "England English Scotland Scottish Wales Welsh Ireland Irish Beijing London Washington "
    "Nanjing Zhejiang Xinjiang Jiangsu Hunan Guangxi Hong Kong Paris Berlin Moscow Tokyo".split()
)
_PRONOUNS: Final = frozenset("he she they we i it".split())  # noqa: SIM905


def is_pronoun(word: str) -> bool:
    """True for the subject pronouns a quote can be attributed to."""
    return word.lower() in _PRONOUNS


def _words(name: str) -> list[str]:
    return name.split()  # the same whitespace as re's \s (str.isspace), no empty words


def split_role(run: str) -> tuple[str, str | None]:
    """``"President Xi Jinping"`` -> ``("Xi Jinping", "President")``; honorifics stay in the name."""
    words = _words(run)
    i = 0
    while i < len(words) - 1 and words[i].rstrip(".") in _TITLES:
        i += 1
    role = " ".join(words[:i]) or None
    return " ".join(words[i:]), role


@dataclass(slots=True)
class Person:
    """A person named in the article, by the fullest name it gives."""

    name: str
    role: str | None = None
    strong: bool = False  # introduced like a person, not just a capitalised run
    keys: frozenset[str] = field(default_factory=frozenset)


@lru_cache(maxsize=4096)  # names recur within and across articles
def _keys(name: str) -> frozenset[str]:
    return frozenset(w.rstrip(".") for w in _words(name) if w.rstrip(".") not in HONORIFICS)


_ROLE_NOUNS: Final = (
    "executive|officer|director|minister|secretary|spokesman|spokeswoman|spokesperson|analyst|"
    "economist|chairman|chairwoman|chair|president|leader|manager|coach|boss|chief|head|founder|"
    "editor|professor|lawyer|prosecutor|judge|strategist|adviser|advisor|commissioner|governor|"
    "mayor|chancellor|MP|MEP|senator|ambassador|captain|striker|midfielder|defender|goalkeeper|"
    "player|singer|actor|actress|star|producer|owner|partner|researcher|scientist|expert|"
    "official|candidate|deputy|campaigner|villager|farmer|worker|student|teacher|doctor|"
    "surgeon|author|writer|presenter|host|co-chairman|vice-president|general|colonel|"
    "inspector|detective|superintendent|banker|trader|investor|consultant|member|resident"
)
_ROLE_NOUN_ENDS: Final = tuple(_ROLE_NOUNS.split("|"))
_ROLE_WORD_RE: Final = re.compile(
    rf",\s+(?:a|an|the|its|his|her)\s|\b(?:{_ROLE_NOUNS}|coordinator|director|analyst)s?\b"
)
_ROLE_BEFORE_RE: Final = re.compile(
    rf"(?:\b[A-Z][\w&'’.-]*(?:['’]s)?\s+)?(?:[a-z][\w-]*\s+){{0,3}}(?:{_ROLE_NOUNS})\s+$"
)
_APPOSITIVE_RE: Final = re.compile(
    r",\s+(?:(?:a|an|the|its|his|her)\s+)?((?:[\w’'-]+\s+){0,5}?[\w’'-]+?)"
    r"(?=\s+(?:from|of|at|in|for|with|who|which|based)\b|[,.;]|\s*$)"
)
_SPEECH_AFTER_RE: Final = re.compile(
    r"\s+(?:also\s+)?(?:said|says|told|added|stressed|asked|noted|warned|explained|argued)\b"
)


def _role_before(text: str, start: int) -> str | None:
    head = text[max(0, start - 60) : start]
    # What _ROLE_BEFORE_RE needs at its end, checked before trying it at every position.
    if not head[-1:].isspace() or not head.rstrip().endswith(_ROLE_NOUN_ENDS):
        return None
    m = _ROLE_BEFORE_RE.search(text, max(0, start - 60), start)
    if m is None:
        return None
    role = m.group(0).strip()
    first = role.split()[0]
    # "Clinton and singer Harry Belafonte": the role is "singer", not the list before it.
    return None if first in _CAP_STOP or " and " in f" {role} " else role


class People:
    """The people of one article and where each is mentioned (outside quotes)."""

    def __init__(self, text: str, *, skip: Sequence[tuple[int, int]] = ()) -> None:
        self._text = text
        self.persons: list[Person] = []
        self._by_keys: dict[frozenset[str], Person] = {}
        self._mentions: list[tuple[int, int, Person]] = []  # (start, end, person)
        self._skip = sorted(skip)
        runs = [m for m in NAME_RE.finditer(text) if not self._skipped(m.start())]
        for m in runs:
            self._add_run(m)
        self._confirm_surnames(runs)
        self._index_mentions(runs)

    def _skipped(self, pos: int) -> bool:
        i = bisect_left(self._skip, (pos + 1, 0)) - 1
        return i >= 0 and self._skip[i][0] <= pos < self._skip[i][1]

    def _add_run(self, m: re.Match[str]) -> None:
        run = m.group(0)
        if " " not in run and "\t" not in run:
            return  # one word has no title before a name and is no name of two words (below)
        words = _words(run)
        start = m.start()
        subject = bool(words) and words[0] in _SENTENCE_ADVERBS
        while words and words[0] in _CAP_STOP:
            start = self._text.index(words[0], start) + len(words[0])
            words = words[1:]
        if not words or any(w in _ORG_WORDS for w in words):
            return
        name, role = split_role(" ".join(words))
        honorific = name.split()[0].rstrip(".") in HONORIFICS
        if len(_words(name)) < 2 and role is None:
            return
        if len(_words(name)) > 4 or name.isupper():
            return
        end = m.end()
        before = _role_before(self._text, self._text.find(words[0], start))
        if role is None and before is not None:
            role = before
        appos = _APPOSITIVE_RE.match(self._text, end)
        if appos is not None and (
            not _ROLE_WORD_RE.search(appos.group(0))
            or _SPEECH_AFTER_RE.match(" " + appos.group(1)) is not None
        ):
            appos = None  # ", a villager" or ", outreach coordinator", not ", Jiangsu Province"
        if role is None and appos is not None:
            role = appos.group(1)
        strong = (
            role is not None
            or subject
            or honorific
            or appos is not None
            or _SPEECH_AFTER_RE.match(self._text, end) is not None
        )
        keys = _keys(name)
        if not keys:
            return
        person = self._by_keys.get(keys)
        if person is None:
            # "Mr Fox" after "Liam Fox" is the same person, not a new one.
            person = self._find(keys, m.start()) if honorific or len(keys) == 1 else None
        if person is None:
            person = Person(name=name, role=role, strong=strong, keys=keys)
            self.persons.append(person)
            self._by_keys[keys] = person
        else:
            person.strong = person.strong or strong
            if person.role is None:
                person.role = role

    def _confirm_surnames(self, runs: list[re.Match[str]]) -> None:
        # A two-word run whose word is later used alone ("Jaynes", "Song") is a person.
        singles = {m.group(0) for m in runs if " " not in m.group(0)}
        for p in self.persons:
            if not p.strong and len(p.keys) >= 2 and p.keys & singles:
                p.strong = True

    def _index_mentions(self, runs: list[re.Match[str]]) -> None:
        strong = [p for p in self.persons if p.strong]
        for m in runs:
            keys = _keys(m.group(0)) - _CAP_STOP
            if not keys:
                continue
            hits = [p for p in strong if keys <= p.keys or p.keys <= keys]
            if len(hits) == 1:
                self._mentions.append((m.start(), m.end(), hits[0]))

    def _find(self, keys: frozenset[str], at: int) -> Person | None:
        best: Person | None = None
        for p in self.persons:
            if keys <= p.keys and (best is None or len(p.keys) > len(best.keys)):
                best = p
        return best

    def resolve(self, name: str, at: int) -> Person | None:
        """The person a name (full or short, with or without a title) refers to."""
        bare, _ = split_role(name)
        keys = _keys(bare)
        if not keys:
            return None
        candidates = [p for p in self.persons if keys <= p.keys]
        if not candidates:
            return None
        # The most recently mentioned one wins when two share a surname.
        recent = [(s, p) for s, _, p in self._mentions if s < at and p in candidates]
        return recent[-1][1] if recent else max(candidates, key=lambda p: len(p.keys))

    def last_before(
        self, at: int, floor: int, *, sentences: list[tuple[int, int]]
    ) -> Person | None:
        """The person a pronoun at ``at`` refers to: the latest one named after ``floor``.

        Only when that is safe: the sentence holding the latest mention names nobody
        else, so "he" cannot mean two people.
        """
        latest = [(s, e, p) for s, e, p in self._mentions if floor <= s and e <= at]
        if not latest:
            return None
        s, _, person = latest[-1]
        span = next(((a, b) for a, b in sentences if a <= s < b), (s, at))
        others = {p.name for a, _, p in latest if span[0] <= a < span[1]}
        return person if others == {person.name} else None
