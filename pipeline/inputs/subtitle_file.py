"""SubRip (.srt) and WebVTT (.vtt) subtitles: cue text is translated, everything else is kept.

Cue numbers and identifiers, timing lines (with WebVTT cue settings), the WEBVTT header and
NOTE / STYLE / REGION blocks, blank lines and speaker labels (`- `, `JOHN: ` at the start of
a line) are literal layout, byte for byte. The text of a speaker's turn is a paragraph; a
turn that does not end a sentence at the end of its cue runs on into the next cue's first
turn (when that has no speaker label), so a sentence spread over cues is one paragraph and
one msgid (up to MAX_RUN_CUES cues). The paragraph's source is the exact span of the file,
timing lines included; pipeline.outputs.subtitle_layout splits it again to lay the
translation back into the cues.

Styling tags (`<i>`, `<font ...>`, `<c.x>`, `<v Speaker>`, `<00:00:01.000>`) stay in the text
as inline markup: the paragraph kind "subtitle" segments and masks as HTML inline content.
A file whose timings cannot be read, or go backwards, is refused: rendering it would
publish a subtitle file no player reads as the source meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article, Paragraph
from pipeline.inputs.encoding import decode
from pipeline.inputs.ids import article_id

SUFFIXES = (".srt", ".vtt")
KIND = "subtitle"
# a feature film's subtitles are about 100 KB, a day of broadcast captions a few MB
MAX_BYTES = 16 * 1024 * 1024

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")
_NEWLINE = re.compile(r"\r\n|\n|\r")
_SRT_TIME = r"(\d{1,3}):(\d{2}):(\d{2})[,.](\d{1,3})"
_VTT_TIME = r"(?:(\d{1,3}):)?(\d{2}):(\d{2})\.(\d{3})"
SRT_TIMING = re.compile(rf"^[ \t]*{_SRT_TIME}[ \t]*-->[ \t]*{_SRT_TIME}(?:[ \t].*)?$")
VTT_TIMING = re.compile(rf"^[ \t]*{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t].*)?$")
# a speaker's turn: a dash (dialogue), an upper-case name and a colon, or both; SubRip position
# codes before them (`{\an8}`) are layout too
LABEL = re.compile(r"^(?:\{\\[^{}\n]*\}[ \t]*)*(?:[-‐–—][ \t]*)?(?:[A-Z][A-Z0-9 .'&-]{0,30}:[ \t]+)?(?=\S)")
_TAG = re.compile(r"<[^<>]*>")
_CODE = re.compile(r"\{\\[^{}\n]*\}")  # a SubRip position code, {\an8}
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z]\w*);")
_CLOSERS = "\"')]}»”’"
_FINAL = ".!?♪。！？"
# a run-on stops after this many cues or characters: live captions often have no punctuation,
# and one unbroken sentence over a whole programme would be one msgid too long for a model
MAX_RUN_CUES = 6
MAX_RUN_CHARS = 400
_POSITION = re.compile(r"^(?:\{\\[^{}\n]*\}[ \t]*)*")
_LOOKS_TIMED = re.compile(r"\d{1,3}:\d{2}[:.,]\d")  # a line meant as a timing line, badly written
_VTT_BLOCKS = re.compile(r"^(?:NOTE|STYLE|REGION)(?:[ \t]|$)")


def timing(line: str) -> tuple[int, int] | None:
    """(start, end) in milliseconds of a cue timing line, SubRip or WebVTT; None if it is not one."""
    match = SRT_TIMING.match(line) or VTT_TIMING.match(line)
    if not match:
        return None
    g = match.groups()
    return _ms(g[0:4]), _ms(g[4:8])


def _ms(parts: tuple[str | None, ...]) -> int:
    hours, minutes, seconds = (int(p) if p else 0 for p in parts[:3])
    if minutes > 59 or seconds > 59:
        raise ValueError("minutes or seconds over 59")
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + int(str(parts[3]).ljust(3, "0"))


def clock(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


@dataclass
class _Turn:
    cue: int
    label: bool
    spans: list[tuple[int, int]] = field(default_factory=list)  # text of each line, in the file

    def text(self, source: str) -> str:
        return " ".join(source[a:b] for a, b in self.spans)


def visible(text: str) -> str:
    """What a viewer reads: tags and position codes removed, entities as one character."""
    if "<" not in text and "{" not in text and "&" not in text:
        return text  # most words: called for every word of every cue
    return _ENTITY.sub("x", _TAG.sub("", _CODE.sub("", text)))


def ends_sentence(text: str, following: str) -> bool:
    """Whether a cue's last turn ends a sentence, so the next cue starts a new paragraph.
    A trailing ellipsis followed by lower case or another ellipsis runs on."""
    tail = visible(text).rstrip().rstrip(_CLOSERS)
    if tail.endswith(("...", "…")):
        nxt = visible(following).lstrip()
        return not (nxt[:1].islower() or nxt.startswith(("...", "…")))
    return tail[-1:] in _FINAL


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end of content, end with the newline) of each line."""
    return [(m.start(), m.start() + len(m.group().rstrip("\r\n")), m.end()) for m in _LINE.finditer(text)]


