"""The automatic answering service: a question in everyday Vietnamese -> the best FAQ entries or procedures.

1. The question is read by :func:`portal.catalog.questions.question_parse`: abbreviations written out, everyday
   phrases put in official terms, its aspects (documents, time, fees, where, who, online) set aside, filler dropped.
2. A complaint ("cán bộ hách dịch", "hồ sơ của tôi trễ hẹn mà…") is not answered: the person is sent to the
   feedback form. So is a question with no words.
3. Candidates come from the FAQ's own search index and from the catalogue's (the same ranking, folding, typo and
   Telex handling, :mod:`portal.catalog.search`): the FAQ entries found, the best procedures, and the entries
   written about those procedures.
4. Each candidate is scored by *coverage*: the share, weighted by rarity (IDF), of the topic's words it contains
   (after correcting a mistyped word to a known one, and counting an everyday phrase such as "sổ đỏ" as covered
   when the candidate has its official words), then adjusted for the aspect asked and the search rank. A question
   whose best candidate covers too little of it is declined ("answered": false) rather than guessed at.
5. A procedure without an entry on the aspect asked is answered from its catalogue record
   (:func:`faq.catalog_facts.procedure_facts`), citing the procedure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from faq.answer_index import AnswerIndex, Card, answer_index, fold_tokens, marked_tokens
from faq.models import FaqEntry
from portal.catalog.models import Procedure
from portal.catalog.questions import MAX_QUESTION_CHARS, question_parse
from portal.catalog.search import normalize
from portal.catalog.search_index import search_index as catalog_search_index
from portal.catalog.selectors import procedure_receiving_agencies
from portal.catalog.synonyms import SYNONYMS

# A question is answered when its best candidate scores at least this much (coverage 0-1 plus adjustments).
THRESHOLD = 0.62
MAX_ANSWERS = 3
# The answers shown beside the best one must score at least this share of it.
KEEP_SHARE = 0.75
ASPECT_MATCH = 0.30
ASPECT_MISMATCH = -0.45
ASPECT_NOT_ASKED = -0.05
RANK_WEIGHT = 0.12
NAME_WEIGHT = 0.25
# A procedure's card answers from its record: a little below an entry a person wrote, whatever the aspect asked.
PROCEDURE_CARD = -0.05
# A candidate that has none of the question's adjacent word pairs matches words, not what the question says.
NO_PHRASE = -0.25
STRONG_WEIGHT = 2.0
PROCEDURE_CANDIDATES = 6
MAX_QUERIES = 4
# Entries looked at per procedure found: the province's first, then agencies' own copies.
ENTRIES_PER_PROCEDURE = 40
OUTSIDE_PHRASE_WEIGHT = 0.4
MARKS_DIFFER = 0.5
FAQ_CANDIDATES = 60
ONLINE_FILING_LEVEL = Procedure.OnlineLevel.SUBMISSION
# Facts read from procedures' records are kept with the index (it is rebuilt when the catalogue changes).
FACTS_KEPT = 2000

# Words that make a message a complaint about a person or a dossier rather than a question about a procedure.
COMPLAINT_MARKERS = tuple(
    normalize(p)
    for p in (
        "hách dịch",
        "nhũng nhiễu",
        "vòi tiền",
        "đòi tiền",
        "tiền bồi dưỡng",
        "bức xúc",
        "tiêu cực",
        "làm khó",
        "gây khó dễ",
        "thái độ",
        "quá tệ",
        "rất tệ",
        "lừa đảo",
        "không ai giải quyết",
        "không ai trả lời",
        "không ai nghe",
        "tôi muốn khiếu nại",
        "tôi muốn tố cáo",
        "tôi muốn phản ánh",
        "em muốn phản ánh",
        "tôi bức xúc",
        "trễ hẹn mà",
        "quá hạn mà",
        "chậm trễ quá",
        "chờ mãi",
        "đợi mãi",
        "mấy tháng rồi",
    )
)
_SYNONYM_KEYS = [
    (tuple(fold_tokens(key)), [tuple(fold_tokens(p)) for p in phrases]) for key, phrases in SYNONYMS.items()
]
_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Answer:
    id: str
    question: str
    answer: str
    score: float
    procedure_codes: list[str]
    url: str
    file_url: str = ""
    aspect: str = ""  # what the answer is about: giay-to, thoi-han, phi, noi-nop, doi-tuong, truc-tuyen or ""


@dataclass(frozen=True)
class Reply:
    answered: bool
    answers: list[Answer] = field(default_factory=list)
    reason: str = ""  # "", "empty", "complaint", "unknown"
    best: Answer | None = None  # the best candidate even when declined (for the admins' queue)


def _is_complaint(folded: str) -> bool:
    padded = f" {folded} "
    return any(f" {marker} " in padded for marker in COMPLAINT_MARKERS)


def _telex_decode(word: str) -> str:
    """Undo Telex typed without an input method ("ddawngf" -> "dang", "kys" -> "ky"), on a folded word."""
    if len(word) >= 3 and word[-1] in "sfrxj":
        word = word[:-1]
    for old, new in (
        ("dd", "d"),
        ("aa", "a"),
        ("aw", "a"),
        ("ee", "e"),
        ("oo", "o"),
        ("ow", "o"),
        ("uw", "u"),
    ):
        word = word.replace(old, new)
    return word.replace("w", "u")


@dataclass(frozen=True, slots=True)
class _QWord:
    folded: str  # corrected to a known word where possible
    marked: str  # as typed, diacritics kept ("" when the word was corrected or typed without any)
    weight: float


def _query_words(index: AnswerIndex, topic: str, strong: frozenset[str] = frozenset()) -> list[_QWord]:
    """The topic's words, each corrected to a known word (Telex leftovers decoded, two words typed as one split,
    or the most frequent known word one edit away), weighted by rarity (IDF); words outside the topic's key phrases
    (runs of words adjacent as in a procedure name or FAQ question) weigh less: they tell the story around it."""
    raw = fold_tokens(topic)
    typed = marked_tokens(topic)
    out: list[tuple[str, str]] = []
    for word, as_typed in zip(raw, typed, strict=False):
        known = index.correct(word)
        if known is None or (known != word and _telex_decode(word) in index.df):
            decoded = _telex_decode(word)
            known = decoded if decoded in index.df else known
        if known is None:
            parts = index.split(word)
            if parts is not None:
                out.extend((part, "") for part in parts)
                continue
        marked = as_typed if known == word and as_typed != word else ""
        out.append((known or word, marked))
    folded = [w for w, _ in out]
    in_phrase = [False] * len(folded)
    for i in range(1, len(folded)):
        if (folded[i - 1], folded[i]) in index.pairs:
            in_phrase[i - 1] = in_phrase[i] = True
    return [
        _QWord(
            w,
            m,
            index.idf(w)
            * (1.0 if in_phrase[i] or len(folded) < 3 else OUTSIDE_PHRASE_WEIGHT)
            * (STRONG_WEIGHT if w in strong else 1.0),
        )
        for i, (w, m) in enumerate(out)
    ]


def _says_a_phrase(pairs, words: list[_QWord], groups) -> bool:
    """The candidate has two of the question's words next to each other (or an everyday phrase's official words),
    or the question has a single word."""
    if len(words) < 2 or groups:
        return True
    return any((a.folded, b.folded) in pairs for a, b in zip(words, words[1:], strict=False))


def _key_runs(words: list[_QWord], index: AnswerIndex) -> list[str]:
    """The runs of two or more words adjacent as in a name: the whole question's key phrases, as queries."""
    runs: list[list[str]] = []
    current: list[str] = []
    for i, word in enumerate(words):
        if i and (words[i - 1].folded, word.folded) in index.pairs:
            current.append(word.folded)
        else:
            if len(current) >= 2:
                runs.append(current)
            current = [word.folded]
    if len(current) >= 2:
        runs.append(current)
    return [" ".join(run) for run in runs]


