"""The one place where user Markdown becomes HTML: rendered, then cleaned by an allowlist."""
from __future__ import annotations

import threading
from functools import lru_cache

import bleach
import markdown as markdown_lib
from bleach.linkifier import LinkifyFilter
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote", "code", "pre", "hr",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def _set_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


_local = threading.local()


def _cleaner() -> bleach.Cleaner:
    """This thread's own Cleaner: bleach's parser keeps state while it cleans, so one Cleaner
    shared by the threads of a threaded worker mixes up their pages (issue 13)."""
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            filters=[lambda source: LinkifyFilter(source, callbacks=[_set_rel],
                                                  skip_tags={"pre", "code"})],
        )
    return cleaner


def _markdown() -> markdown_lib.Markdown:
    """This thread's own Markdown converter: building one costs more than converting a comment,
    and a converter, like the Cleaner, is not safe to share between threads."""
    converter = getattr(_local, "markdown", None)
    if converter is None:
        converter = _local.markdown = markdown_lib.Markdown(extensions=["sane_lists"],
                                                            output_format="html")
    return converter


#: Texts rendered lately, per worker process: a popular page's text and comments are rendered
#: once, not on every view (the result depends on the text alone).
RENDERED_KEPT = 4096


def render_markdown(text: str | None) -> Markup:
    """Render resident text; headings and images are not allowed so pages keep their outline."""
    if not text:
        return Markup("")
    return _render(text)


@lru_cache(maxsize=RENDERED_KEPT)
def _render(text: str) -> Markup:
    html = _markdown().reset().convert(text)
    return Markup(_cleaner().clean(html))  # noqa: S704 (bleach cleaned it)
