"""Quoted passages and who said them.

Private: :mod:`summarizer.ground.scan` is the public module. Rules:

* A passage is the text between a pair of quote marks in one paragraph: curly or
  straight double quotes, curly single quotes (an apostrophe inside a word never
  closes one). A paragraph that opens with a quote mark and never closes it is a
  multi-paragraph quote: the passage runs to the paragraph's end and is *continued*.
* Scare quotes (1-3 words), titles (Title Case, or after "called", "film", "book"...)
  and short quoted terms with no sentence punctuation and no speaker are not quotes.
* Speakers: ``"...," said X``, ``"...," X said``, ``"...," according to X``,
  ``X told ...: "..."``, ``X stressed that "..."``, ``AP quoted X as saying``; a
  pronoun ("he said") is the last person named before it when that is unambiguous;
  a title or role before the name ("Apple chief executive Tim Cook") becomes the
  role. An unattributed passage takes the speaker of the passage before it in the
  same paragraph, or of the multi-paragraph quote it continues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from summarizer.ground._people import NAME_RE, People, is_name_word, is_pronoun, split_role

__all__ = ["Attribution", "Passage", "attribute", "classify", "find_passages"]


@dataclass(frozen=True, slots=True)
class Passage:
    """Quoted words ``text[start:end]`` between marks at ``open`` and ``close``."""

    open: int
    start: int
    end: int
    close: int | None  # None: the paragraph ends before a closing mark
    paragraph: int


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said a passage, and how the code knows."""

    speaker: str | None
    role: str | None = None
    how: str | None = None  # "after", "before", "according", "pronoun", "inherited"


_OPEN_CURLY: Final = "“«„"
_CLOSE_CURLY: Final = "”»"
_MARK_RE: Final = re.compile(f'[{_OPEN_CURLY}{_CLOSE_CURLY}"‘’]')


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _opener_like(text: str, j: int, p_start: int, p_end: int) -> bool:
    before = text[j - 1] if j > p_start else " "
    after = text[j + 1] if j + 1 < p_end else " "
    return (before.isspace() or before in "([{—–-/“‘") and not after.isspace()


def _closer_like(text: str, j: int, p_start: int, p_end: int) -> bool:
    before = text[j - 1] if j > p_start else " "
    after = text[j + 1] if j + 1 < p_end else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _may_run_on(text: str, open_at: int, p_start: int) -> bool:
    """An unclosed quote is kept when it opens its paragraph or follows a sentence end.

    The second case is a paragraph break lost in conversion (``... it chooses. "But as``).
    """
    head = text[p_start:open_at].rstrip()
    return not head or head[-1] in ".!?:"


def find_passages(text: str, paragraphs: list[tuple[int, int]]) -> list[Passage]:
    """Every quoted passage, paragraph by paragraph, in order."""
    out: list[Passage] = []

    def emit(open_at: int, end: int, close: int | None, index: int) -> None:
        s, e = _trim(text, open_at + 1, end)
        if e > s:
            out.append(Passage(open_at, s, e, close, index))

    for index, (p_start, p_end) in enumerate(paragraphs):
        open_at: int | None = None
        single_at: int | None = None
        for mark in _MARK_RE.finditer(text, p_start, p_end):  # other characters do nothing
            j = mark.start()
            c = text[j]
            if c in _OPEN_CURLY:
                if open_at is None:
                    open_at, single_at = j, None
            elif c in _CLOSE_CURLY:
                if open_at is not None:
                    emit(open_at, j, j, index)
                    open_at = None
            elif c == '"':
                opener = _opener_like(text, j, p_start, p_end)
                closer = _closer_like(text, j, p_start, p_end)
                if open_at is None:
                    if opener or not closer:
                        open_at, single_at = j, None
                elif closer or not opener:
                    emit(open_at, j, j, index)
                    open_at = None
                else:
                    # An opening mark while a quote is open: the paragraph break between
                    # two quoted paragraphs was lost, so the first one runs on.
                    if _may_run_on(text, open_at, p_start):
                        emit(open_at, j, None, index)
                    open_at = j
            elif c == "‘" and open_at is None and single_at is None:
                if j == p_start or not text[j - 1].isalnum():
                    single_at = j
            elif (
                c == "’" and single_at is not None and (j + 1 >= p_end or not text[j + 1].isalnum())
            ):
                emit(single_at, j, j, index)
                single_at = None
        if open_at is not None and _may_run_on(text, open_at, p_start):
            emit(open_at, p_end, None, index)
    return out


