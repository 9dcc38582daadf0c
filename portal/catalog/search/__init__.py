"""Full-text search over the procedure catalogue, tuned for Vietnamese, in pure Python.

The Django layer builds a :class:`SearchIndex` from database rows (one :class:`Document` per procedure), keeps
it per process and rebuilds it when the catalogue changes; this package knows nothing about Django. The index
is immutable once built, so one instance can serve concurrent threads.

Modules: ``folding`` (text to folded tokens), ``typos`` (corrections, Telex leftovers, words run together),
``query`` (a query's tokens, synonym and filler phrases, the bounds on a query), ``ranking`` (weights and scores)
and ``index`` (the index: build, parse, search).

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
    ``max(3 * limit, 1000)`` by an upper bound of their name-and-keyword score. Times are measured by
    ``bench/search_index.py`` (figures in ``bench/README.md``).
"""

from portal.catalog.search.folding import normalize
from portal.catalog.search.index import Document, Hit, SearchIndex

__all__ = ["Document", "Hit", "SearchIndex", "normalize"]