def _synonym_groups(words: list[str]) -> list[tuple[set[int], list[tuple[str, ...]]]]:
    """Positions of everyday phrases in ``words`` and the official phrases that stand for them."""
    groups = []
    for key, officials in _SYNONYM_KEYS:
        n = len(key)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == key:
                groups.append((set(range(i, i + n)), officials))
    return groups


def _coverage(card_words, card_marked, words: list[_QWord], groups) -> float:
    """The weighted share of the question's words the candidate contains; a word typed with diacritics that the
    candidate has only with other diacritics counts half ("sơ đồ" is not "sổ đỏ")."""
    total = sum(w.weight for w in words)
    if total <= 0:
        return 0.0
    share = [0.0] * len(words)
    for i, word in enumerate(words):
        if word.folded in card_words:
            share[i] = 1.0 if not word.marked or word.marked in card_marked else MARKS_DIFFER
    for positions, officials in groups:
        if any(all(w in card_words for w in phrase) for phrase in officials):
            for i in positions:
                share[i] = 1.0
    return sum(s * w.weight for s, w in zip(share, words, strict=True)) / total


def _name_share(index: AnswerIndex, card: Card, words: list[_QWord], groups) -> float:
    """How much of what the candidate is about the question names, weighted by rarity (prefers "đăng ký kết hôn"
    over "đăng ký kết hôn có yếu tố nước ngoài" when the question says only "kết hôn")."""
    if not card.topic:
        return 0.0
    asked = {w.folded for w in words}
    for _positions, officials in groups:
        for phrase in officials:
            asked.update(phrase)
    total = sum(index.idf(w) for w in card.topic)
    return sum(index.idf(w) for w in card.topic & asked) / total if total else 0.0


