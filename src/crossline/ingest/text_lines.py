"""A delivered text file as lines of text, whatever its compression, encoding or line ends.

Forces and providers export from Excel, Windows tools and old Macs: UTF-8 with or without a
byte-order mark, UTF-16 with one, LF, CRLF or CR line ends, sometimes gzipped. The encoding
is told by the BOM alone (charset guessing is wrong often enough to corrupt names silently);
a file without one is UTF-8, and bytes that are not are kept per line (surrogateescape) so
that one bad row is quarantined instead of the file failing. The commonest form (UTF-8, LF
or CRLF) is read line by line by the io module; the others through an incremental decoder.
Lines handed back can be pushed back, so that a record that swallowed the lines after an
unclosed quote can be re-read from its second line.
"""

from __future__ import annotations

import codecs
import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_SNIFF_BYTES = 64 * 1024
_CHUNK = 1 << 20
_LINE_END_RE = re.compile(r"(?<=\r\n)|(?<=\n)|(?<=\r)(?!\n)")

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class TextForm:
    """How a file's bytes become text."""

    encoding: str  # utf-8, utf-16-le or utf-16-be
    bom: int  # bytes of byte-order mark to skip
    cr_only: bool  # old-Mac line ends: CR without LF
    gzipped: bool

    @property
    def plain(self) -> bool:
        """UTF-8 with LF or CRLF: the io module's own line splitting is exact."""
        return self.encoding == "utf-8" and not self.cr_only


def is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def open_binary(path: Path) -> BinaryIO:
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def sniff_form(path: Path) -> TextForm:
    """The encoding (by BOM) and line ends of a file, from its first 64 KiB."""
    with open_binary(path) as fh:
        head = fh.read(_SNIFF_BYTES)
    encoding, bom = "utf-8", 0
    for mark, enc in BOMS:
        if head.startswith(mark):
            encoding, bom = enc, len(mark)
            break
    text = head[bom:].decode(encoding, "replace")
    # The header's own line end is the file's: a bare CR first means old-Mac line ends.
    end = re.search(r"\r\n|\r|\n", text)
    cr_only = end is not None and end.group() == "\r" and end.end() < len(text)
    return TextForm(encoding=encoding, bom=bom, cr_only=cr_only, gzipped=is_gzip(path))


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class Lines:
    """Lines of text with their line ends, counted, with push-back.

    `bad` is set when a line held bytes that are not text in the file's encoding (they
    are surrogate-escaped); `number` is the physical number of the last line handed out;
    `position` the bytes of the file (compressed, when gzipped) read so far."""

    def __init__(self, fh: BinaryIO, raw: BinaryIO, form: TextForm) -> None:
        self._fh = fh
        self._raw = raw
        self._form = form
        self._back: list[str] = []  # pushed-back lines, last first
        self._source: Iterator[str] | None = None
        self.pending: list[str] = []
        self.bad = False
        self.exhausted = False
        self.number = 0

    @property
    def encoding_name(self) -> str:
        return "UTF-8" if self._form.encoding == "utf-8" else "UTF-16"

    @staticmethod
    def bad_line(text: str) -> bool:
        """Whether this text holds bytes that were not text in the file's encoding."""
        return _has_surrogates(text)

    @property
    def position(self) -> int:
        return int(self._raw.tell())

    def _plain(self) -> Iterator[str]:
        for b in self._fh:
            try:
                yield b.decode("utf-8")
            except UnicodeDecodeError:
                self.bad = True
                yield b.decode("utf-8", "surrogateescape")

    def _decoded(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self._form.encoding)("surrogateescape")
        carry = ""
        while True:
            chunk = self._fh.read(_CHUNK)
            text = carry + decoder.decode(chunk, final=not chunk)
            parts = _LINE_END_RE.split(text)
            # the last part may be a line still growing (or a CR whose LF is next)
            carry = parts.pop() if chunk else ""
            if chunk and carry == "" and parts and parts[-1].endswith("\r"):
                carry = parts.pop()
            for line in parts:
                if line:
                    if _has_surrogates(line):
                        self.bad = True
                    yield line
            if not chunk:
                if carry:
                    yield carry
                return

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        # A class, not a generator: a generator that has ended cannot hand out lines
        # pushed back after it (an unclosed quote that ran to the end of the file).
        if self._source is None:
            self._source = self._plain() if self._form.plain else self._decoded()
        if self._back:
            line = self._back.pop()
            if _has_surrogates(line):
                self.bad = True
        else:
            try:
                line = next(self._source)
            except StopIteration:
                self.exhausted = True  # a record still open here ran to the end of the file
                raise
        self.number += 1
        self.pending.append(line)
        return line

    def push_back(self, lines: list[str]) -> None:
        """Hand these lines out again, in order, before reading on."""
        self._back.extend(reversed(lines))
        self.number -= len(lines)

    def take(self) -> list[str]:
        """The lines of the record just parsed (and forget them)."""
        out = list(self.pending)
        self.pending.clear()
        return out


def joined(lines: list[str]) -> str:
    """A record's raw text: its lines without the final line break."""
    raw = lines[0] if len(lines) == 1 else "".join(lines)
    if raw.endswith("\r\n"):
        return raw[:-2]
    if raw.endswith(("\n", "\r")):
        return raw[:-1]
    return raw


def open_lines(path: Path) -> tuple[Lines, BinaryIO]:
    """The file's lines after its BOM; the caller closes the returned file."""
    form = sniff_form(path)
    raw = path.open("rb")
    fh: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if form.gzipped else raw  # type: ignore[assignment]
    fh.read(form.bom)
    return Lines(fh, raw, form), raw
