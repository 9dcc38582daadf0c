"""A query as the index reads it: its tokens with the accents typed, and the synonym and filler phrases in it.

Bounds on the work per query are here too: only the first ``MAX_QUERY_CHARS`` characters and ``MAX_QUERY_TOKENS``
tokens are used, each token cut to ``MAX_TOKEN_CHARS``.
"""

import unicodedata
from collections import defaultdict

from portal.catalog import synonyms as _synonyms
from portal.catalog.search.folding import TOKEN_RE, accent_key, normalize, tokens

MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 12
MAX_TOKEN_CHARS = 40

# --- query representation -----------------------------------------------------------------------------------
# option   = (factor, title weights, keyword weights, documents containing the token,
#             all-text IDF * factor * W_ALL, token, title IDF)
# position = tuple of options (a token and its typo corrections); satisfied if any option is
# alternative = tuple of positions, all required
# clause   = (required, tuple of alternatives); satisfied if any alternative is

EMPTY_WEIGHTS: dict[int, float] = {}


def compile_phrases(mapping: dict[str, tuple[str, ...]]) -> dict[str, list[tuple[tuple, tuple, list]]]:
    """Index phrase keys by their first folded token, longest first."""
    table: dict[str, list[tuple[tuple, tuple, list]]] = defaultdict(list)
    for key, values in mapping.items():
        pieces = query_pieces(key)
        if not pieces:
            continue
        folded = tuple(p[0] for p in pieces)
        accents = tuple(p[1] for p in pieces)
        official = [tuple(tokens(normalize(v))) for v in values]
        table[folded[0]].append((folded, accents, [o for o in official if o]))
    for entries in table.values():
        entries.sort(key=lambda e: -len(e[0]))
    return dict(table)


def query_pieces(text: str) -> list[tuple[str, str | None]]:
    """(folded token, accent key or None when typed without diacritics) for each token of ``text``."""
    accented = unicodedata.normalize("NFC", text).casefold()
    out: list[tuple[str, str | None]] = []
    for piece in TOKEN_RE.findall(accented):
        folded = tokens(normalize(piece))
        if len(folded) == 1:
            out.append((folded[0], None if piece.isascii() else accent_key(piece)))
        else:
            out.extend((f, None) for f in folded)
    return out


SYNONYM_TABLE = compile_phrases(_synonyms.SYNONYMS)
FILLER_TABLE = compile_phrases(dict.fromkeys(_synonyms.FILLER_WORDS, ()))


def match_phrase(table, pieces, start):
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
