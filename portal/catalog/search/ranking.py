"""How matches are weighed: BM25-style field weights computed when the index is built, and the score of each
candidate for a parsed query with the name's phrase and coverage multipliers (the package docstring explains
the formulas)."""

import heapq
import math
from collections import defaultdict

# Readings of the query tried for the phrase multiplier; broad name matches cut to the best
# max(PRUNE_KEEP_FACTOR * limit, PRUNE_MIN_KEEP) before exact scoring.
MAX_READINGS = 8
PRUNE_KEEP_FACTOR = 3
PRUNE_MIN_KEEP = 1000

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


def idf(df: int, n: int) -> float:
    """Inverse document frequency of a token found in ``df`` of ``n`` documents."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def field_weights(tf_map, lengths: list[int], weight: float, b: float):
    """(token -> document -> weight, token -> IDF) for one field: BM25 with saturation ``K1`` and length
    normalisation ``b``, scaled by the field's ``weight``."""
    n = len(lengths)
    avg = (sum(lengths) / n) if n else 1.0
    avg = avg or 1.0
    norms = [K1 * (1.0 - b + b * length / avg) for length in lengths]
    weights: dict[str, dict[int, float]] = {}
    idfs: dict[str, float] = {}
    for tok, postings in tf_map.items():
        w_idf = idf(len(postings), n)
        idfs[tok] = w_idf
        scale = weight * w_idf * (K1 + 1.0)
        weights[tok] = {d: scale * tf / (tf + norms[d]) for d, tf in postings.items()}
    return weights, idfs


def prune(in_title: set[int], options, keep: int) -> set[int]:
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


def documents_of_clause(alts) -> set[int]:
    """Documents satisfying a clause: any of its alternatives, each needing all of its positions."""
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


def score_documents(docs, all_alts, bn: list[float]) -> dict[int, float]:
    """Each document's score: per clause, the best alternative's summed field weights (``bn``: the documents'
    all-text length normalisation)."""
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


def apply_title_bonuses(scores, in_title, clauses, options, bigrams: dict, tmass: list[float]) -> None:
    """Multiply the scores of documents matching in the name by the coverage and phrase factors."""
    if not in_title:
        return
    # Phrase: the share (IDF-weighted) of adjacent query token pairs that are adjacent in the name, for
    # the best reading of the query (words as typed, or with a synonym replaced by its official phrase).
    phrase: dict[int, float] = defaultdict(float)
    for pairs in phrase_pairs(clauses):
        total = sum(weight for _keys, weight in pairs)
        matched: dict[int, float] = defaultdict(float)
        for keys, weight in pairs:
            docs: set[int] = set()
            for key in keys:
                found = bigrams.get(key)
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
    for d in in_title:
        mass = tmass[d]
        coverage = min(1.0, covered.get(d, 0.0) / mass) if mass > 0 else 0.0
        share = phrase.get(d, 0.0)
        scores[d] *= (1.0 + W_COVERAGE * coverage * coverage) * (1.0 + W_PHRASE * share * share)


def phrase_pairs(clauses) -> list[list[tuple[list[str], float]]]:
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