def _aspect_adjustment(card_aspects: tuple[str, ...], asked: tuple[str, ...]) -> float:
    """The aspect a question asks is the last one it names ("chứng thực chữ ký trên giấy tờ có mất phí không" asks
    about fees): the same last aspect scores best, another shared one half."""
    if asked:
        if card_aspects and card_aspects[-1] == asked[-1]:
            return ASPECT_MATCH
        if set(card_aspects) & set(asked):
            return ASPECT_MATCH / 2
        return ASPECT_MISMATCH if card_aspects else 0.0
    return ASPECT_NOT_ASKED if card_aspects else 0.0


def _entry_answer(index: AnswerIndex, card: Card, score: float, text: str) -> Answer:
    procedures = [index.procedures[pid] for pid in card.procedure_ids if pid in index.procedures]
    online = [p for p in procedures if p.online_level >= ONLINE_FILING_LEVEL]
    return Answer(
        id=f"faq-{card.pk}",
        question=card.question,
        answer=text,
        score=round(score, 3),
        procedure_codes=[p.code for p in procedures],
        url=f"/hoi-dap/{card.pk}/",
        file_url=online[0].url + "#nop-ho-so" if online else "",
        aspect=card.aspects[-1] if card.aspects and card.procedure_ids else "",
    )


def _procedure_answer(index: AnswerIndex, pk: int, aspects: tuple[str, ...], score: float) -> Answer:
    """A procedure as an answer: the fact asked for, read from its record, or its summary."""
    from faq.catalog_facts import procedure_facts, short_name

    info = index.procedures[pk]
    kept = index.facts.get(pk)
    if kept is None:
        procedure = (
            Procedure.objects.select_related("field")
            .prefetch_related("channels", "documents", "applicant_types", "agency_links__agency")
            .get(pk=pk)
        )
        receiving = [a.name for a in procedure_receiving_agencies(procedure)]
        facts = {f.aspect: f for f in procedure_facts(procedure, receiving)}
        summary = f"{procedure.name} (mã {procedure.code})." + (
            f" Lĩnh vực: {procedure.field.name}." if procedure.field_id else ""
        )
        kept = (short_name(procedure), summary, facts)
        if len(index.facts) < FACTS_KEPT:
            index.facts[pk] = kept
    name, summary, facts = kept
    fact = next((facts[a] for a in reversed(aspects) if a in facts), None)
    if fact is not None:
        question, text = fact.question, fact.answer
    else:
        question = f"Thủ tục {name}"
        text = " ".join(
            [
                summary,
                facts["truc-tuyen"].answer,
                "Trang thủ tục ghi đầy đủ hồ sơ, thời hạn, phí, lệ phí và nơi nộp.",
            ]
        )
    return Answer(
        id=f"thu-tuc-{info.code}",
        question=question,
        answer=text,
        score=round(score, 3),
        procedure_codes=[info.code],
        url=info.url,
        file_url=info.url + "#nop-ho-so" if info.online_level >= ONLINE_FILING_LEVEL else "",
        aspect=fact.aspect if fact is not None else "",
    )


