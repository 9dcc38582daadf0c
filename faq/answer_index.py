"""The answering service's in-process index over published FAQ entries and the procedure catalogue.

Built once per FAQ version and catalogue version (both tokens in the shared cache that writers replace; the FAQ's
own receivers replace its token) and shared by the threads of a worker. It holds:

* a :class:`portal.catalog.search.SearchIndex` over the entries (question as title; procedure names and field as
  keywords; the start of the answer as body) -- the catalogue's own index is used for procedures;
* a card per entry and per procedure with its folded words, for the coverage measure in :mod:`faq.answering`;
* the vocabulary (document frequency of each folded word over entry questions and procedure names) and a table
  of one-letter deletions of its words, to correct a mistyped word to the most frequent word one edit away.

Memory: about 13 MB (tracemalloc) for the 1,162 demo entries and 1,601 procedures; a gunicorn worker's resident
memory grew by 15 MB with 5,000 entries and by 233 MB with 50,000 (``bench/faq_ask.py``). Building it for 50,000
entries takes minutes on a loaded machine: the first question after a change waits for it.
"""

from __future__ import annotations

import math
import re
import sys
import threading
import unicodedata
from dataclasses import dataclass

from faq.models import FaqEntry
from faq.versioning import faq_version
from portal import cache as versioned
from portal.catalog.models import Procedure
from portal.catalog.questions import question_aspects, question_parse
from portal.catalog.search import Document, SearchIndex, normalize
from portal.catalog.search.folding import Y_FOLD
from portal.catalog.search_index import NAMESPACE as CATALOG

_TOKEN_RE = re.compile(r"[^\W_]+")
_Y_FOLD = Y_FOLD  # the catalogue search's own "ky"→"ki" spelling fold
# Name boilerplate that does not say what a procedure is about.
_BOILERPLATE = frozenset({"thu", "tuc"})


_PARENTHESES_RE = re.compile(r"\([^)]*\)")
_MARKED_Y = str.maketrans({"y": "i", "ý": "í", "ỳ": "ì", "ỷ": "ỉ", "ỹ": "ĩ", "ỵ": "ị"})


def fold_tokens(text: str) -> list[str]:
    """Folded words of ``text`` (no case, no diacritics, "y"/"i" spelling unified), interned: the index holds one
    copy of each word however many entries use it."""
    return [sys.intern(_Y_FOLD.get(tok, tok)) for tok in _TOKEN_RE.findall(normalize(text))]


def marked_key(word: str) -> str:
    """A word as written, diacritics kept (case and the "ý"/"í" spelling unified)."""
    word = unicodedata.normalize("NFC", word.casefold())
    folded = normalize(word)
    return word.translate(_MARKED_Y) if folded in _Y_FOLD else word


def marked_tokens(text: str) -> list[str]:
    return [
        sys.intern(marked_key(tok)) for tok in _TOKEN_RE.findall(unicodedata.normalize("NFC", text or ""))
    ]


def word_pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


@dataclass(frozen=True, slots=True)
class Card:
    """Something the service can answer with: a FAQ entry (``kind="faq"``) or a procedure (``kind="procedure"``)."""

    kind: str
    pk: int
    question: str
    answer: str
    procedure_ids: tuple[int, ...]
    aspects: tuple[str, ...]
    agency: int  # 0: the whole province
    # Tuples of interned words rather than sets: a worker keeps tens of thousands of cards.
    words: tuple[str, ...]  # folded words of the question (or name) and field, each once
    marked: tuple[str, ...]  # the same words as written (diacritics kept), each once
    sequence: tuple[str, ...]  # the folded words of the question (or name) in order, for adjacent pairs
    topic: frozenset[str]  # the folded words of what it is about (its question's topic, or the name)


@dataclass(frozen=True, slots=True)
class ProcedureInfo:
    pk: int
    code: str
    name: str
    online_level: int
    url: str


