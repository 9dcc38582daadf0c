"""Typing mistakes a query is forgiven: edits of a word (Damerau-Levenshtein through a symmetric-delete table),
Telex/VNI leftovers of typing without an input method, and two words run together."""

from portal.catalog.search.folding import Y_FOLD

# Tokens longer than this are not corrected; at most this many corrections per token.
MAX_TYPO_TOKEN_CHARS = 20
MAX_TYPO_CANDIDATES = 3


def telex_decode(token: str) -> str:
    """Undo Telex/VNI typed without an input method: "ddawngf" -> "dang", "d9a8ng" -> "dang"."""
    if any(c.isdigit() for c in token):
        letters = "".join(c for c in token if not c.isdigit())
        return Y_FOLD.get(letters, letters) if letters.isalpha() else token
    if len(token) >= 3 and token[-1] in "sfrxj":
        token = token[:-1]
    for old, new in (("dd", "d"), ("aa", "a"), ("aw", "a"), ("ee", "e"), ("oo", "o"), ("ow", "o")):
        token = token.replace(old, new)
    token = token.replace("uw", "u").replace("w", "u")
    return Y_FOLD.get(token, token)


def delete_variants(word: str, depth: int) -> set[str]:
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


def edit_distance(a: str, b: str, limit: int) -> int:
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


def typo_candidates(
    token: str, variants: dict[str, tuple[str, ...]], postings: dict
) -> list[tuple[str, int]]:
    """Known words within edit distance 1 of ``token`` (2 from 8 letters on), closest and most frequent first.

    ``variants`` maps each symmetric-delete variant to the vocabulary words it comes from; ``postings`` maps a
    vocabulary word to the documents that contain it (its length breaks ties).
    """
    if len(token) < 4 or len(token) > MAX_TYPO_TOKEN_CHARS or not token.isalpha():
        return []
    limit = 1 if len(token) < 8 else 2
    found: dict[str, int] = {}
    for variant in delete_variants(token, limit):
        for cand in variants.get(variant, ()):
            if cand == token or cand in found:
                continue
            dist = edit_distance(token, cand, limit)
            if dist <= limit:
                found[cand] = dist
    ranked = sorted(found.items(), key=lambda kv: (kv[1], -len(postings[kv[0]]), kv[0]))
    return ranked[:MAX_TYPO_CANDIDATES]


def split_in_two(token: str, postings: dict) -> tuple[str, str] | None:
    """Two known words typed without the space between them ("khaisinh", "dangky"): the cut whose rarer half is
    the most frequent; None when no cut gives two known words."""
    if len(token) < 4 or len(token) > MAX_TYPO_TOKEN_CHARS or not token.isalpha():
        return None
    best = None
    best_df = 0
    for cut in range(2, len(token) - 1):
        left = Y_FOLD.get(token[:cut], token[:cut])
        right = Y_FOLD.get(token[cut:], token[cut:])
        left_docs = postings.get(left)
        right_docs = postings.get(right)
        if left_docs and right_docs:
            df = min(len(left_docs), len(right_docs))
            if df > best_df:
                best, best_df = (left, right), df
    return best