def _refuse(path: Path, line: int, problem: str) -> InputError:
    return InputError(f"{path}:{line}", problem)


def read_cues(path: Path, text: str, vtt: bool) -> list[_Turn]:
    """Every speaker's turn in every cue; raises InputError on a block that is not a cue."""
    lines = _lines(text)
    blocks: list[list[int]] = []
    for n, (a, b, _) in enumerate(lines):
        if text[a:b].strip():
            if blocks and blocks[-1][-1] == n - 1:
                blocks[-1].append(n)
            else:
                blocks.append([n])
    if vtt:
        first = text[lines[0][0] : lines[0][1]] if lines else ""
        if not re.match(r"^WEBVTT(?:[ \t]|$)", first) or not blocks or blocks[0][0] != 0:
            raise _refuse(path, 1, "not a WebVTT file: the first line must be WEBVTT; fix the header")
        blocks = blocks[1:]
    turns: list[_Turn] = []
    previous_start = -1
    for cue, block in enumerate(blocks):
        heads = [text[lines[n][0] : lines[n][1]] for n in block[:2]]
        if vtt and _VTT_BLOCKS.match(heads[0]) and not any("-->" in h for h in heads):
            continue
        at = next((i for i, h in enumerate(heads) if "-->" in h), None)
        if at is None:
            at = next((i for i, h in enumerate(heads) if _LOOKS_TIMED.search(h)), None)
        if at is None:
            expected = (
                "a cue: an optional identifier, then a timing line"
                if vtt
                else "a cue: a number, then a timing line"
            )
            raise _refuse(path, block[0] + 1, f"not {expected} (start --> end); fix or remove this block")
        line_no = block[at] + 1
        try:
            found = timing(heads[at]) if vtt is False or VTT_TIMING.match(heads[at]) else None
        except ValueError:
            found = None
        if found is None:
            form = "00:00:01.000 --> 00:00:02.000" if vtt else "00:00:01,000 --> 00:00:02,000"
            raise _refuse(path, line_no, f"broken cue timing {heads[at].strip()!r}; write it as {form}")
        start, end = found
        if end < start:
            raise _refuse(
                path, line_no, f"cue ends ({clock(end)}) before it starts ({clock(start)}); fix the timing"
            )
        if start < previous_start:
            raise _refuse(
                path,
                line_no,
                f"cue starts at {clock(start)}, before the cue above it; put the cues in time order",
            )
        previous_start = start
        for n in block[at + 1 :]:
            a, b, _ = lines[n]
            if "-->" in text[a:b]:
                raise _refuse(
                    path, n + 1, "a timing line inside cue text (a blank line missing above it?); fix it"
                )
            _add_line(turns, cue, text, a, b)
    return turns


def _add_line(turns: list[_Turn], cue: int, text: str, a: int, b: int) -> None:
    line = text[a:b]
    lead = len(line) - len(line.lstrip())
    found = LABEL.match(line[lead:])
    label = found.end() if found else 0
    speaker = bool(_POSITION.sub("", found.group())) if found else False
    start = a + lead + label
    end = a + len(line.rstrip())
    if label or not turns or turns[-1].cue != cue:
        turns.append(_Turn(cue, speaker))
    if end > start:
        turns[-1].spans.append((start, end))


