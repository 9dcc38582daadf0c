"""The search index: built once from the documents, then parsed queries are matched and ranked against it."""

from __future__ import annotations

import bisect
import heapq
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from portal.catalog.search.folding import (
    BOILERPLATE_RE,
    CODE_QUERY_RE,
    CODE_RE,
    index_tokens,
    normalize,
    tokens,
)
from portal.catalog.search.query import (
    EMPTY_WEIGHTS,
    FILLER_TABLE,
    MAX_QUERY_CHARS,
    MAX_QUERY_TOKENS,
    MAX_TOKEN_CHARS,
    SYNONYM_TABLE,
    match_phrase,
    query_pieces,
)
from portal.catalog.search.ranking import (
    B_ALL,
    B_KEYWORDS,
    B_TITLE,
    CODE_EXACT_SCORE,
    CODE_PREFIX_SCORE,
    FALLBACK_FACTOR,
    K1,
    PRUNE_KEEP_FACTOR,
    PRUNE_MIN_KEEP,
    SPLIT_FACTOR,
    SYNONYM_FACTOR,
    TELEX_FACTOR,
    TYPO_FACTOR,
    W_ALL,
    W_KEYWORDS,
    W_TITLE,
    apply_title_bonuses,
    documents_of_clause,
    field_weights,
    idf,
    prune,
    score_documents,
)
from portal.catalog.search.typos import (
    MAX_TYPO_TOKEN_CHARS,
    delete_variants,
    split_in_two,
    telex_decode,
    typo_candidates,
)


@dataclass(frozen=True, slots=True)
class Document:
    """One searchable procedure. ``id`` is returned in hits; the text fields are weighted high/medium/low."""

    id: int
    title: str
    keywords: str = ""
    body: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    score: float


