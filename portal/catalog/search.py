"""Full-text search over the procedure catalogue, tuned for Vietnamese, in pure Python.

The Django layer builds a :class:`SearchIndex` from database rows (one :class:`Document` per procedure), keeps
it per process and rebuilds it when the catalogue changes; this module knows nothing about Django. The index
is immutable once built, so one instance can serve concurrent threads.

Design
======

Text folding
    :func:`normalize` lowercases, decomposes (NFKD), drops combining marks, maps "đ" to "d", replaces control
    characters and collapses whitespace. Citizens type with or without diacritics, with or without an input
    method, so everything is matched on the folded form: "dang ky khai sinh" equals "Đăng ký khai sinh".
    Tokens are runs of letters and digits. One Vietnamese spelling variant is folded as well: a syllable that
    ends in "y" right after its initial consonant is written either way ("lý"/"lí", "kỹ"/"kĩ", "sỹ"/"sĩ",
    "quý"/"quí"), so such a final "y" becomes "i" in both documents and queries.

Index
    An inverted index over folded syllables with three fields, scored BM25-style with per-field IDF:

    * title (weight 4, saturated term frequency, mild length normalisation) -- the procedure name;
    * keywords (weight 1.5) -- code and field name;
    * all text (weight 1) -- every field together, presence only: for long body text (steps, result) how
      often a syllable repeats says little, and storing one set per syllable instead of a per-document term
      frequency keeps the index small and the build fast. These sets also answer "which documents contain
      the syllable at all", which is what the AND logic needs.

    All per-(token, document) weights are computed at build time, so a query only adds up numbers.

Ranking
    A document's score is the sum over query terms of its field weights (a title match outweighs any body
    match), multiplied for documents that match in the name by

    * ``1 + W_PHRASE * phrase**2``, ``phrase`` being the share (IDF-weighted) of adjacent query word pairs
      that are adjacent in the name: the exact phrase in the name beats the same words scattered;
    * ``1 + W_COVERAGE * coverage**2``, ``coverage`` being the share (IDF-weighted) of the name's words that
      the query contains, ignoring boilerplate such as a leading "Thủ tục" or a trailing "(thực hiện tại cấp
      tỉnh)". This puts the procedure named "Thủ tục đăng ký khai sinh" above "Thủ tục đăng ký khai sinh lưu
      động" and the dozen other names that contain the same words.

    Multiplying keeps the factors independent of the query's length; squaring makes near-complete matches
    count much more than half-matches.

Matching
    All query terms are required (AND). Conversational words listed in :data:`synonyms.FILLER_WORDS`
    ("thủ tục", "làm", "như thế nào") are optional. If no document contains every required term, the
    documents matching the largest number of terms are returned instead, with their scores halved and scaled
    by the share of terms matched.

Typos
    Vietnamese syllables are short and almost every 2-3 letter string is a valid syllable, so edits of short
    tokens would flood the results; only tokens of 4 letters or more are corrected, by edit distance 1
    (2 from 8 letters on), transpositions included, against the vocabulary of names and keywords, through a
    symmetric-delete table (found in a handful of dictionary lookups). Corrections are alternatives with a
    lower weight (0.7, 0.5). A token is corrected only if it does not occur in the index, or occurs only in
    body text (then it is kept and the corrections are added). Telex/VNI leftovers from typing without an
    input method ("ddawng kys", "d9a8ng") are decoded first, and an unknown token that is two known words
    run together ("khaisinh") also matches them as a phrase.

Synonyms
    :data:`synonyms.SYNONYMS` maps everyday phrases to official ones. A query phrase found there becomes a
    group that matches either the words typed or all words of one official phrase; the best alternative
    counts. "sổ đỏ" therefore finds "giấy chứng nhận quyền sử dụng đất". Phrases are matched after typo
    correction, and diacritics the user did type must not contradict the phrase ("sơ đồ" is a diagram).

Codes
    A query that looks like a procedure code ("1.001193", or a prefix such as "1.0011") returns the
    procedures whose code (read from the keywords field) equals or starts with it, before any text matches.

Bounded work
    Only the first 200 characters and 12 tokens of a query are used, each token is cut to 40 characters and
    typo expansion is capped. Candidates come from C-level set intersections. Documents that match only in
    body text all score proportionally to their length normalisation, so only the best ``limit`` of them are
    scored. For very broad queries (thousands of name matches) the name matches are first cut to the best
    ``max(3 * limit, 1000)`` by an upper bound of their name-and-keyword score. On one core, a query takes
    well under a millisecond to a few milliseconds over the 1,601 real procedures and about 1-12 ms over
    20,000; building the index takes about 0.25 s and 3 s respectively (see ``bench/search_index.py``).
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from . import synonyms as _synonyms

__all__ = ["Document", "Hit", "SearchIndex", "normalize"]

# --- tuning -------------------------------------------------------------------------------------------------

# BM25 saturation and length normalisation per field, field weights, then the name multipliers.
K1 = 1.2
B_TITLE = 0.3
B_KEYWORDS = 0.5
B_ALL = 0.75
W_TITLE = 4.0
W_KEYWORDS = 1.5
W_ALL = 1.0
W_PHRASE = 1.0
W_COVERAGE = 1.0
# Weight of a match through a correction (by edit distance), a Telex decoding, a split or a synonym.
TYPO_FACTOR = {1: 0.7, 2: 0.5}
TELEX_FACTOR = 0.9
SPLIT_FACTOR = 0.9
SYNONYM_FACTOR = 1.0
FALLBACK_FACTOR = 0.5
CODE_EXACT_SCORE = 1_000_000.0
CODE_PREFIX_SCORE = 500_000.0

# Bounds on the work per query.
MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 12
MAX_TOKEN_CHARS = 40
MAX_TYPO_TOKEN_CHARS = 20
MAX_TYPO_CANDIDATES = 3
MAX_READINGS = 8
PRUNE_KEEP_FACTOR = 3
PRUNE_MIN_KEEP = 1000

# --- text folding -------------------------------------------------------------------------------------------

# Letters without a Unicode decomposition that people use as (or in place of) Latin letters.
_SPECIAL_LETTERS = {"đ": "d", "ð": "d", "ɖ": "d", "ɗ": "d", "ø": "o", "ł": "l", "ħ": "h", "ŧ": "t", "ı": "i"}
_COMBINING_RE = re.compile("[\u0300-\u036f]+")
# Anything but printable ASCII and ordinary whitespace goes through _fold_char.
_UNUSUAL_RE = re.compile(r"[^\x20-\x7e\t\n\r]")
_TOKEN_RE = re.compile(r"[^\W_]+")
# Splitting ASCII text: every ASCII character but a letter or digit becomes a space, then str.split().
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
_CODE_RE = re.compile(r"(?<![0-9.])[0-9]{1,2}\.[0-9]{3,7}(?![0-9])")
_CODE_QUERY_RE = re.compile(r"(?<![0-9.])[0-9]{1,2}\.[0-9]{0,7}(?![0-9])")
_DROP_CATEGORIES = frozenset({"Mn", "Me", "Cf", "Cs", "Co", "Cn"})
_ACCENT_KEY_TABLE = str.maketrans({"y": "i", "ý": "í", "ỳ": "ì", "ỷ": "ỉ", "ỹ": "ĩ", "ỵ": "ị"})

# A syllable whose final "y" directly follows its initial consonant(s) is also spelt with "i":
# "ky" -> "ki", "ly" -> "li", "quy" -> "qui", "sy" -> "si". Applied to whole tokens.
_ONSETS = (
    "b",
    "c",
    "ch",
    "d",
    "g",
    "gh",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "p",
    "ph",
    "qu",
    "r",
    "s",
)
_Y_FOLD = {onset + "y": onset + "i" for onset in (*_ONSETS, "t", "th", "tr", "v", "x")}

# For indexing only: punctuation that Vietnamese text commonly contains becomes a space and invisible
# format characters disappear, so that most documents take the fast path in _index_tokens.
_INDEX_SPACES = (
    "\u2013",
    "\u2014",
    "\u2018",
    "\u2019",
    "\u201c",
    "\u201d",
    "\u2022",
    "\u2026",
    "\u25cf",
    "\u00ab",
    "\u00bb",
    "\u00b0",
    "\u00a7",
    "\uf0fc",
    "\uf0b7",
    "\uf02d",
)
_INDEX_DROPS = ("\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad")
# UTF-8 bytes: ASCII and continuation bytes (deleted to find the lead bytes of non-ASCII characters).
_ASCII_AND_CONTINUATION = bytes(range(0xC0))
_HIGH_BYTES = bytes(range(0x80, 0x100))
# ASCII bytes: upper case to lower case, anything but a letter or digit to a space.
_ASCII_BYTE_FOLD = bytes(
    ord(chr(c).lower()) if chr(c).isalnum() else 0x20 if c < 0x80 else c for c in range(0x100)
)


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    special = _SPECIAL_LETTERS.get(ch)
    if special is not None:
        return special
    category = unicodedata.category(ch)
    if category in _DROP_CATEGORIES:
        return ""
    if category == "Cc" or category[0] == "Z":
        return " "
    return ch


def _fold_match(match: re.Match[str]) -> str:
    return _fold_char(match.group())


def normalize(text: str) -> str:
    """Fold ``text`` for matching: lowercase, no diacritics ("đ" -> "d"), no control characters.

    Compatibility forms are unified (NFKD: full-width digits, ligatures), combining marks, format characters
    (zero-width spaces, soft hyphens), lone surrogates and unassigned code points are dropped, control
    characters and NUL become spaces, and whitespace runs collapse to one space. Punctuation is kept; the
    tokenizer splits on it. Never raises; anything that is not a string is converted with ``str`` (``None``
    gives ``""``).
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not text:
        return ""
    folded = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text).casefold())
    if _UNUSUAL_RE.search(folded) is not None:
        folded = _UNUSUAL_RE.sub(_fold_match, folded)
        if not folded.isascii():
            folded = unicodedata.normalize("NFC", folded)
    return " ".join(folded.split())


