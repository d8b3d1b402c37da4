"""Every user-facing string exists in French and English: the catalogs cover the code."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = ROOT / "portal" / "translations"
METHODS = [
    ("portal/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
#: gettext's own names and our lazy `_l`, as in the README's extract command.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.do"}, "templates/**.txt": {}}


def extracted_ids() -> set[str]:
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=METHODS, options_map=OPTIONS, keywords=KEYWORDS):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def load(locale: str, suffix: str):
    path = CATALOG_DIR / locale / "LC_MESSAGES" / f"messages.{suffix}"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale) if suffix == "po" else read_mo(handle)


def test_every_string_in_the_code_has_a_french_translation():
    catalog = load("fr", "po")
    missing = sorted(
        i for i in extracted_ids() if not catalog.get(i) or not _translated(catalog.get(i))
    )
    assert not missing, f"{len(missing)} strings lack a French translation, e.g. {missing[:10]}"


def test_no_stale_or_fuzzy_french_entries():
    catalog = load("fr", "po")
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"


def test_compiled_catalog_matches_the_sources():
    source = {_key(m.id): _key(m.string) for m in load("fr", "po") if m.id}
    compiled = {_key(m.id): _key(m.string) for m in load("fr", "mo") if m.id}
    assert source == compiled, "run: pybabel compile -d portal/translations"


def test_english_is_the_source_language():
    """English is the msgid itself; the catalog exists so that the language can be chosen."""
    assert (CATALOG_DIR / "en" / "LC_MESSAGES" / "messages.po").exists()


def _translated(message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return all(message.string)
    return bool(message.string)


def _key(value):
    return value if isinstance(value, str) else tuple(value)


def test_french_strings_put_a_narrow_no_break_space_before_double_punctuation():
    """French typography: "Que voulez-vous partager ?" takes U+202F before ? ! : ; and
    inside « », never an ordinary space that a line could break at."""
    wrong = []
    for message in load("fr", "po"):
        if not message.id:
            continue  # the catalog's header
        texts = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for text in texts:
            if text and re.search(r"[ \u00a0][:;?!]|«[ \u00a0]|[ \u00a0]»|\?:", text):
                wrong.append(text)
    assert not wrong, f"{len(wrong)} French strings, e.g. {wrong[:5]}"


def test_numbers_are_written_the_french_way(app):
    from flask import render_template_string
    with app.test_request_context():
        assert render_template_string("{{ 1699|number }} {{ 0.94|number }}") == "1\u202f699 0,94"


@pytest.mark.parametrize(("locale", "expected"), [
    ("fr", "0 7 999 1\u202f000 -3 12\u202f345 2,5 "),
    ("en", "0 7 999 1,000 -3 12,345 2.5 "),
])
def test_counts_under_a_thousand_read_alike_and_the_others_as_babel_writes_them(app, locale,
                                                                                expected):
    """The whole numbers under a thousand skip Babel: what they read must not change."""
    from flask import render_template_string
    with app.test_request_context(headers={"Accept-Language": locale}):
        from flask import session
        session["locale"] = locale
        values = "{{ 0|number }} {{ 7|number }} {{ 999|number }} {{ 1000|number }} " \
                 "{{ -3|number }} {{ 12345|number }} {{ 2.5|number }} {{ none|number }}"
        assert render_template_string(values) == expected
