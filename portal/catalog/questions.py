"""Whole questions as people type them, turned into what the catalogue search matches.

"Cho em hỏi làm lại giấy khai sinh bị mất thì cần những giấy tờ gì ạ?" has two words the catalogue knows
("khai sinh") drowned in conversation. :func:`question_parse` reads a question the way a person at the counter
would: chat abbreviations are spelt out ("ko", "đc", "gks", "ntn"), everyday phrases are put in official terms
("làm lại giấy khai sinh" is "đăng ký lại khai sinh"), what the question asks *about* the procedure (documents,
time, fees, where, who, online) is set aside as its aspects, and the filler ("cho em hỏi", "thì", "ạ") is dropped.
What is left is the topic, a short query for :class:`portal.catalog.search.SearchIndex`, which does the rest
(diacritics, typos, Telex leftovers, the synonyms in :mod:`portal.catalog.synonyms`).

Matching is on folded words (no case, no diacritics), so "cho em hoi lam lai giay khai sinh" reads the same. The
words kept in the topic are the ones typed, diacritics included, so the search can still tell "sơ đồ" from "sổ đỏ".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from portal.catalog.question_words import ABBREVIATIONS, ASPECTS, EVERYDAY, FILLER
from portal.catalog.search import normalize
from portal.catalog.synonyms import SYNONYMS

MAX_QUESTION_CHARS = 2000
# A topic longer than this keeps its first words (the search itself reads 12).
MAX_TOPIC_WORDS = 20
# A query of more words than this, or with a question mark, is read as a question.
QUESTION_MIN_WORDS = 6

_WORD_RE = re.compile(r"[^\W_]+")

# "lại" is filler only when it follows no verb the topic keeps ("cấp lại", "đăng ký lại" are kept whole below).
_KEEP_WITH_NEXT = {"cap", "ky", "doi"}


@dataclass(frozen=True)
class ParsedQuestion:
    """A question read: the words of its topic (a query for the search) and what it asks about the procedure."""

    text: str
    topic: str
    aspects: tuple[str, ...]
    words: int
    strong: frozenset[str] = frozenset()  # folded words that came from an everyday phrase: what it is about

    @property
    def is_question(self) -> bool:
        return self.words >= QUESTION_MIN_WORDS or "?" in self.text


# Folded forms that are also other common words ("dang" is "đang" and "đăng", "de" is "để" and "đề", "lai" is
# "lại" and "lái", "ma" is "mà" and "mã"): such a filler word is dropped only when typed with its diacritics.
_AMBIGUOUS = frozenset({"dang", "de", "di", "ma", "mat", "lai", "phi", "tien", "hoi", "viec", "cho"})


def _casefold(word: str) -> str:
    return unicodedata.normalize("NFC", word.casefold())


def _phrase_table(phrases) -> dict[tuple[str, ...], list[tuple[tuple[str, ...], object]]]:
    """Phrases keyed by their folded words, with their words as written (to check diacritics the user typed); one
    folded key may stand for several phrases ("ạ" and "à")."""
    table: dict[tuple[str, ...], list[tuple[tuple[str, ...], object]]] = {}
    for phrase, value in phrases:
        key = tuple(normalize(phrase).split())
        if key:
            table.setdefault(key, []).append((tuple(_casefold(w) for w in phrase.split()), value))
    return table


_EVERYDAY = _phrase_table(EVERYDAY.items())
_ASPECT = _phrase_table((phrase, aspect) for aspect, phrases in ASPECTS.items() for phrase in phrases)
_FILLER = _phrase_table((phrase, True) for phrase in FILLER)
_LONGEST = max(len(k) for k in (*_EVERYDAY, *_ASPECT, *_FILLER))
# The longest phrase of each table starting with a given folded word: most words start none, and are passed at once.
_STARTS = {
    id(table): {first: max(len(k) for k in table if k[0] == first) for first in {k[0] for k in table}}
    for table in (_EVERYDAY, _ASPECT, _FILLER)
}


@dataclass(frozen=True, slots=True)
class _Word:
    typed: str
    folded: str
    written: str  # casefolded, NFC
    marked: bool  # typed with diacritics


def _word(typed: str) -> _Word:
    folded = normalize(typed)
    written = _casefold(typed)
    return _Word(typed, folded, written, written != folded)


def _match(table: dict, words: list[_Word], i: int, typed_marks: bool) -> tuple[int, object] | None:
    """The longest phrase of ``table`` at ``words[i]``: folded words equal, and written as in the phrase when the
    person types with diacritics (``typed_marks``: then "con" is not "còn"); a one-word ambiguous phrase must be
    typed with its diacritics."""
    longest = _STARTS[id(table)].get(words[i].folded, 0)
    for length in range(min(longest, len(words) - i), 0, -1):
        span = words[i : i + length]
        for written, value in table.get(tuple(w.folded for w in span), ()):
            if all(
                not (w.marked or typed_marks) or w.written == p for w, p in zip(span, written, strict=True)
            ):
                if length == 1 and span[0].folded in _AMBIGUOUS and not span[0].marked:
                    continue
                return length, value
    return None


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text.replace("\x00", " "))
    return _WORD_RE.findall(text)


def _expand_abbreviations(words: list[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        folded = normalize(word)
        # "đc", "đk" are typed with the đ too; other abbreviations only without diacritics ("kh" is not "khì").
        if (folded in ABBREVIATIONS and _casefold(word) == folded) or _casefold(word) in ("đc", "đk", "đky"):
            out.extend(ABBREVIATIONS[folded].split())
        else:
            out.append(word)
    return out


def question_aspects(text: str) -> tuple[str, ...]:
    """What a written question (an FAQ entry's) asks about, in order: the aspects of :func:`question_parse` without
    reading the rest, for indexing tens of thousands of entries."""
    words = [_word(w) for w in _words((text or "")[:MAX_QUESTION_CHARS])]
    typed_marks = sum(w.marked for w in words) * 3 >= len(words) > 0
    aspects: list[str] = []
    i = 0
    while i < len(words):
        found = _match(_ASPECT, words, i, typed_marks)
        if found is None:
            i += 1
            continue
        if found[1] not in aspects:
            aspects.append(str(found[1]))
        i += found[0]
    return tuple(aspects)


def question_parse(text: str) -> ParsedQuestion:
    """Read ``text`` (cut to :data:`MAX_QUESTION_CHARS`); never raises, an empty topic for text without words."""
    if not isinstance(text, str):
        text = ""
    text = text[:MAX_QUESTION_CHARS]
    words = [_word(w) for w in _expand_abbreviations(_words(text))]
    # Someone who typed diacritics on a third of the words typed them where they belong.
    typed_marks = sum(w.marked for w in words) * 3 >= len(words) > 0
    # Everyday phrases first (they may contain filler words such as "bị", "làm").
    replaced: list[_Word] = []
    strong: set[str] = set()
    i = 0
    while i < len(words):
        found = _match(_EVERYDAY, words, i, typed_marks)
        if found is not None:
            replaced.extend(_word(w) for w in str(found[1]).split())
            strong.update(normalize(str(found[1])).split())
            i += found[0]
        else:
            replaced.append(words[i])
            i += 1
    words = replaced
    aspects: list[str] = []
    topic: list[str] = []
    i = 0
    while i < len(words):
        aspect = _match(_ASPECT, words, i, typed_marks)
        if aspect is not None:
            if aspect[1] not in aspects:
                aspects.append(str(aspect[1]))
            i += aspect[0]
            continue
        word = words[i]
        # "lại" after "cấp", "đăng ký", "đổi" belongs to the topic ("cấp lại", "đăng ký lại").
        keep = word.folded == "lai" and i > 0 and words[i - 1].folded in _KEEP_WITH_NEXT
        filler = None if keep else _match(_FILLER, words, i, typed_marks)
        if filler is not None:
            i += filler[0]
            continue
        topic.append(word.typed)
        i += 1
    return ParsedQuestion(
        text=text,
        topic=" ".join(topic[:MAX_TOPIC_WORDS]),
        aspects=tuple(aspects),
        words=len(_words(text)),
        strong=frozenset(strong),
    )


# A phrase a procedure's record rarely contains although questions about it do.
CATALOG_FILLER = ("ho", "so")


def _without_catalog_filler(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        if tuple(normalize(w) for w in words[i : i + 2]) == CATALOG_FILLER:
            i += 2
            continue
        out.append(words[i])
        i += 1
    return out


@dataclass(frozen=True)
class _Names:
    version: str
    pairs: frozenset[tuple[str, str]]
    words: dict[int, frozenset[str]]  # procedure id -> folded words of its name
    marked: dict[int, frozenset[str]]  # procedure id -> words of its name as written (diacritics kept)


def _fold_words(text: str) -> list[str]:
    return ["".join(ch for ch in w if ch.isalnum()) for w in normalize(text).split()]


def _marked_words(text: str) -> list[str]:
    return [_casefold(w) for w in _words(text)]


def _names() -> _Names:
    """Adjacent word pairs of procedure names and of the everyday phrases, and each name's words (folded); kept per
    catalogue version."""
    from portal import cache as versioned
    from portal.catalog.models import Procedure
    from portal.catalog.search_index import NAMESPACE

    global _kept
    version = versioned.version(NAMESPACE)
    if _kept is not None and _kept.version == version:
        return _kept
    pairs: set[tuple[str, str]] = set()
    words: dict[int, frozenset[str]] = {}
    marked: dict[int, frozenset[str]] = {}
    rows = Procedure.objects.filter(is_active=True).values_list("id", "name")
    for pk, name in rows.iterator(chunk_size=2000):
        folded = _fold_words(name)
        pairs.update(zip(folded, folded[1:], strict=False))
        words[pk] = frozenset(folded)
        marked[pk] = frozenset(_marked_words(name))
    for text in (*SYNONYMS, *EVERYDAY.values()):
        folded = _fold_words(text)
        pairs.update(zip(folded, folded[1:], strict=False))
    _kept = _Names(version, frozenset(pairs), words, marked)
    return _kept


_kept: _Names | None = None
_SINGLE_KEYS = frozenset(normalize(k) for k in ABBREVIATIONS.values() if " " not in k) | frozenset(
    {"cccd", "cmnd", "gplx", "bhxh", "bhyt", "passport", "visa", "vneid", "kt3", "mst", "tncn", "htx", "pccc"}
)
_SYNONYMS_FOLDED = [
    (tuple(_fold_words(key)), [frozenset(_marked_words(p)) for p in phrases])
    for key, phrases in SYNONYMS.items()
]
MAX_TRIED_QUERIES = 8
# A set of key phrases is used when one of the first matches of the search is named by all of them.
NAMED_AMONG = 3


def key_phrases(topic: str, pairs: frozenset[tuple[str, str]]) -> list[list[str]]:
    """The runs of the topic's words that are phrases of procedure names (two words or more, adjacent as in a name),
    and the abbreviations the search knows; what a whole question is about, without the story around it."""
    words = _without_catalog_filler(topic.split())
    folded = [normalize(w) for w in words]
    runs: list[list[str]] = []
    current: list[str] = [words[0]] if words else []
    for i in range(1, len(words)):
        if (folded[i - 1], folded[i]) in pairs:
            current.append(words[i])
        else:
            runs.append(current)
            current = [words[i]]
    if current:
        runs.append(current)
    return [run for run in runs if len(run) >= 2 or normalize(run[0]) in _SINGLE_KEYS]


def _named_by(query: str, name_words: frozenset[str], name_marked: frozenset[str]) -> bool:
    """Every word of ``query`` is in the name (as written, when typed with diacritics: "tâm" is not "tạm"), an
    everyday phrase counting when the name has its official words."""
    folded = _fold_words(query)
    written = _marked_words(query)
    if len(folded) != len(written):
        written = folded
    covered = [m in name_marked if m != w else w in name_words for w, m in zip(folded, written, strict=True)]
    for key, officials in _SYNONYMS_FOLDED:
        n = len(key)
        for i in range(len(folded) - n + 1):
            if tuple(folded[i : i + n]) == key and any(phrase <= name_marked for phrase in officials):
                covered[i : i + n] = [True] * n
    return all(covered)


def _subsets(phrases: list[str], strong: frozenset[str]) -> list[str]:
    """Queries made of the key phrases, most words first; those keeping the everyday phrases' words first."""
    out = []
    for mask in range(1, 1 << len(phrases)):
        chosen = [p for i, p in enumerate(phrases) if mask >> i & 1]
        words = _fold_words(" ".join(chosen))
        out.append((-(sum(w in strong for w in words)), -len(words), " ".join(chosen)))
    return [query for *_, query in sorted(out)]


def catalog_query(text: str) -> str:
    """What the catalogue search should look for.

    A short query is kept as typed (the search has its own optional words). A whole question is reduced to its key
    phrases; when no procedure is named by all of them ("giấy xác nhận độc thân" + "ngân hàng" of "… to borrow from
    a bank"), the largest set of them that one of the best matches' names contains is used, so the story around a question
    does not pull the search towards other procedures. Without key phrases, the topic is used.
    """
    from portal.catalog.search_index import search_index

    text = (text or "").strip()
    parsed = question_parse(text)
    if not parsed.is_question:
        return text
    names = _names()
    phrases = [" ".join(run) for run in key_phrases(parsed.topic, names.pairs)][:4]
    if not phrases:
        topic = " ".join(_without_catalog_filler(parsed.topic.split()))
        return topic or text[:200]
    index = search_index()
    # Everyday phrases the search knows ("hộ chiếu", "thuê trọ", "sổ đỏ") say what the question is about, too.
    strong = set(parsed.strong)
    folded_topic = _fold_words(" ".join(phrases))
    for key, _officials in _SYNONYMS_FOLDED:
        n = len(key)
        if any(tuple(folded_topic[i : i + n]) == key for i in range(len(folded_topic) - n + 1)):
            strong.update(key)
    for query in _subsets(phrases, frozenset(strong))[:MAX_TRIED_QUERIES]:
        hits = index.search(query, limit=NAMED_AMONG)
        if any(
            _named_by(query, names.words.get(h.id, frozenset()), names.marked.get(h.id, frozenset()))
            for h in hits
        ):
            return query
    return " ".join(phrases)