def _paragraphs(turns: list[_Turn], text: str) -> list[list[_Turn]]:
    """Turns chained into paragraphs: a cue's last turn runs on into the next cue's first."""
    turns = [t for t in turns if t.spans]
    chains: list[list[_Turn]] = []
    for i, turn in enumerate(turns):
        if chains:
            last = chains[-1][-1]
            if (
                not turn.label
                and turn.cue == last.cue + 1
                and turns[i - 1] is last  # the next cue's first turn, after the cue's last
                and not ends_sentence(last.text(text), turn.text(text))
                and len(chains[-1]) < MAX_RUN_CUES
                and sum(len(t.text(text)) for t in chains[-1]) < MAX_RUN_CHARS
            ):
                chains[-1].append(turn)
                continue
        chains.append([turn])
    return chains


def flatten(source: str) -> list[list[tuple[int, int]]]:
    """A subtitle paragraph's source split again into its cues' text: per cue, the (start, end)
    of each text line in source. Text lines are never blank and never hold `-->`, so a blank
    line starts the run of lines (identifier, timing) that leads to the next cue's text."""
    pieces: list[list[tuple[int, int]]] = [[]]
    between = False
    for a, b, _ in _lines(source):
        line = source[a:b]
        if not line.strip():
            between = True
            continue
        if between:
            if "-->" in line:
                between = False
                pieces.append([])
            continue
        lead = len(line) - len(line.lstrip())
        if not pieces[-1]:  # a cue's first line: its position code (`{\an8}`) is layout
            lead += _POSITION.match(line[lead:]).end()  # type: ignore[union-attr]
        pieces[-1].append((a + lead, a + len(line.rstrip())))
    return [p for p in pieces if p]


def source_line(source: str, offset: int) -> int:
    """The line of source (0: its first) holding the character at offset in its paragraph
    text: a sentence's reference names the cue line it starts on."""
    at = 0
    for spans in flatten(source):
        for a, b in spans:
            at += b - a + 1
            if offset < at:
                return source[:a].count("\n")  # counted as pipeline.segments.record counts lines
    return source.count("\n")


def paragraph_text(source: str) -> str:
    """The paragraph as one line of text: every cue line trimmed, joined by spaces."""
    return " ".join(source[a:b] for piece in flatten(source) for a, b in piece)


def parse_subtitles(path: Path, text: str) -> Article:
    vtt = path.suffix.lower() == ".vtt"
    chains = _paragraphs(read_cues(path, text, vtt), text)
    if not chains:
        raise InputError(path, "no cue text in this subtitle file; add cues with text")
    paragraphs: list[Paragraph] = []
    layout: list[str | int] = []
    cursor = 0
    for index, chain in enumerate(chains):
        start, end = chain[0].spans[0][0], chain[-1].spans[-1][1]
        if start > cursor:
            layout.append(text[cursor:start])
        source = text[start:end]
        joined = paragraph_text(source)
        paragraphs.append(Paragraph(index, joined, "body", KIND, None if joined == source else source))
        layout.append(index)
        cursor = end
    if cursor < len(text):
        layout.append(text[cursor:])
    return Article(id=article_id(path), source=path, paragraphs=paragraphs, layout=layout)


def read_subtitle_article(path: Path, data: bytes | None = None) -> Article:
    data = path.read_bytes() if data is None else data
    if len(data) > MAX_BYTES:
        size = f"{len(data) / 1024 / 1024:.0f} MB"
        raise InputError(
            path, f"{size}, over the {MAX_BYTES // 1024 // 1024} MB a subtitle file may be; split it"
        )
    decoded = decode(path, data)
    article = parse_subtitles(path, decoded.text)
    article.meta["encoding"] = decoded.encoding
    article.warnings += decoded.warnings
    return article


def is_subtitle(article: Article) -> bool:
    return any(p.kind == KIND for p in article.paragraphs)