def rank(question: str) -> tuple[str, list[tuple[tuple[str, int], float]], tuple[str, ...]]:
    """``(reason, candidates best first as ((kind, pk), score), aspects asked)``; reason "" when there are any."""
    text = (question or "")[:MAX_QUESTION_CHARS]
    folded = normalize(text)
    if not _LETTER_RE.search(folded):
        return "empty", [], ()
    if _is_complaint(folded):
        return "complaint", [], ()
    parsed = question_parse(text)
    topic = parsed.topic
    if not topic.strip():
        return "unknown", [], parsed.aspects
    index = answer_index()
    words = _query_words(index, topic, parsed.strong)
    groups = _synonym_groups([w.folded for w in words])

    scored: dict[tuple[str, int], float] = {}

    def consider(card: Card, rank_signal: float) -> None:
        card_words, card_marked, card_pairs = index.sets(card)
        score = (
            _coverage(card_words, card_marked, words, groups)
            + NAME_WEIGHT * _name_share(index, card, words, groups)
            + RANK_WEIGHT * rank_signal
        )
        if card.kind == "procedure":
            # Its answer is read from the record for the aspect asked (where, online: always there).
            score += PROCEDURE_CARD + (ASPECT_MATCH if parsed.aspects else 0.0)
        else:
            score += _aspect_adjustment(card.aspects, parsed.aspects)
        if not _says_a_phrase(card_pairs, words, groups):
            score += NO_PHRASE
        key = (card.kind, card.pk)
        if score > scored.get(key, -1.0):
            scored[key] = score

    queries = [topic, *_key_runs(words, index)][:MAX_QUERIES]
    catalog = catalog_search_index()
    for query in dict.fromkeys(queries):
        for rank, hit in enumerate(index.search.search(query, limit=FAQ_CANDIDATES)):
            consider(index.entries[hit.id], 1.0 / (1 + rank))
        for rank, hit in enumerate(catalog.search(query, limit=PROCEDURE_CANDIDATES)):
            card = index.procedure_cards.get(hit.id)
            if card is None:
                continue
            signal = 1.0 / (1 + rank)
            consider(card, signal)
            for entry_id in index.by_procedure.get(hit.id, ())[:ENTRIES_PER_PROCEDURE]:
                consider(index.entries[entry_id], signal)
    if not scored:
        return "unknown", [], parsed.aspects
    return "", sorted(scored.items(), key=lambda kv: -kv[1]), parsed.aspects


def answer(question: str) -> Reply:
    """The best answers to ``question`` (at most :data:`MAX_ANSWERS`), or a reply saying why there is none."""
    reason, ranked, aspects = rank(question)
    if reason:
        return Reply(answered=False, reason=reason)
    index = answer_index()
    best_score = ranked[0][1]
    if best_score < THRESHOLD:
        (kind, pk), score = ranked[0]
        best = _entry_answer(index, index.entries[pk], score, "") if kind == "faq" else None
        return Reply(answered=False, reason="unknown", best=best)
    picked: list[tuple[str, int, float]] = []
    cited: set[int] = set()
    for (kind, pk), score in ranked:
        if len(picked) >= MAX_ANSWERS or score < best_score * KEEP_SHARE:
            break
        if kind == "procedure":
            if pk in cited:
                continue  # an entry about this procedure is already shown
            cited.add(pk)
        else:
            cited.update(index.entries[pk].procedure_ids)
        picked.append((kind, pk, score))
    texts = dict(
        FaqEntry.objects.filter(pk__in=[pk for kind, pk, _ in picked if kind == "faq"]).values_list(
            "id", "answer"
        )
    )
    chosen = [
        _procedure_answer(index, pk, aspects, score)
        if kind == "procedure"
        else _entry_answer(index, index.entries[pk], score, texts.get(pk, ""))
        for kind, pk, score in picked
    ]
    return Reply(answered=True, answers=chosen, best=chosen[0])


def entries_matching(question: str, limit: int = 200) -> list[int]:
    """Published entries about ``question``, best first: the entries found and those on the procedures found (for
    the public FAQ page's search box)."""
    reason, ranked, _aspects = rank(question)
    if reason:
        return []
    index = answer_index()
    found: dict[int, None] = {}
    for (kind, pk), _score in ranked:
        for entry_id in [pk] if kind == "faq" else index.by_procedure.get(pk, ())[:ENTRIES_PER_PROCEDURE]:
            found.setdefault(entry_id)
        if len(found) >= limit:
            break
    return list(found)[:limit]
