"""What a person reads on a page: its text nodes, without tags, attributes, scripts or styles."""
from __future__ import annotations

from html.parser import HTMLParser


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(" ".join(data.split()))


def text_nodes(page: str) -> list[str]:
    """Each piece of visible text, whitespace folded, narrow no-break spaces read as spaces."""
    parser = _Text()
    parser.feed(page)
    return [part.replace("\u202f", " ").replace("\xa0", " ") for part in parser.parts]


def visible_text(page: str) -> str:
    return "\n".join(text_nodes(page))
