"""Text folding: what a procedure's text and a query are matched on (the package docstring explains the rules).

``normalize`` folds case, diacritics ("đ" -> "d"), compatibility forms and control characters; ``tokens`` splits a
folded string into letter-and-digit runs and folds the "y"/"i" spelling variant; ``index_tokens`` does both for
long body text, faster.
"""

import re
import unicodedata
from functools import lru_cache

# Letters without a Unicode decomposition that people use as (or in place of) Latin letters.
_SPECIAL_LETTERS = {"đ": "d", "ð": "d", "ɖ": "d", "ɗ": "d", "ø": "o", "ł": "l", "ħ": "h", "ŧ": "t", "ı": "i"}
_COMBINING_RE = re.compile("[\u0300-\u036f]+")
# Anything but printable ASCII and ordinary whitespace goes through _fold_char.
_UNUSUAL_RE = re.compile(r"[^\x20-\x7e\t\n\r]")
TOKEN_RE = re.compile(r"[^\W_]+")
# Splitting ASCII text: every ASCII character but a letter or digit becomes a space, then str.split().
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
CODE_RE = re.compile(r"(?<![0-9.])[0-9]{1,2}\.[0-9]{3,7}(?![0-9])")
CODE_QUERY_RE = re.compile(r"(?<![0-9.])[0-9]{1,2}\.[0-9]{0,7}(?![0-9])")
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
Y_FOLD = {onset + "y": onset + "i" for onset in (*_ONSETS, "t", "th", "tr", "v", "x")}

# For indexing only: punctuation that Vietnamese text commonly contains becomes a space and invisible
# format characters disappear, so that most documents take the fast path in index_tokens.
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


def tokens(folded: str) -> list[str]:
    """Tokens of a string returned by :func:`normalize`, with the "y"/"i" spelling variant folded."""
    if not folded:
        return []
    found = folded.translate(_ASCII_SEPARATORS).split() if folded.isascii() else TOKEN_RE.findall(folded)
    fold = Y_FOLD.get
    return [fold(tok, tok) for tok in found]


def index_tokens(text: str) -> tuple[set[str], int]:
    """The distinct tokens of ``tokens(normalize(text))`` and their count with repeats, faster.

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
        found = tokens(normalize(text))
        return set(found), len(found)
    found = raw.translate(_ASCII_BYTE_FOLD, _HIGH_BYTES).decode("ascii").split()
    distinct = set(found)
    spelt_y = distinct & Y_FOLD.keys()
    if spelt_y:
        distinct -= spelt_y
        distinct.update(Y_FOLD[tok] for tok in spelt_y)
    return distinct, len(found)


def accent_key(piece: str) -> str:
    return piece.translate(_ACCENT_KEY_TABLE)


# Name boilerplate that does not make a name longer for the coverage computation.
BOILERPLATE_RE = re.compile(r"^\s*thu tuc\b|\(\s*thuc hien (?:tai|o) [^)]*\)|\(\s*cap (?:xa|tinh|huyen)\s*\)")