def _tokens(folded: str) -> list[str]:
    """Tokens of a string returned by :func:`normalize`, with the "y"/"i" spelling variant folded."""
    if not folded:
        return []
    found = folded.translate(_ASCII_SEPARATORS).split() if folded.isascii() else _TOKEN_RE.findall(folded)
    fold = _Y_FOLD.get
    return [fold(tok, tok) for tok in found]


def _index_tokens(text: str) -> tuple[set[str], int]:
    """The distinct tokens of ``_tokens(normalize(text))`` and their count with repeats, faster.

    Used to build the index from long body text. Decomposed Vietnamese text is ASCII apart from combining
    marks (U+0300-U+033F, UTF-8 lead byte 0xCC), "đ" and a little punctuation; after replacing those, one
    ``bytes.translate`` drops the marks, lowercases and turns separators into spaces. Text with any other
    non-ASCII character takes the exact path.
    """
    if not text:
        return set(), 0
    folded = unicodedata.normalize("NFKD", text)
    if not folded.isascii():
        folded = folded.replace("đ", "d").replace("Đ", "d")
        for ch in _INDEX_SPACES:
            if ch in folded:
                folded = folded.replace(ch, " ")
        for ch in _INDEX_DROPS:
            if ch in folded:
                folded = folded.replace(ch, "")
    raw = folded.encode("utf-8", "surrogatepass")
    if raw.translate(None, _ASCII_AND_CONTINUATION).translate(None, b"\xcc"):
        tokens = _tokens(normalize(text))
        return set(tokens), len(tokens)
    found = raw.translate(_ASCII_BYTE_FOLD, _HIGH_BYTES).decode("ascii").split()
    distinct = set(found)
    spelt_y = distinct & _Y_FOLD.keys()
    if spelt_y:
        distinct -= spelt_y
        distinct.update(_Y_FOLD[tok] for tok in spelt_y)
    return distinct, len(found)


