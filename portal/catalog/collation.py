"""Vietnamese alphabetical order, as ICU's Vietnamese collation sorts, in pure Python (no ICU needed).

``sort_key(text)`` returns a short ASCII string made of ``0-9`` and ``a-z`` only. Comparing two keys as plain strings
orders the texts as a Vietnamese dictionary does, in Python (``sorted(names, key=sort_key)``) and in the database
alike: a key column orders the same under PostgreSQL's "C" collation, any glibc or ICU locale and SQLite, because
strings of lower-case ASCII letters and digits compare character by character everywhere.

The order has three levels, the next one deciding only when the previous ones tie (as ICU does):

1. letters: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f, j, w, z in their Latin places); spaces
   before punctuation, punctuation before digits, digits before letters ("Bảo hiểm" before "Biển": a < i);
2. tones: none, huyền, hỏi, ngã, sắc, nặng (a à ả ã á ạ);
3. case: lower case before upper case.

Text is compared as written, decomposed or not (the marks are read from its NFD form). Digits compare one by one, as
ICU does by default ("10" before "9").
"""

import functools
import unicodedata

LETTERS = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
# ICU's order for the common punctuation and symbols; anything else sorts after them, before the digits.
PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"

_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_SPACE = 1
_PUNCT = {ch: 2 + i for i, ch in enumerate(PUNCTUATION)}
_OTHER_SYMBOL = 2 + len(PUNCTUATION)
_DIGIT = 100  # + the digit's value
_LETTER = {letter: 200 + i for i, letter in enumerate(LETTERS)}
_OTHER_LETTER = 200 + len(
    LETTERS
)  # letters of other scripts: after z, in no particular order among themselves

# Marks that make another letter of the alphabet (ă â ê ô ơ ư), and the tones in dictionary order.
_LETTER_MARKS = {
    "\u0306": {"a": "ă"},  # breve
    "\u0302": {"a": "â", "e": "ê", "o": "ô"},  # circumflex
    "\u031b": {"o": "ơ", "u": "ư"},  # horn
}
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
# Đ may be typed as the look-alike Icelandic eth (Ð, U+00D0); it is read as Đ.
_LOOKALIKES = {"ð": "đ"}
_LEVEL_SEPARATOR = "00"  # below every encoded weight: a text sorts before the texts it is the beginning of


def _weight(base: str) -> int:
    if base in _LETTER:
        return _LETTER[base]
    if base.isspace() or unicodedata.category(base).startswith(("Z", "C")):
        return _SPACE
    if base in _PUNCT:
        return _PUNCT[base]
    if base.isdigit():
        return _DIGIT + unicodedata.digit(base, 0)
    if base.isalpha():
        return _OTHER_LETTER
    return _OTHER_SYMBOL


def _encode(weight: int) -> str:
    return _DIGITS36[weight // 36] + _DIGITS36[weight % 36]


def collation_elements(text: str) -> list[tuple[int, int, int]]:
    """(letter weight, tone, upper case) for each character of ``text``, combining marks folded into their letter."""
    elements: list[list] = []  # [base letter, tone, upper]
    for ch in unicodedata.normalize("NFD", text or ""):
        if unicodedata.combining(ch):
            if not elements:
                continue  # a mark with nothing to sit on
            element = elements[-1]
            if ch in TONES:
                element[1] = TONES[ch]
            elif ch in _LETTER_MARKS:
                element[0] = _LETTER_MARKS[ch].get(element[0], element[0])
            continue  # other marks (ü, ç…) leave the letter as it is
        lower = ch.lower()[:1] or ch
        elements.append([_LOOKALIKES.get(lower, lower), 0, int(lower != ch)])
    return [(_weight(base), tone, upper) for base, tone, upper in elements]


def sort_key(text: str, limit: int | None = None) -> str:
    """The key that puts ``text`` in Vietnamese alphabetical order; ``limit`` cuts it to a column's length.

    A cut key still orders by the beginning of the text (texts that tie then need another column to decide).
    """
    key = _key(text or "")
    return key[:limit] if limit else key


_MISSING = object()
_CHARACTERS: dict[
    str, tuple[str, str, str] | None
] = {}  # a character → its parts of the key, None: not alone
_CHARACTERS_KEPT = 4096


def _character(ch: str) -> tuple[str, str, str] | None:
    """The three parts of the key for one character of NFC text, remembered; None for a combining mark or a
    character that is more than one letter (those texts take the long way)."""
    parts = _CHARACTERS.get(ch, _MISSING)
    if parts is _MISSING:
        elements = [] if unicodedata.combining(ch) else collation_elements(ch)
        parts = (
            (_encode(elements[0][0]), str(elements[0][1]), str(elements[0][2]))
            if len(elements) == 1
            else None
        )
        if len(_CHARACTERS) < _CHARACTERS_KEPT:
            _CHARACTERS[ch] = parts
    return parts


@functools.lru_cache(maxsize=2048)
def _key(text: str) -> str:
    """``sort_key`` in full. Names come back often (agencies, fields): they are remembered. Composed characters are
    looked up one by one; a text with a mark NFC leaves loose is read mark by mark (``collation_elements``)."""
    parts = [_character(ch) for ch in unicodedata.normalize("NFC", text)]
    if None in parts:
        elements = collation_elements(text)
        parts = [(_encode(weight), str(tone), str(upper)) for weight, tone, upper in elements]
    return (
        "".join(part[0] for part in parts)
        + _LEVEL_SEPARATOR
        + "".join(part[1] for part in parts)
        + "".join(part[2] for part in parts)
    )


def sorted_vi(items, key=lambda item: item):
    """``items`` as a list in Vietnamese alphabetical order of ``key(item)`` (a text)."""
    return sorted(items, key=lambda item: sort_key(key(item)))
