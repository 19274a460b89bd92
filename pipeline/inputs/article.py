"""The in-memory article: translatable paragraphs and the literal text between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Paragraph:
    index: int  # 0 is the title
    text: str  # without surrounding whitespace; the layout keeps that
    role: str = "body"  # "title" or "body"


@dataclass
class Article:
    """layout interleaves literal strings with paragraph indexes; joining it returns the source."""

    id: str
    source: Path
    paragraphs: list[Paragraph]
    layout: list[str | int]
    lang_hint: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.paragraphs[0].text if self.paragraphs else ""

    def render(self, texts: dict[int, str] | None = None) -> str:
        """The article with paragraph i replaced by texts[i] where given."""
        texts = texts or {}
        by_index = {p.index: p.text for p in self.paragraphs}
        return "".join(
            part if isinstance(part, str) else texts.get(part, by_index[part]) for part in self.layout
        )