def _accent_key(piece: str) -> str:
    return piece.translate(_ACCENT_KEY_TABLE)


def _telex_decode(token: str) -> str:
    """Undo Telex/VNI typed without an input method: "ddawngf" -> "dang", "d9a8ng" -> "dang"."""
    if any(c.isdigit() for c in token):
        letters = "".join(c for c in token if not c.isdigit())
        return _Y_FOLD.get(letters, letters) if letters.isalpha() else token
    if len(token) >= 3 and token[-1] in "sfrxj":
        token = token[:-1]
    for old, new in (("dd", "d"), ("aa", "a"), ("aw", "a"), ("ee", "e"), ("oo", "o"), ("ow", "o")):
        token = token.replace(old, new)
    token = token.replace("uw", "u").replace("w", "u")
    return _Y_FOLD.get(token, token)


# Name boilerplate that does not make a name longer for the coverage computation.
_BOILERPLATE_RE = re.compile(
    r"^\s*thu tuc\b|\(\s*thuc hien (?:tai|o) [^)]*\)|\(\s*cap (?:xa|tinh|huyen)\s*\)"
)


# --- Damerau-Levenshtein and symmetric delete ---------------------------------------------------------------


def _deletes(word: str, depth: int) -> set[str]:
    result = {word}
    frontier = {word}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        result |= nxt
        frontier = nxt
    return result


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (adjacent transpositions count 1); ``limit + 1`` if larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        row_min = i
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            if v < row_min:
                row_min = v
        if row_min > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[len(b)], limit + 1)