class SearchIndex:
    """In-memory search index, immutable once built; create it with :meth:`build`.

    ``SearchIndex()`` is an empty index. All state is plain dicts, sets, lists and floats, so an index can be
    pickled (e.g. to share a build between processes).
    """

    def __init__(self) -> None:
        self._ids: list[int] = []  # document number -> Document.id
        self._codes: list[tuple[str, int]] = []  # sorted (procedure code, document number)
        self._tw: dict[str, dict[int, float]] = {}  # token -> document -> title weight
        self._kw: dict[str, dict[int, float]] = {}  # token -> document -> keyword weight
        self._any: dict[str, set[int]] = {}  # token -> documents containing it anywhere
        # Small read-only postings are tuples (a third of a small set's memory); they are only iterated.
        self._tk: dict[str, tuple[int, ...]] = {}  # token -> documents with it in title or keywords
        self._tbig: dict[str, tuple[int, ...]] = {}  # "token token" -> documents with that pair in the title
        self._tidf: dict[str, float] = {}  # title IDF
        self._aidf: dict[str, float] = {}  # all-text IDF
        self._bn: list[float] = []  # document -> all-text length normalisation (saturated tf of 1)
        self._bn_order: list[int] = []  # documents by descending _bn
        self._tmass: list[float] = []  # document -> summed title IDF of its name, boilerplate excluded
        self._deletes: dict[str, tuple[str, ...]] = {}  # symmetric-delete variants -> vocabulary tokens

    def __len__(self) -> int:
        return len(self._ids)

    # --- build

    @classmethod
    def build(cls, documents: Iterable[Document]) -> SearchIndex:
        """Index ``documents`` (any iterable, read once). Duplicate ids are indexed as separate documents."""
        self = cls()
        ids: list[int] = []
        title_tf: dict[str, dict[int, int]] = defaultdict(dict)
        kw_tf: dict[str, dict[int, int]] = defaultdict(dict)
        any_docs: dict[str, set[int]] = defaultdict(set)
        bigrams: dict[str, set[int]] = defaultdict(set)
        title_len: list[int] = []
        kw_len: list[int] = []
        all_len: list[int] = []
        title_core: list[frozenset[str]] = []
        codes: list[tuple[str, int]] = []

        for doc in documents:
            d = len(ids)
            ids.append(doc.id)
            title_norm = normalize(doc.title)
            title = tokens(title_norm)
            keywords_norm = normalize(doc.keywords)
            keywords = tokens(keywords_norm)
            body, body_len = index_tokens(doc.body)
            for code in CODE_RE.findall(keywords_norm):
                codes.append((code, d))

            for tok, tf in Counter(title).items():
                title_tf[tok][d] = tf
            for tok, tf in Counter(keywords).items():
                kw_tf[tok][d] = tf
            for left, right in zip(title, title[1:], strict=False):
                bigrams[left + " " + right].add(d)
            distinct = set(title)
            distinct.update(keywords)
            distinct.update(body)
            for tok in distinct:
                any_docs[tok].add(d)

            title_len.append(len(title))
            kw_len.append(len(keywords))
            all_len.append(len(title) + len(keywords) + body_len)
            title_core.append(frozenset(tokens(BOILERPLATE_RE.sub(" ", title_norm))))

        n = len(ids)
        self._ids = ids
        self._codes = sorted(codes)
        self._tbig = {pair: tuple(docs) for pair, docs in bigrams.items()}
        self._any = dict(any_docs)

        self._tw, self._tidf = field_weights(title_tf, title_len, W_TITLE, B_TITLE)
        self._kw, _ = field_weights(kw_tf, kw_len, W_KEYWORDS, B_KEYWORDS)
        self._aidf = {tok: idf(len(docs), n) for tok, docs in any_docs.items()}
        avg_all = (sum(all_len) / n) if n else 1.0
        avg_all = avg_all or 1.0
        self._bn = [(K1 + 1.0) / (1.0 + K1 * (1.0 - B_ALL + B_ALL * length / avg_all)) for length in all_len]
        self._bn_order = sorted(range(n), key=self._bn.__getitem__, reverse=True)
        tidf = self._tidf
        self._tmass = [sum(tidf[t] for t in core if t in tidf) for core in title_core]

        # Title-or-keyword presence, and the vocabulary typos are corrected against.
        tk: dict[str, set[int]] = {tok: set(postings) for tok, postings in title_tf.items()}
        for tok, postings in kw_tf.items():
            tk.setdefault(tok, set()).update(postings)
        self._tk = {tok: tuple(docs) for tok, docs in tk.items()}
        deletes: dict[str, list[str]] = defaultdict(list)
        for tok in tk:
            if len(tok) >= 3 and tok.isalpha() and len(tok) <= MAX_TYPO_TOKEN_CHARS + 2:
                for variant in delete_variants(tok, 1 if len(tok) < 6 else 2):
                    deletes[variant].append(tok)
        self._deletes = {k: tuple(v) for k, v in deletes.items()}
        return self

    # --- query parts

    def _option(self, token: str, factor: float):
        docs = self._any.get(token)
        if not docs:
            return None
        return (
            factor,
            self._tw.get(token, EMPTY_WEIGHTS),
            self._kw.get(token, EMPTY_WEIGHTS),
            docs,
            W_ALL * self._aidf[token] * factor,
            token,
            self._tidf.get(token, 0.0),
        )

    def _typo_candidates(self, token: str) -> list[tuple[str, int]]:
        return typo_candidates(token, self._deletes, self._tk)

    def _position(self, token: str) -> tuple:
        """Options for one typed token: itself, then its Telex decoding or its typo corrections.

        Corrections are looked for when the token is unknown, or known only from body text (then the token
        itself stays the first option).
        """
        options = []
        exact = self._option(token, 1.0)
        if exact is not None:
            options.append(exact)
            if token in self._tk:
                return tuple(options)
        else:
            decoded = telex_decode(token)
            if decoded != token:
                opt = self._option(decoded, TELEX_FACTOR)
                if opt is not None:
                    return (opt,)
        for cand, dist in self._typo_candidates(token):
            opt = self._option(cand, TYPO_FACTOR[dist])
            if opt is not None:
                options.append(opt)
        return tuple(options)

    def _parse(self, pieces: list[tuple[str, str | None]]) -> list[tuple[bool, tuple]]:
        """Turn query tokens into clauses: synonym groups, optional filler words and plain words."""
        positions = [self._position(tok) for tok, _ in pieces]
        # Phrases are looked up with misspelt words replaced by their best correction.
        canonical = []
        for (tok, acc), position in zip(pieces, positions, strict=True):
            if position and position[0][5] != tok:
                canonical.append((position[0][5], None))
            else:
                canonical.append((tok, acc))

        clauses: list[tuple[bool, tuple]] = []
        i = 0
        while i < len(pieces):
            syn = match_phrase(SYNONYM_TABLE, canonical, i)
            if syn is not None:
                length, official = syn
                alts = []
                typed = tuple(positions[i : i + length])
                if all(typed):
                    alts.append(typed)
                for phrase in official:
                    alt = tuple(self._position_exact(tok, SYNONYM_FACTOR) for tok in phrase)
                    if all(alt):
                        alts.append(alt)
                clauses.append((True, tuple(alts)))
                i += length
                continue
            filler = match_phrase(FILLER_TABLE, canonical, i)
            if filler is not None:
                length = filler[0]
                alt = tuple(self._position_exact(tok, 1.0) for tok, _ in canonical[i : i + length])
                clauses.append((False, (alt,) if all(alt) else ()))
                i += length
                continue
            alts = [(positions[i],)] if positions[i] else []
            if self._any.get(pieces[i][0]) is None:
                split = self._split(pieces[i][0])
                if split is not None:
                    alts.append(split)
            clauses.append((True, tuple(alts)))
            i += 1
        if clauses and not any(required for required, _ in clauses):
            clauses = [(True, alts) for _, alts in clauses]
        return clauses

    def _split(self, token: str) -> tuple | None:
        """Two words typed without the space between them ("khaisinh", "dangky"), if both are known."""
        best = split_in_two(token, self._tk)
        if best is None:
            return None
        left_opt = self._option(best[0], SPLIT_FACTOR)
        right_opt = self._option(best[1], SPLIT_FACTOR)
        return ((left_opt,), (right_opt,))

    def _position_exact(self, token: str, factor: float) -> tuple:
        opt = self._option(token, factor)
        return (opt,) if opt is not None else ()

    # --- search

    def search(self, query: str, limit: int = 200) -> list[Hit]:
        """Procedures matching ``query``, best first, at most ``limit``; ``[]`` for blank or junk queries."""
        if not isinstance(query, str) or not self._ids:
            return []
        try:
            limit = int(limit)
        except (TypeError, ValueError):
            return []
        if limit <= 0:
            return []
        raw = query[:MAX_QUERY_CHARS]
        folded = normalize(raw)
        if not folded:
            return []

        hits: list[Hit] = []
        seen: set[int] = set()
        code_queries = CODE_QUERY_RE.findall(folded)
        if code_queries:
            for d, score in self._code_hits(code_queries, limit):
                hits.append(Hit(self._ids[d], score))
                seen.add(d)
            raw = CODE_QUERY_RE.sub(" ", unicodedata.normalize("NFKC", raw))

        pieces = [(tok[:MAX_TOKEN_CHARS], acc) for tok, acc in query_pieces(raw)][:MAX_QUERY_TOKENS]
        if pieces and len(hits) < limit:
            for d, score in self._text_hits(pieces, limit + len(seen)):
                if d in seen:
                    continue
                hits.append(Hit(self._ids[d], score))
                if len(hits) >= limit:
                    break
        return hits[:limit]

    def _code_hits(self, code_queries: list[str], limit: int) -> list[tuple[int, float]]:
        """Documents whose code equals (first) or starts with one of ``code_queries``."""
        out: list[tuple[int, float]] = []
        taken: set[int] = set()
        for prefix in code_queries:
            if len(prefix) < 3:  # "1." alone is not a code
                continue
            start = bisect.bisect_left(self._codes, (prefix,))
            for code, d in islice(self._codes, start, None):
                if not code.startswith(prefix) or len(out) >= limit:
                    break
                if d not in taken:
                    taken.add(d)
                    out.append((d, CODE_EXACT_SCORE if code == prefix else CODE_PREFIX_SCORE))
        out.sort(key=lambda item: -item[1])
        return out

    def _text_hits(self, pieces, limit: int) -> list[tuple[int, float]]:
        """(document, score) for the text part of a query, best first."""
        clauses = self._parse(pieces)
        required = [alts for req, alts in clauses if req]
        if not required:
            return []

        clause_docs = [documents_of_clause(alts) for alts in required]
        clause_docs.sort(key=len)
        candidates = clause_docs[0]
        for docs in clause_docs[1:]:
            if not candidates:
                break
            candidates = candidates & docs
        scale: float | None = None
        if not candidates:
            if len(required) < 2:
                return []
            counts: Counter[int] = Counter()
            for docs in clause_docs:
                counts.update(docs)
            if not counts:
                return []
            best = max(counts.values())
            candidates = {d for d, c in counts.items() if c == best}
            scale = FALLBACK_FACTOR * best / len(required)

        all_alts = [alts for _, alts in clauses]
        options = [opt for alts in all_alts for alt in alts for pos in alt for opt in pos]
        title_side = set().union(*(self._tk.get(opt[5], ()) for opt in options)) if options else set()
        in_title = candidates & title_side if len(candidates) > len(title_side) else title_side & candidates
        body_only = candidates - in_title
        if len(body_only) > limit:
            picked = list(islice((d for d in self._bn_order if d in body_only), limit))
        else:
            picked = list(body_only)
        keep = max(PRUNE_KEEP_FACTOR * limit, PRUNE_MIN_KEEP)
        if len(in_title) > keep:
            in_title = prune(in_title, options, keep)

        scores = score_documents(in_title, all_alts, self._bn)
        scores.update(score_documents(picked, all_alts, self._bn))
        apply_title_bonuses(scores, in_title, clauses, options, self._tbig, self._tmass)
        if scale is not None:
            for d in scores:
                scores[d] *= scale
        if len(scores) > 4 * limit:
            ranked = heapq.nlargest(limit, scores.items(), key=lambda kv: (kv[1], -kv[0]))
        else:
            ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(d, round(s, 6)) for d, s in ranked if s > 0.0]
