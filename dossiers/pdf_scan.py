"""Finding active content in an uploaded PDF: JavaScript and launch actions, which officers' viewers would run.

A scanned paper or a document printed to PDF has neither; a PDF that has them is refused, not cleaned.

Detected, reading the file's tokens as a PDF reader does (comments and string literals are skipped, so words in a
document's text never count), in every revision of the file (incremental updates included):

- the names ``/JS``, ``/JavaScript`` and ``/Launch`` in any object, also written with ``#xx`` escapes
  (``/Java#53cript``). This covers a script as the open action (``/OpenAction`` pointing, directly or through a
  reference, at an action with ``/S /JavaScript``), as an additional action (``/AA`` of the document, a page, a field
  or an annotation), in the document's JavaScript name tree, in a link or a rendition, and every launch action;
- the same names inside compressed object streams (``/Type /ObjStm``, or any stream with ``/First``, as a reader that
  ignores ``/Type`` finds one), where PDF 1.5+ writers such as Word keep most dictionaries: they are inflated (Flate,
  at most ``MAX_INFLATED_BYTES`` in all) and read too;
- ``/JavaScript`` and ``/Launch`` (escapes included) in the raw bytes of every other stream, whose contents are
  otherwise skipped, so that a malformed file which a lenient reader repairs differently (taking for objects what
  this scan took for a stream's data) cannot hide an action there. Seven or more exact bytes do not occur by chance
  in image data.

Refused as unverifiable rather than guessed at: an object stream with another filter than Flate, a filter or
parameters given by reference, a predictor, data that does not inflate to its end (encrypted, broken, or cut short by
an ``endstream`` inside it) or past the inflated limit; and more than ``MAX_TOKENS`` tokens (a few seconds of work).

Not detected: scripts inside XFA form XML (``/XFA``), Flash and other rich media (``/RichMedia``), embedded files and
what they hold, other actions (``/URI``, ``/SubmitForm``, ``/GoToR``, ``/ImportData``: links and form posts, which
readers ask about before following), names inside the compressed data of ordinary streams (pages' content, images,
fonts: they hold no dictionaries a reader acts on). Encrypted PDFs without object streams are read as any other:
their names and dictionaries are not encrypted.
"""

import enum
import re
import zlib

MAX_INFLATED_BYTES = 64 * 1024 * 1024
# Tokens read outside ordinary streams (a scan has a few thousand, a long text document some hundred thousand): past
# this the file is unverifiable rather than a few seconds of a web worker's time.
MAX_TOKENS = 500_000

_ACTIVE = {b"JS": "script", b"JavaScript": "script", b"Launch": "launch"}
_FLATE = {b"FlateDecode", b"Fl"}
_OTHER_FILTERS = {
    b"ASCIIHexDecode",
    b"AHx",
    b"ASCII85Decode",
    b"A85",
    b"LZWDecode",
    b"LZW",
    b"RunLengthDecode",
    b"RL",
    b"CCITTFaxDecode",
    b"CCF",
    b"JBIG2Decode",
    b"DCTDecode",
    b"DCT",
    b"JPXDecode",
    b"Crypt",
}

_WHITE = rb"\x00\t\n\x0c\r "  # for the patterns
_WHITE_BYTES = b"\x00\t\n\x0c\r "
_DELIMITERS = rb"()<>\[\]{}/%"
_REGULAR = rb"[^" + _WHITE + _DELIMITERS + rb"]"
_TOKEN = re.compile(
    # White space and numbers, in one match however many (most of a file's tokens).
    rb"([" + _WHITE + rb"0-9.+-]+)"
    rb"|%[^\r\n]*"  # a comment, to the end of the line
    rb"|<<|>>|[\[\]{}]"
    rb"|<[^>]*>?"  # a hexadecimal string: readers take everything up to ">" (ignoring what is not hex)
    rb"|/" + _REGULAR + rb"*"  # a name
    rb"|\((?:[^()\\]|\\.)*\)"  # a literal string without parentheses inside
    rb"|\("  # a literal string with some: its end is found by _string_end
    rb"|" + _REGULAR + rb"+"  # a keyword
    rb"|.",  # a stray delimiter
    re.S,
)
_STRING_PART = re.compile(rb"[()\\]")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _written_as(name: str) -> bytes:
    """A pattern for ``/name`` as a PDF may write it: each character as itself or as ``#xx``."""
    return b"/" + b"".join(b"(?:%s|#(?i:%02x))" % (re.escape(c.encode()), ord(c)) for c in name)