_WORD_RE: Final = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_TITLE_CUE_RE: Final = re.compile(
    r"\b(?:called|entitled|titled|named|dubbed|so-called|film|movie|book|novel|album|single|"
    r"song|show|series|programme|program|play|musical|track|sitcom|drama|documentary|"
    r"headline|slogan|motto|brand|term|phrase|label|hashtag|nicknamed|known\s+as)\s*[\"“‘]?$",
    re.IGNORECASE,
)


def classify(text: str, p: Passage) -> str:
    """``"quote"``, ``"scare"`` (1-3 words), ``"title"`` or ``"term"`` (short, no sentence)."""
    body = text[p.start : p.end]
    words = _WORD_RE.findall(body)
    if len(words) <= 3:
        return "scare"
    before = text[max(0, p.open - 30) : p.open + 1]
    if _TITLE_CUE_RE.search(before):
        return "title"
    sentence_like = any(ch in body for ch in ".!?;:") or len(words) > 8
    if not sentence_like:
        caps = sum(w[0].isupper() for w in words)
        if caps >= len(words) - 1 and len(words) <= 8:
            return "title"
        return "term"
    return "quote"


_VERBS: Final = (
    r"said|says|say|added|adds|told|tells|stressed|stresses|encouraged|noted|notes|explained|"
    r"explains|warned|warns|insisted|insists|argued|argues|wrote|writes|declared|urged|urges|"
    r"emphasi[sz]ed|emphasi[sz]es|asked|asks|continued|continues|claimed|claims|admitted|admits|"
    r"acknowledged|replied|replies|remarked|commented|announced|recalled|recalls|concluded|"
    r"conceded|concedes|suggested|suggests|predicted|joked|observed|pointed\s+out|added\s+that|"
    r"stated|states|believes|believed|reckons|reckoned|maintained|maintains|cautioned|vowed|"
    r"pledged|promised|confirmed|revealed|complained|agreed|told\s+\w+"
)
_AFTER_VERB_FIRST: Final = re.compile(rf"\s*[,.]?\s*(?:{_VERBS})\s+(?P<who>[^.;:!?\"“”]+)")
_AFTER_WHO_FIRST: Final = re.compile(
    rf"\s*,?\s*(?P<who>(?:[\w'’&.-]+\s+){{0,5}}?[\w'’&.-]+)\s+(?:also\s+|later\s+|then\s+|has\s+|"
    rf"had\s+|was\s+)?(?:{_VERBS})\b"
)
_AFTER_QUOTED_AS: Final = re.compile(
    r"\s*,?\s*[\w.&'’ -]{1,40}?\s+quoted\s+(?P<who>[^.;:!?]+?)\s+as\s+saying"
)
_ACCORDING: Final = re.compile(r"\s*,?\s*according\s+to\s+(?P<who>[^.;:!?,\"“”]+)")
_BEFORE_WHO_VERB: Final = re.compile(
    rf"(?P<who>(?:[\w'’&.-]+\s+){{0,5}}?[\w'’&.-]+)\s+(?:also\s+|later\s+|then\s+|has\s+|had\s+)?"
    rf"(?:{_VERBS})\b"
)
_BEFORE_ACCORDING: Final = re.compile(r"according\s+to\s+(?P<who>[^,\"“”]+),\s*$", re.IGNORECASE)
# "Andy Williams, chief executive of Powys Local Health Board, had said": a name, then an
# appositive between commas, then the speech verb (the words just before the verb are no
# name). Two appositives are tried first ("Tony Lloyd, the Manchester Central MP, whose
# constituency ..., has pledged"), then one; the first appositive is the role.
_APPOSITIVE_WHO: Final = tuple(
    re.compile(
        rf"(?<![\w'’-])(?P<who>(?:[A-Z][\w'’-]*\s+){{0,3}}[A-Z][\w'’-]*),"
        rf"(?P<role>[^,\"“”]{{1,120}}),{more}\s+"
        rf"(?:also\s+|later\s+|then\s+|has\s+|had\s+|earlier\s+)?(?:{_VERBS})\b"
    )
    for more in (r"[^,\"“”]{1,120},", "")
)