# --- public data types --------------------------------------------------------------------------------------


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


# --- query representation -----------------------------------------------------------------------------------
# option   = (factor, title weights, keyword weights, documents containing the token,
#             all-text IDF * factor * W_ALL, token, title IDF)
# position = tuple of options (a token and its typo corrections); satisfied if any option is
# alternative = tuple of positions, all required
# clause   = (required, tuple of alternatives); satisfied if any alternative is

_EMPTY_WEIGHTS: dict[int, float] = {}


def _compile_phrases(mapping: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[tuple, tuple, list]]]:
    """Index phrase keys by their first folded token, longest first."""
    table: dict[str, list[tuple[tuple, tuple, list]]] = defaultdict(list)
    for key, values in mapping.items():
        pieces = _query_pieces(key)
        if not pieces:
            continue
        folded = tuple(p[0] for p in pieces)
        accents = tuple(p[1] for p in pieces)
        official = [tuple(_tokens(normalize(v))) for v in values]
        table[folded[0]].append((folded, accents, [o for o in official if o]))
    for entries in table.values():
        entries.sort(key=lambda e: -len(e[0]))
    return dict(table)


def _query_pieces(text: str) -> list[tuple[str, str | None]]:
    """(folded token, accent key or None when typed without diacritics) for each token of ``text``."""
    accented = unicodedata.normalize("NFC", text).casefold()
    out: list[tuple[str, str | None]] = []
    for piece in _TOKEN_RE.findall(accented):
        folded = _tokens(normalize(piece))
        if len(folded) == 1:
            out.append((folded[0], None if piece.isascii() else _accent_key(piece)))
        else:
            out.extend((f, None) for f in folded)
    return out


_SYNONYM_TABLE = _compile_phrases(_synonyms.SYNONYMS)
_FILLER_TABLE = _compile_phrases(dict.fromkeys(_synonyms.FILLER_WORDS, ()))


def _match_phrase(table, pieces, start):
    """Longest phrase of ``table`` starting at ``pieces[start]``.

    Diacritics the user typed must agree with the phrase's for at least half of its words, so "sơ đồ"
    (diagram) is not taken for "sổ đỏ" while "giay phép xay dưng" (one wrong tone) still counts.
    """
    for folded, accents, official in table.get(pieces[start][0], ()):
        end = start + len(folded)
        if end > len(pieces):
            continue
        mismatches = 0
        for (tok, acc), key_tok, key_acc in zip(pieces[start:end], folded, accents, strict=True):
            if tok != key_tok:
                break
            if acc is not None and key_acc is not None and acc != key_acc:
                mismatches += 1
        else:
            if 2 * mismatches <= len(folded):
                return len(folded), official
    return None