_ACTIVE_IN_STREAM = re.compile(_written_as("JavaScript") + b"|" + _written_as("Launch"))


class Finding(enum.Enum):
    SCRIPT = "script"
    LAUNCH = "launch"
    UNVERIFIABLE = "unverifiable"


class _Unverifiable(Exception):
    pass


def pdf_active_content(data: bytes) -> Finding | None:
    """What makes the PDF ``data`` unsafe to open (see the module's docstring for what is looked at), or None."""
    try:
        found = _Scan().read(data, nested=False)
    except _Unverifiable:
        return Finding.UNVERIFIABLE
    return Finding(found) if found else None


class _Scan:
    def __init__(self):
        self.budget = MAX_INFLATED_BYTES
        self.tokens = MAX_TOKENS

    def read(self, data: bytes, *, nested: bool) -> str | None:
        names: set[bytes] = set()  # of the object being read, to recognise an object stream's dictionary
        depth, after_dictionary = 0, False
        position, end, match = 0, len(data), _TOKEN.match
        while position < end:
            token = match(data, position)
            position = token.end()
            if token.lastindex:  # white space and numbers
                if after_dictionary and token.group().strip(_WHITE_BYTES):
                    after_dictionary = False  # ">> 5 stream" is not a stream
                continue
            self.tokens -= 1
            if self.tokens < 0:
                raise _Unverifiable
            text = token.group()
            closes_dictionary = False
            if text == b"(":
                position = self._string_end(data, position)
            elif text[:1] == b"/":
                name = _NAME_ESCAPE.sub(_unescape, text[1:])
                if name in _ACTIVE:
                    return _ACTIVE[name]
                names.add(name)
            elif text == b"<<" or text == b"[":
                depth += 1
            elif text == b">>" or text == b"]":
                depth -= 1
                closes_dictionary = text == b">>"
            elif text == b"obj" or text == b"endobj":
                names.clear()
                depth = 0
            elif text == b"stream" and after_dictionary and depth == 0:
                found, position = self._stream(data, position, names, nested)
                if found:
                    return found
                names.clear()
            if text[:1] != b"%":
                after_dictionary = closes_dictionary
        return None

    def _string_end(self, data: bytes, position: int) -> int:
        """Where the literal string opened before ``position`` ends (balanced parentheses, backslash escapes)."""
        depth = 1
        while depth:
            part = _STRING_PART.search(data, position)
            if part is None:
                return len(data)
            self.tokens -= 1
            if self.tokens < 0:
                raise _Unverifiable
            position = part.end()
            if part.group() == b"\\":
                position += 1
            else:
                depth += 1 if part.group() == b"(" else -1
        return position

    def _stream(self, data: bytes, position: int, names: set[bytes], nested: bool) -> tuple[str | None, int]:
        """Read or skip the stream whose data starts after ``position``; what it holds and where it ends."""
        start = _stream_start(data, position)
        # Like a reader that does not trust /Length, the stream ends at the first "endstream": nothing after it
        # goes unread.
        stop = data.find(b"endstream", start)
        stop = len(data) if stop < 0 else stop
        after = stop + len(b"endstream")
        if (b"ObjStm" in names or b"First" in names) and not nested:
            return self.read(self._inflated(data[start:stop], names), nested=True), after
        found = _ACTIVE_IN_STREAM.search(data, start, stop)
        if found:
            return _ACTIVE[_NAME_ESCAPE.sub(_unescape, found.group()[1:])], after
        return None, after

    def _inflated(self, raw: bytes, names: set[bytes]) -> bytes:
        """An object stream's objects; _Unverifiable when they cannot be read as written."""
        filters = names & (_FLATE | _OTHER_FILTERS)
        if filters - _FLATE or b"DecodeParms" in names or (b"Filter" in names and not filters):
            raise _Unverifiable  # another filter, parameters (a predictor), or a filter given by reference
        if not filters:
            return raw
        inflater = zlib.decompressobj()
        try:
            objects = inflater.decompress(raw, self.budget + 1)
        except zlib.error:
            raise _Unverifiable from None
        if len(objects) > self.budget or not inflater.eof:
            raise _Unverifiable  # too much, or cut short (by an "endstream" inside the compressed bytes)
        self.budget -= len(objects)
        return objects


def _unescape(escape: re.Match) -> bytes:
    return bytes([int(escape.group(1), 16)])


def _stream_start(data: bytes, position: int) -> int:
    if data.startswith(b"\r\n", position):
        return position + 2
    if data.startswith((b"\n", b"\r"), position):
        return position + 1
    return position