_AUXILIARIES: Final = frozenset("had has have was is would will did does".split())  # noqa: SIM905


def _appositive_speaker(prefix: str, verb_end: int) -> re.Match[str] | None:
    """A name with an appositive whose speech verb ends at ``verb_end``, if the prefix has one."""
    for pattern in _APPOSITIVE_WHO:
        pos = 0
        while (m := pattern.search(prefix, pos)) is not None:
            who = m.group("who").split()
            if m.end() == verb_end and is_name_word(who[0]) and not is_pronoun(who[0]):
                return m
            pos = m.start() + 1
    return None


# "Cory Doctorow, European outreach coordinator for ..., said that ...": the subject
# of a sentence that reports speech, name first.
_LEAD_SPEAKER: Final = re.compile(
    rf"(?P<who>(?:[A-Z][\w'’-]*\s+){{0,3}}[A-Z][\w'’-]*|[Hh]e|[Ss]he)(?:,[^,]{{1,120}},)?\s+"
    rf"(?:also\s+)?(?:{_VERBS})\b"
)
_LEAD_STOP: Final = frozenset(
    "but and so yet then also while as however meanwhile in on at the a an one".split()  # noqa: SIM905
)


def _role_phrase(words: list[str]) -> str | None:
    while words and words[0].lower() in _LEAD_STOP:
        words = words[1:]
    return " ".join(words[-5:]) if words else None


def _who_first(text: str, phrase: str, at: int, people: People) -> tuple[str | None, str | None]:
    """Speaker and role from the words just before a speech verb."""
    phrase = phrase.strip()
    last = phrase.split()[-1] if phrase else ""
    if is_pronoun(last):
        return last.lower(), None
    runs = [m for m in NAME_RE.finditer(phrase) if m.end() == len(phrase)]
    if runs:
        m = runs[-1]
        name, title = split_role(m.group(0))
        # "Prosecutors said": a capitalised common noun, not a name.
        if (
            " " not in name
            and not title
            and people.resolve(name, at) is None
            and re.search(rf"\b{re.escape(name.lower())}\b", text)
        ):
            return name.lower(), None
        role_words = phrase[: m.start()].split()
        return name, title or _role_phrase(role_words)
    return _role_phrase(phrase.split()), None


def _verb_first(phrase: str) -> tuple[str | None, str | None]:
    """Speaker and role from the words after a speech verb: ``said Bhanu Baweja, a strategist``."""
    head, _, appos = phrase.partition(",")
    runs = [m for m in NAME_RE.finditer(head) if m.group(0).split()[0] not in ("The", "A", "An")]
    appos_words = appos.split()
    role_after = None
    if appos_words and appos_words[0].lower() in ("a", "an", "the"):
        role_after = _role_phrase(
            re.split(r"\s+(?:from|of|at|in|for|with|who|which)\s+", appos.strip(), maxsplit=1)[
                0
            ].split()
        )
    head = head.rstrip()
    if runs:
        # The name closes the phrase ("Gartner's principal analyst Kobita Desai"); a run
        # after "for"/"at"/"of" is an affiliation ("a spokesman for Human Rights Watch").
        m = runs[-1] if runs[-1].end() == len(head) else runs[0]
        lead = head[: m.start()].split()
        if lead and lead[-1].lower() in ("for", "at", "of", "from", "with"):
            return _role_phrase(head.split()), None
        name, title = split_role(m.group(0))
        return name, title or _role_phrase(lead) or role_after
    return _role_phrase(head.split()), None


