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

from faq.answer_index import AnswerIndex, Card, answer_index, fold_tokens
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
NAME_WEIGHT = 0.12
PROCEDURE_FROM_RECORD = -0.02  # an entry written for the aspect beats the same facts read from the record
PROCEDURE_CANDIDATES = 6
FAQ_CANDIDATES = 20
ONLINE_FILING_LEVEL = Procedure.OnlineLevel.SUBMISSION

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


def _query_words(index: AnswerIndex, topic: str) -> list[tuple[str, float]]:
    """The topic's words, each corrected to a known word (Telex leftovers decoded, or the most frequent known word
    one edit away), with its weight (IDF)."""
    out = []
    for word in fold_tokens(topic):
        known = index.correct(word)
        if known is None or (known != word and _telex_decode(word) in index.df):
            decoded = _telex_decode(word)
            known = decoded if decoded in index.df else known
        out.append((known or word, index.idf(known or word)))
    return out


def _synonym_groups(words: list[str]) -> list[tuple[set[int], list[tuple[str, ...]]]]:
    """Positions of everyday phrases in ``words`` and the official phrases that stand for them."""
    groups = []
    for key, officials in _SYNONYM_KEYS:
        n = len(key)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == key:
                groups.append((set(range(i, i + n)), officials))
    return groups


def _coverage(card: Card, words: list[tuple[str, float]], groups) -> float:
    total = sum(weight for _, weight in words)
    if total <= 0:
        return 0.0
    covered = {i for i, (word, _) in enumerate(words) if word in card.words}
    for positions, officials in groups:
        if not positions <= covered and any(all(w in card.words for w in phrase) for phrase in officials):
            covered |= positions
    return sum(words[i][1] for i in covered) / total


def _name_share(card: Card, words: list[tuple[str, float]], groups) -> float:
    """How much of what the candidate is about the question names (prefers "đăng ký khai sinh" over "… lưu động")."""
    if not card.topic:
        return 0.0
    asked = {w for w, _ in words}
    for _positions, officials in groups:
        for phrase in officials:
            asked.update(phrase)
    return len(card.topic & asked) / len(card.topic)


def _aspect_adjustment(card_aspect: str, asked: tuple[str, ...]) -> float:
    if asked:
        if card_aspect in asked:
            return ASPECT_MATCH
        return ASPECT_MISMATCH if card_aspect else 0.0
    return ASPECT_NOT_ASKED if card_aspect else 0.0


def _entry_answer(index: AnswerIndex, card: Card, score: float) -> Answer:
    procedures = [index.procedures[pid] for pid in card.procedure_ids if pid in index.procedures]
    online = [p for p in procedures if p.online_level >= ONLINE_FILING_LEVEL]
    return Answer(
        id=f"faq-{card.pk}",
        question=card.question,
        answer=card.answer,
        score=round(score, 3),
        procedure_codes=[p.code for p in procedures],
        url=f"/hoi-dap/{card.pk}/",
        file_url=online[0].url + "#nop-ho-so" if online else "",
    )


def _procedure_answer(index: AnswerIndex, pk: int, aspects: tuple[str, ...], score: float) -> Answer:
    """A procedure as an answer: the fact asked for, read from its record, or its summary."""
    from faq.catalog_facts import procedure_facts, short_name

    info = index.procedures[pk]
    procedure = (
        Procedure.objects.select_related("field")
        .prefetch_related("channels", "documents", "applicant_types", "agency_links__agency")
        .get(pk=pk)
    )
    facts = {
        f.aspect: f
        for f in procedure_facts(procedure, [a.name for a in procedure_receiving_agencies(procedure)])
    }
    fact = next((facts[a] for a in aspects if a in facts), None)
    if fact is not None:
        question, text = fact.question, fact.answer
    else:
        question = f"Thủ tục {short_name(procedure)}"
        parts = [f"{procedure.name} (mã {procedure.code})."]
        if procedure.field_id:
            parts.append(f"Lĩnh vực: {procedure.field.name}.")
        parts.append(facts["truc-tuyen"].answer)
        parts.append("Trang thủ tục ghi đầy đủ hồ sơ, thời hạn, phí, lệ phí và nơi nộp.")
        text = " ".join(parts)
    return Answer(
        id=f"thu-tuc-{info.code}",
        question=question,
        answer=text,
        score=round(score, 3),
        procedure_codes=[info.code],
        url=info.url,
        file_url=info.url + "#nop-ho-so" if info.online_level >= ONLINE_FILING_LEVEL else "",
    )


def answer(question: str) -> Reply:
    """The best answers to ``question`` (at most :data:`MAX_ANSWERS`), or a reply saying why there is none."""
    text = (question or "")[:MAX_QUESTION_CHARS]
    folded = normalize(text)
    if not _LETTER_RE.search(folded):
        return Reply(answered=False, reason="empty")
    if _is_complaint(folded):
        return Reply(answered=False, reason="complaint")
    parsed = question_parse(text)
    topic = parsed.topic
    if not topic.strip():
        return Reply(answered=False, reason="unknown")
    index = answer_index()
    words = _query_words(index, topic)
    groups = _synonym_groups([w for w, _ in words])

    scored: dict[tuple[str, int], float] = {}

    def consider(card: Card, rank_signal: float) -> None:
        score = (
            _coverage(card, words, groups)
            + NAME_WEIGHT * _name_share(card, words, groups)
            + RANK_WEIGHT * rank_signal
            + _aspect_adjustment(card.aspect, parsed.aspects)
        )
        if card.kind == "procedure":
            score += PROCEDURE_FROM_RECORD if parsed.aspects else 0.0
        key = (card.kind, card.pk)
        if score > scored.get(key, -1.0):
            scored[key] = score

    for rank, hit in enumerate(index.search.search(topic, limit=FAQ_CANDIDATES)):
        consider(index.entries[hit.id], 1.0 / (1 + rank))
    for rank, hit in enumerate(catalog_search_index().search(topic, limit=PROCEDURE_CANDIDATES)):
        card = index.procedure_cards.get(hit.id)
        if card is None:
            continue
        signal = 1.0 / (1 + rank)
        consider(card, signal)
        for entry_id in index.by_procedure.get(hit.id, ()):
            consider(index.entries[entry_id], signal)
    if not scored:
        return Reply(answered=False, reason="unknown")

    ranked = sorted(scored.items(), key=lambda kv: -kv[1])
    best_score = ranked[0][1]
    chosen: list[Answer] = []
    cited: set[int] = set()
    for (kind, pk), score in ranked:
        if len(chosen) >= MAX_ANSWERS or score < best_score * KEEP_SHARE:
            break
        if kind == "procedure":
            if pk in cited:
                continue  # an entry about this procedure is already shown
            chosen.append(_procedure_answer(index, pk, parsed.aspects, score))
            cited.add(pk)
        else:
            card = index.entries[pk]
            chosen.append(_entry_answer(index, card, score))
            cited.update(card.procedure_ids)
    if best_score < THRESHOLD:
        return Reply(answered=False, reason="unknown", best=chosen[0] if chosen else None)
    return Reply(answered=True, answers=chosen, best=chosen[0])
