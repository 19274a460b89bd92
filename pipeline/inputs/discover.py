"""Which files in the inputs folder are articles, and their content digests."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pipeline.core.errors import InputError
from pipeline.inputs.article import Article
from pipeline.inputs.ids import article_id
from pipeline.inputs.jsonl_file import read_member_article, read_members
from pipeline.inputs.text_file import read_text_article


def read_markdown_article(path: Path, data: bytes | None = None) -> Article:
    """markdown-it is imported only when there is Markdown to read."""
    from pipeline.inputs.markdown_file import read_markdown_article as read

    return read(path, data)


def read_html_article(path: Path, data: bytes | None = None) -> Article:
    from pipeline.inputs.html_file import read_html_article as read

    return read(path, data)


def read_subtitle_article(path: Path, data: bytes | None = None) -> Article:
    from pipeline.inputs.subtitle_file import read_subtitle_article as read

    return read(path, data)


def read_docx_article(path: Path, data: bytes | None = None) -> Article:
    from pipeline.inputs.docx_file import read_docx_article as read

    return read(path, data)


def read_odt_article(path: Path, data: bytes | None = None) -> Article:
    from pipeline.inputs.odt_file import read_odt_article as read

    return read(path, data)


def read_odp_article(path: Path, data: bytes | None = None) -> Article:
    from pipeline.inputs.odt_file import read_odp_article as read

    return read(path, data)


def read_pptx_article(path: Path, data: bytes | None = None) -> Article:
    from pipeline.inputs.pptx_file import read_pptx_article as read

    return read(path, data)


def read_epub_article(path: Path, data: bytes | None = None) -> Article:
    from pipeline.inputs.epub_file import read_epub_article as read

    return read(path, data)


READERS = {".txt": read_text_article, ".md": read_markdown_article, ".markdown": read_markdown_article}
READERS.update({".html": read_html_article, ".htm": read_html_article})
READERS.update({".srt": read_subtitle_article, ".vtt": read_subtitle_article})
READERS.update({".docx": read_docx_article, ".odt": read_odt_article, ".epub": read_epub_article})
READERS.update({".pptx": read_pptx_article, ".odp": read_odp_article})


PDF = (
    "PDF is not read (a translation cannot be laid back into its pages); convert it to .docx or .odt"
    " with LibreOffice (soffice --headless --infilter=writer_pdf_import --convert-to docx) or to text"
)

Stat = tuple[int, int, int]  # size, mtime_ns, inode


@dataclass(frozen=True)
class SourceFile:
    where: str  # the path as listed: strings, since 20,000 Path objects cost a tenth of a second
    id: str
    digest: str  # sha256 of the bytes: an edit changes the tasks that depend on it
    member: int = 0  # a JSONL feed's line; 0 for a file that is one article
    stat: Stat | None = None  # taken before the bytes were read

    @cached_property
    def path(self) -> Path:
        return Path(self.where)

    @property
    def label(self) -> str:
        return f"{self.path.name}:{self.member}" if self.member else self.path.name


def file_digest(path: Path | str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def known_digest(where: str, known: dict[str, list[object]] | None) -> tuple[str, Stat | None]:
    """The digest the last run recorded while the file's size, mtime and inode are the same
    (20,000 inputs are not read again to find that nothing changed), else read it; and the
    stat it stands for, which the inputs index records after the run."""
    try:
        st = os.stat(where)
    except OSError:
        return file_digest(where), None
    now = (st.st_size, st.st_mtime_ns, st.st_ino)
    stamp = known.get(where) if known else None
    if stamp and list(now) == stamp[:3]:
        return str(stamp[3]), now
    return file_digest(where), now


def split_name(name: str) -> tuple[str, str]:
    """(stem, suffix) as pathlib has them, without making a Path."""
    dot = name.rfind(".")
    return (name[:dot], name[dot:]) if 0 < dot < len(name) - 1 else (name, "")


def discover(
    inputs: Path,
    known: dict[str, list[object]] | None = None,
    listed: tuple[list[str], list[InputError]] | None = None,
) -> tuple[list[SourceFile], list[InputError]]:
    """Articles in name order, and one error per file that cannot be an article.

    known: per path, the stat and digest a run recorded (outputs.inputs_index.trusted_digests);
    listed: list_files(inputs), where the caller has it already."""
    if not inputs.is_dir():
        raise InputError(inputs, "inputs folder not found; create it or pass --inputs")
    paths, listing_errors = listed or list_files(inputs)
    errors = list(listing_errors)
    found: list[SourceFile] = []
    owners: dict[str, tuple[str, int]] = {}  # article id -> the file (and feed line) it came from
    feeds: dict[str, Path] = {}  # a feed's output name -> the feed writing it
    for where in paths:
        stem, kind = split_name(os.path.basename(where))
        suffix = kind.lower()
        if suffix == ".jsonl":
            path = Path(where)
            try:
                check_feed(feeds, path)
                members, member_errors = read_members(path)
            except InputError as exc:
                errors.append(exc)
                continue
            errors += member_errors
            for member in members:
                if member.id in owners:
                    errors.append(clash(member.id, (where, member.line), owners[member.id]))
                    continue
                owners[member.id] = (where, member.line)
                found.append(SourceFile(where, member.id, member.digest, member.line))
            continue
        if suffix == ".pdf":
            errors.append(InputError(Path(where), PDF))
            continue
        if suffix not in READERS:
            known = ".txt, .md, .html, .srt, .vtt, .jsonl, .docx, .odt, .pptx, .odp or .epub"
            problem = f"unsupported file type {kind or '(none)'}; use {known}"
            errors.append(InputError(Path(where), problem))
            continue
        try:
            new_id = article_id(where, stem=stem)
        except InputError as exc:
            errors.append(exc)
            continue
        if new_id in owners:
            errors.append(clash(new_id, (where, 0), owners[new_id]))
            continue
        owners[new_id] = (where, 0)
        digest, stat = known_digest(where, known)
        found.append(SourceFile(where, new_id, digest, stat=stat))
    return found, errors


def check_feed(feeds: dict[str, Path], path: Path) -> None:
    """Feeds are rendered as <locale>/<slug of the name>.jsonl: `a/feed.jsonl` and `b/feed.jsonl`,
    or `my feed.jsonl` and `my-feed.jsonl`, would write the same file; the second is refused."""
    name = article_id(path)
    if name in feeds:
        raise InputError(
            path,
            f"writes the same output <locale>/{name}.jsonl as {feeds[name]}; rename one of the two feeds",
        )
    feeds[name] = path


def clash(article: str, new: tuple[str, int], old: tuple[str, int]) -> InputError:
    """The later of two sources of one article id, with what to change."""
    (path, line), (other, other_line) = new, old
    if line and other == path:
        message = f"article id {article!r} is also the id on line {other_line}; change one of the ids"
        return InputError(f"{path}:{line}", message)
    there = f"{other}:{other_line}" if other_line else str(other)
    if line and other_line:
        todo = "change one of the two ids"
    elif line:
        todo = f"change the id on this line or rename {other}"
    elif other_line:
        todo = f"rename this file or change the id on line {other_line} of {other}"
    else:
        todo = "rename one of the two files"
    where = f"{path}:{line}" if line else path
    return InputError(where, f"article id {article!r} clashes with {there}; {todo}")


def list_files(inputs: Path) -> tuple[list[str], list[InputError]]:
    """Regular files under inputs (hidden names skipped), in name order, each once, as
    paths under inputs (strings: 20,000 Path objects cost a tenth of a second).

    Symbolic links are never followed out of the folder: a link to a file inside is read
    as that file (once, however many links point at it); a link to a folder inside is
    skipped (its files are read where they are); a link outside, a dangling link or a loop
    is an error naming the link. os.scandir's entry types need no stat per file (20,000
    inputs are listed in tens of milliseconds).
    """
    root = inputs.resolve()
    found: set[str] = set()
    links: list[str] = []
    errors: list[InputError] = []
    folders = [str(inputs)]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = [e for e in entries if not e.name.startswith(".")]
        except OSError as exc:
            errors.append(_unreadable(exc))
            continue
        for entry in listed:
            if entry.is_symlink():
                links.append(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                found.add(entry.path)
            else:
                problem = "not a regular file (a pipe or device); remove it"
                errors.append(InputError(Path(entry.path), problem))
    for link in sorted(links):
        try:
            target = _link_target(Path(link), root)
        except InputError as exc:
            errors.append(exc)
            continue
        if target is not None:
            found.add(str(inputs / target.relative_to(root)))
    # Path's order (part by part), sorting strings: 20,000 Path comparisons cost 0.2 s
    return sorted(found, key=lambda p: p.split(os.sep)), sorted(errors, key=lambda e: e.path or "")


def _link_target(link: Path, root: Path) -> Path | None:
    """The file inside root a link leads to; None for a folder inside root."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        missing = os.readlink(link)
        raise InputError(link, f"symbolic link to a missing file ({missing}); fix or remove it") from None
    except (RuntimeError, OSError):  # a loop: RuntimeError before Python 3.13, OSError (ELOOP) since
        raise InputError(link, "symbolic link loop; remove the link") from None
    if not target.is_relative_to(root):
        raise InputError(link, f"points outside the inputs folder (to {target}); not read, copy the file in")
    if target.is_dir():
        return None
    if not stat.S_ISREG(target.stat().st_mode):
        raise InputError(link, "points to something that is not a regular file; remove the link")
    return target


def _unreadable(exc: OSError) -> InputError:
    return InputError(exc.filename, f"cannot be read ({exc.strerror}); fix its permissions")


def read_article(path: Path, member: int = 0) -> Article:
    """The article, with meta["digest"] the digest of the very bytes parsed (a feed line's
    text): what the record is keyed by, whatever the file held when the inputs were listed."""
    if member:
        return read_member_article(path, member)
    data = path.read_bytes()
    article = READERS[path.suffix.lower()](path, data)
    article.meta["digest"] = hashlib.sha256(data).hexdigest()
    return article