def _sentence_of(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in sentences:
        if s <= pos < e:
            return s, e
    return pos, pos


def _speaker(
    text: str, p: Passage, sentences: list[tuple[int, int]], people: People, next_open: int
) -> tuple[str | None, str | None, str | None]:
    if p.close is not None:
        _, s_end = _sentence_of(sentences, p.close)
        end = max(min(s_end, next_open), p.close + 1)
        suffix = text[p.close + 1 : end]
        if m := _AFTER_QUOTED_AS.match(suffix):
            return (*_verb_first(m.group("who")), "after")
        if m := _ACCORDING.match(suffix):
            return (*_verb_first(m.group("who")), "according")
        if m := _AFTER_VERB_FIRST.match(suffix):
            return (*_verb_first(m.group("who")), "after")
        if m := _AFTER_WHO_FIRST.match(suffix):
            return (
                *_who_first(text, m.group("who"), p.close + 1 + m.start("who"), people),
                "after",
            )
    s_start, _ = _sentence_of(sentences, p.open)
    prefix = text[s_start : p.open]
    if m := _BEFORE_ACCORDING.search(prefix):
        return (*_verb_first(m.group("who")), "according")
    hits = list(_BEFORE_WHO_VERB.finditer(prefix))
    if hits:
        m = hits[-1]
        # "..., chief executive of X, had said": the word before the verb is no name.
        appos = _appositive_speaker(prefix, m.end()) if m.group("who") in _AUXILIARIES else None
        if appos is not None:
            at = s_start + appos.start("who")
            name, title = _who_first(text, appos.group("who"), at, people)
            role = appos.group("role").split()
            while role and role[0].lower() in _LEAD_STOP:
                role = role[1:]
            return name, title or " ".join(role) or None, "before"
        return (*_who_first(text, m.group("who"), s_start + m.start("who"), people), "before")
    if not prefix.strip():
        # A quote that opens its sentence, after "X said that ..." with no quote of its own.
        prev = [(a, b) for a, b in sentences if b <= s_start]
        if prev:
            a, b = prev[-1]
            before = text[a:b]
            if not any(ch in before for ch in '"“”') and (m := _LEAD_SPEAKER.match(before)):
                who = _who_first(text, m.group("who"), a + m.start("who"), people)
                return (*who, "previous")
    return None, None, None


def attribute(
    text: str,
    passages: list[Passage],
    sentences: list[tuple[int, int]],
    paragraphs: list[tuple[int, int]],
    people: People,
) -> list[Attribution]:
    """The speaker of each passage (``Attribution(None)`` when the text does not say)."""
    out: list[Attribution] = []
    for i, p in enumerate(passages):
        next_open = passages[i + 1].open if i + 1 < len(passages) else len(text)
        speaker, role, how = _speaker(text, p, sentences, people, next_open)
        if speaker is not None and is_pronoun(speaker) and speaker not in ("he", "she"):
            speaker, role, how = None, None, None  # "it said", "they told": no person
        elif speaker is not None and is_pronoun(speaker):
            floor = paragraphs[max(0, p.paragraph - 2)][0]
            person = people.last_before(p.open, floor, sentences=sentences)
            speaker, role, how = (
                (person.name, person.role, "pronoun") if person else (None, None, None)
            )
        elif speaker is not None:
            person = people.resolve(speaker, p.open)
            if person is not None:
                speaker, role = person.name, person.role or role
        out.append(Attribution(speaker, role, how))
    _inherit(text, passages, out)
    return out


def _adjacent(text: str, a: Passage, b: Passage) -> bool:
    """``b`` continues ``a``: ``a`` runs on unclosed and only a mark and spaces lie between."""
    return a.close is None and not text[a.end : b.open].strip(' \n"“”')


def _inherit(text: str, passages: list[Passage], out: list[Attribution]) -> None:
    # A run-on quote shares its speaker both ways; a later passage of the same
    # paragraph ("X," he said. "Y.") takes the speaker of the one before it.
    for _ in range(2):
        for i, p in enumerate(passages):
            if out[i].speaker is not None:
                continue
            if i and out[i - 1].speaker is not None:
                prev = passages[i - 1]
                if prev.paragraph == p.paragraph or _adjacent(text, prev, p):
                    out[i] = Attribution(out[i - 1].speaker, out[i - 1].role, "inherited")
                    continue
            if (
                i + 1 < len(passages)
                and out[i + 1].speaker is not None
                and _adjacent(text, p, passages[i + 1])
            ):
                out[i] = Attribution(out[i + 1].speaker, out[i + 1].role, "inherited")