# --- the index ----------------------------------------------------------------------------------------------


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
            title = _tokens(title_norm)
            keywords_norm = normalize(doc.keywords)
            keywords = _tokens(keywords_norm)
            body, body_len = _index_tokens(doc.body)
            for code in _CODE_RE.findall(keywords_norm):
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
            title_core.append(frozenset(_tokens(_BOILERPLATE_RE.sub(" ", title_norm))))

        n = len(ids)
        self._ids = ids
        self._codes = sorted(codes)
        self._tbig = {pair: tuple(docs) for pair, docs in bigrams.items()}
        self._any = dict(any_docs)

        def idf(df: int) -> float:
            return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

        def field_weights(tf_map, lengths, weight, b):
            avg = (sum(lengths) / n) if n else 1.0
            avg = avg or 1.0
            norms = [K1 * (1.0 - b + b * length / avg) for length in lengths]
            weights: dict[str, dict[int, float]] = {}
            idfs: dict[str, float] = {}
            for tok, postings in tf_map.items():
                w_idf = idf(len(postings))
                idfs[tok] = w_idf
                scale = weight * w_idf * (K1 + 1.0)
                weights[tok] = {d: scale * tf / (tf + norms[d]) for d, tf in postings.items()}
            return weights, idfs

        self._tw, self._tidf = field_weights(title_tf, title_len, W_TITLE, B_TITLE)
        self._kw, _ = field_weights(kw_tf, kw_len, W_KEYWORDS, B_KEYWORDS)
        self._aidf = {tok: idf(len(docs)) for tok, docs in any_docs.items()}
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
                for variant in _deletes(tok, 1 if len(tok) < 6 else 2):
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
            self._tw.get(token, _EMPTY_WEIGHTS),
            self._kw.get(token, _EMPTY_WEIGHTS),
            docs,
            W_ALL * self._aidf[token] * factor,
            token,
            self._tidf.get(token, 0.0),
        )

    def _typo_candidates(self, token: str) -> list[tuple[str, int]]:
        if len(token) < 4 or len(token) > MAX_TYPO_TOKEN_CHARS or not token.isalpha():
            return []
        limit = 1 if len(token) < 8 else 2
        found: dict[str, int] = {}
        for variant in _deletes(token, limit):
            for cand in self._deletes.get(variant, ()):
                if cand == token or cand in found:
                    continue
                dist = _edit_distance(token, cand, limit)
                if dist <= limit:
                    found[cand] = dist
        ranked = sorted(found.items(), key=lambda kv: (kv[1], -len(self._tk[kv[0]]), kv[0]))
        return ranked[:MAX_TYPO_CANDIDATES]

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
            decoded = _telex_decode(token)
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
            syn = _match_phrase(_SYNONYM_TABLE, canonical, i)
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
            filler = _match_phrase(_FILLER_TABLE, canonical, i)
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
        if len(token) < 4 or len(token) > MAX_TYPO_TOKEN_CHARS or not token.isalpha():
            return None
        best = None
        best_df = 0
        for cut in range(2, len(token) - 1):
            left = _Y_FOLD.get(token[:cut], token[:cut])
            right = _Y_FOLD.get(token[cut:], token[cut:])
            left_docs = self._tk.get(left)
            right_docs = self._tk.get(right)
            if left_docs and right_docs:
                df = min(len(left_docs), len(right_docs))
                if df > best_df:
                    best, best_df = (left, right), df
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
        code_queries = _CODE_QUERY_RE.findall(folded)
        if code_queries:
            for d, score in self._code_hits(code_queries, limit):
                hits.append(Hit(self._ids[d], score))
                seen.add(d)
            raw = _CODE_QUERY_RE.sub(" ", unicodedata.normalize("NFKC", raw))

        pieces = [(tok[:MAX_TOKEN_CHARS], acc) for tok, acc in _query_pieces(raw)][:MAX_QUERY_TOKENS]
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

        clause_docs = [self._clause_docs(alts) for alts in required]
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
            in_title = self._prune(in_title, options, keep)

        scores = self._score(in_title, all_alts)
        scores.update(self._score(picked, all_alts))
        self._apply_title_bonuses(scores, in_title, clauses, options)
        if scale is not None:
            for d in scores:
                scores[d] *= scale
        if len(scores) > 4 * limit:
            ranked = heapq.nlargest(limit, scores.items(), key=lambda kv: (kv[1], -kv[0]))
        else:
            ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(d, round(s, 6)) for d, s in ranked if s > 0.0]

    @staticmethod
    def _prune(in_title: set[int], options, keep: int) -> set[int]:
        """The ``keep`` documents with the highest name-and-keyword weight summed over all query tokens.

        For very broad queries (thousands of documents match in the name) only these are scored exactly. The
        sum over every token of every alternative bounds the exact name-and-keyword score from above, and
        the exact score and its multipliers grow with it, so documents cut here would rank far down anyway.
        """
        bound: dict[int, float] = {}
        get = bound.get
        done: set[str] = set()
        for opt in options:
            if opt[5] in done:
                continue
            done.add(opt[5])
            for weights in (opt[1], opt[2]):
                if weights:
                    for d in in_title.intersection(weights):
                        bound[d] = get(d, 0.0) + weights[d]
        return set(heapq.nlargest(keep, bound, key=bound.__getitem__))

    @staticmethod
    def _clause_docs(alts) -> set[int]:
        alt_sets = []
        for alt in alts:
            pos_sets = []
            for pos in alt:
                if len(pos) == 1:
                    pos_sets.append(pos[0][3])
                else:
                    pos_sets.append(set().union(*(opt[3] for opt in pos)))
            pos_sets.sort(key=len)
            docs = pos_sets[0]
            for other in pos_sets[1:]:
                docs = docs & other
            alt_sets.append(docs)
        if not alt_sets:
            return set()
        if len(alt_sets) == 1:
            return alt_sets[0]
        return set().union(*alt_sets)

    def _score(self, docs, all_alts) -> dict[int, float]:
        bn = self._bn
        out: dict[int, float] = {}
        for d in docs:
            b = bn[d]
            total = 0.0
            for alts in all_alts:
                best = 0.0
                for alt in alts:
                    s = 0.0
                    for pos in alt:
                        pb = 0.0
                        for f, tw, kw, present, body_w, _tok, _tidf in pos:
                            if d in present:
                                v = f * (tw.get(d, 0.0) + kw.get(d, 0.0)) + body_w * b
                                if v > pb:
                                    pb = v
                        if pb == 0.0:
                            s = 0.0
                            break
                        s += pb
                    if s > best:
                        best = s
                total += best
            out[d] = total
        return out

    def _apply_title_bonuses(self, scores, in_title, clauses, options) -> None:
        """Multiply the scores of documents matching in the name by the coverage and phrase factors."""
        if not in_title:
            return
        # Phrase: the share (IDF-weighted) of adjacent query token pairs that are adjacent in the name, for
        # the best reading of the query (words as typed, or with a synonym replaced by its official phrase).
        phrase: dict[int, float] = defaultdict(float)
        for pairs in self._phrase_pairs(clauses):
            total = sum(weight for _keys, weight in pairs)
            matched: dict[int, float] = defaultdict(float)
            for keys, weight in pairs:
                docs: set[int] = set()
                for key in keys:
                    found = self._tbig.get(key)
                    if found:
                        docs |= in_title.intersection(found)
                for d in docs:
                    matched[d] += weight
            for d, value in matched.items():
                share = value / total
                if share > phrase[d]:
                    phrase[d] = share
        # Coverage: the share (IDF-weighted) of the name's words that the query contains.
        covered: dict[int, float] = defaultdict(float)
        best_factor: dict[str, tuple[float, float, dict]] = {}
        for f, tw, _kw, _present, _bw, tok, tidf in options:
            if tw and (tok not in best_factor or best_factor[tok][0] < f):
                best_factor[tok] = (f, tidf, tw)
        for f, tidf, tw in best_factor.values():
            if len(tw) > len(in_title):
                matched_docs = [d for d in in_title if d in tw]
            else:
                matched_docs = [d for d in tw if d in in_title]
            for d in matched_docs:
                covered[d] += f * tidf
        tmass = self._tmass
        for d in in_title:
            mass = tmass[d]
            coverage = min(1.0, covered.get(d, 0.0) / mass) if mass > 0 else 0.0
            share = phrase.get(d, 0.0)
            scores[d] *= (1.0 + W_COVERAGE * coverage * coverage) * (1.0 + W_PHRASE * share * share)

    @staticmethod
    def _phrase_pairs(clauses) -> list[list[tuple[list[str], float]]]:
        """Adjacent token pairs for each reading of the query (required words only; at most 8 readings).

        A reading picks one alternative per clause and concatenates them. Each pair is given as the bigram
        keys of its options (typo corrections included) and a weight: the mean title IDF of the two tokens.
        """
        readings: list[list[tuple]] = [[]]
        for required, alts in clauses:
            if not required or not alts:
                continue
            readings = [reading + list(alt) for reading in readings for alt in alts][:MAX_READINGS]
        out = []
        for positions in readings:
            pairs = []
            for left, right in zip(positions, positions[1:], strict=False):
                keys = [a[5] + " " + b[5] for a in left[:3] for b in right[:3]]
                weight = 0.5 * (left[0][6] + right[0][6])
                if weight > 0:
                    pairs.append((keys, weight))
            if pairs:
                out.append(pairs)
        return out