class AnswerIndex:
    def __init__(
        self,
        entries: list[Card],
        procedures: dict[int, ProcedureInfo],
        procedure_cards: dict[int, Card],
        pairs: set[tuple[str, str]],
    ):
        self.pairs = frozenset(pairs)
        self.facts: dict[
            int, tuple
        ] = {}  # procedure id -> facts read from its record, filled by faq.answering
        self.entries = {card.pk: card for card in entries}
        self.procedures = procedures
        self.procedure_cards = procedure_cards
        self.by_procedure: dict[int, list[int]] = {}
        for card in entries:
            for pid in card.procedure_ids:
                self.by_procedure.setdefault(pid, []).append(card.pk)
        # Entries about procedures are reached through the catalogue's index (the procedures a question finds bring
        # their entries); this index holds the others (how the portal works, questions on no procedure), so its
        # size does not grow with the tens of thousands of entries agencies write about their procedures.
        # Questions only: answers would make it several times larger for little gain in finding the right one.
        self.search = SearchIndex.build(
            Document(id=card.pk, title=card.question) for card in entries if not card.procedure_ids
        )
        for pids in self.by_procedure.values():
            # Entries for the whole province first, then the agencies' own (the copies communes keep).
            pids.sort(key=lambda pk: (self.entries[pk].agency, pk))
        df: dict[str, int] = {}
        for card in (*entries, *procedure_cards.values()):
            words = set(card.words)
            for pid in card.procedure_ids if card.kind == "faq" else ():
                words.update(procedure_cards[pid].words if pid in procedure_cards else ())
            for word in words:
                df[word] = df.get(word, 0) + 1
        self.df = df
        self.documents = max(1, len(entries) + len(procedure_cards))
        self.deletes: dict[str, list[str]] = {}
        for word in df:
            if len(word) >= 4:
                for i in range(len(word)):
                    self.deletes.setdefault(word[:i] + word[i + 1 :], []).append(word)

    def sets(self, card: Card) -> tuple[set[str], set[str], set[tuple[str, str]]]:
        """(folded words, words as written, adjacent pairs) of a card, an entry's with its procedures' names."""
        cards = [card]
        if card.kind == "faq":
            cards += [self.procedure_cards[p] for p in card.procedure_ids if p in self.procedure_cards]
        words: set[str] = set()
        marked: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        for c in cards:
            words.update(c.words)
            marked.update(c.marked)
            pairs.update(zip(c.sequence, c.sequence[1:], strict=False))
        return words, marked, pairs

    def idf(self, word: str) -> float:
        return math.log(1 + self.documents / (1 + self.df.get(word, 0)))

    def correct(self, word: str) -> str | None:
        """``word`` if known; else the most frequent known word one edit away (4 letters or more); else None."""
        if word in self.df:
            return word
        if len(word) < 4:
            return None
        candidates = set(self.deletes.get(word, ()))
        for i in range(len(word)):
            shorter = word[:i] + word[i + 1 :]
            if shorter in self.df:
                candidates.add(shorter)
            candidates.update(self.deletes.get(shorter, ()))
        candidates = {c for c in candidates if _one_edit(word, c)}
        if not candidates:
            return None
        return max(candidates, key=lambda c: (self.df[c], c))

    def split(self, word: str) -> tuple[str, str] | None:
        """Two known words typed without the space between them ("kethon"), the most frequent pair."""
        best, best_df = None, 0
        for cut in range(2, len(word) - 1):
            left, right = word[:cut], word[cut:]
            df = min(self.df.get(left, 0), self.df.get(right, 0))
            if df > best_df and (left, right) in self.pairs:
                best, best_df = (left, right), df
        return best


def _one_edit(a: str, b: str) -> bool:
    """Levenshtein distance 1, or one transposition of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _unique(words) -> tuple[str, ...]:
    return tuple(dict.fromkeys(words))


def _about(text: str) -> frozenset[str]:
    """The folded words of what a question or a name is about: its topic, without parenthesised details."""
    topic = question_parse(_PARENTHESES_RE.sub(" ", text)).topic
    return frozenset(w for w in fold_tokens(topic) if w not in _BOILERPLATE)


def _build() -> AnswerIndex:
    from portal.catalog.question_words import EVERYDAY
    from portal.catalog.synonyms import SYNONYMS

    pairs: set[tuple[str, str]] = set()
    for text in (*SYNONYMS, *EVERYDAY.values()):
        pairs |= word_pairs(fold_tokens(text))
    procedures: dict[int, ProcedureInfo] = {}
    procedure_cards: dict[int, Card] = {}
    rows = Procedure.objects.filter(is_active=True).values_list(
        "id", "code", "name", "online_level", "field__name"
    )
    for pk, code, name, online_level, field_name in rows.iterator(chunk_size=2000):
        procedures[pk] = ProcedureInfo(pk, code, name, online_level, f"/thu-tuc/{code}/")
        folded = fold_tokens(name)
        pairs |= word_pairs(folded)
        procedure_cards[pk] = Card(
            kind="procedure",
            pk=pk,
            question=name,
            answer="",
            procedure_ids=(pk,),
            aspects=(),
            agency=0,
            words=_unique([w for w in folded if w not in _BOILERPLATE] + fold_tokens(field_name or "")),
            marked=_unique(marked_tokens(name) + marked_tokens(field_name or "")),
            sequence=tuple(folded),
            topic=_about(name),
        )
    links: dict[int, list[int]] = {}
    through = FaqEntry.procedures.through.objects.filter(faqentry__state=FaqEntry.State.PUBLISHED)
    for entry_id, procedure_id in through.values_list("faqentry_id", "procedure_id").iterator(
        chunk_size=5000
    ):
        links.setdefault(entry_id, []).append(procedure_id)
    entries: list[Card] = []
    published = FaqEntry.objects.filter(state=FaqEntry.State.PUBLISHED).values_list(
        "id", "question", "field__name", "agency_id"
    )
    for pk, question, field_name, agency_id in published.iterator(chunk_size=2000):
        pids = tuple(p for p in links.get(pk, ()) if p in procedures)
        folded = fold_tokens(question)
        pairs |= word_pairs(folded)
        words = folded + fold_tokens(field_name or "")
        marked = marked_tokens(question) + marked_tokens(field_name or "")
        # The words of its procedures' names are read from their cards when scoring (see AnswerIndex.sets), not
        # copied into every entry.
        entries.append(
            Card(
                kind="faq",
                pk=pk,
                question=question,
                answer="",  # read from the database for the answers shown
                procedure_ids=pids,
                aspects=question_aspects(question),
                agency=agency_id or 0,
                words=_unique(words),
                marked=_unique(marked),
                sequence=tuple(folded),
                # An entry written about procedures is about them, whatever words frame its question.
                topic=frozenset().union(*(procedure_cards[p].topic for p in pids))
                if pids
                else _about(question),
            )
        )
    return AnswerIndex(entries, procedures, procedure_cards, pairs)


_lock = threading.Lock()
_current: tuple[str, AnswerIndex] | None = None


def answer_index() -> AnswerIndex:
    """This process's index, rebuilt when the FAQ or the catalogue changed since it was built."""
    global _current
    version = f"{faq_version()}|{versioned.version(CATALOG)}"
    current = _current
    if current is not None and current[0] == version:
        return current[1]
    with _lock:
        if _current is None or _current[0] != version:
            _current = (version, _build())
        return _current[1]
