"""Residents write Markdown; what reaches a page is a short allowlist of harmless HTML."""
from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from portal.sanitize import LINK_REL, render_markdown


@pytest.mark.parametrize("text, forbidden", [
    ("<script>alert(1)</script>", "<script"),
    ("<SCRIPT src=//evil.example/x.js></SCRIPT>", "<script"),
    ("<scr<script>ipt>alert(1)</script>", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ('<p onclick="alert(1)">texte</p>', "onclick"),
    ('<a href="https://a.fr" onmouseover="alert(1)">lien</a>', "onmouseover"),
    ("<svg onload=alert(1)>", "<svg"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ("<style>body{display:none}</style>", "<style"),
    ('<form action="https://evil.example"><input name=x></form>', "<form"),
    ("[clic](javascript:alert(1))", "javascript:"),
    ("[clic](JaVaScRiPt:alert(1))", "alert"),
    ('<a href="java\tscript:alert(1)">clic</a>', "alert"),
    ('<a href="javascript&#58;alert(1)">clic</a>', "alert"),
    ("[clic](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ("[clic](vbscript:msgbox(1))", "vbscript"),
])
def test_dangerous_html_and_links_are_removed(text, forbidden):
    """Scripts, event handlers and script-bearing links never survive, whatever their spelling."""
    assert forbidden not in render_markdown(text).lower()


@pytest.mark.parametrize("text", ["![plan](https://example.org/plan.png)",
                                  '<img src="https://example.org/traceur.gif">'])
def test_images_are_removed(text):
    """Images could track readers or break the layout: none are shown."""
    assert "<img" not in render_markdown(text)


@pytest.mark.parametrize("text", ["# Un titre", "## Un sous-titre", "Un titre\n========",
                                  "<h2>Un titre</h2>"])
def test_headings_are_not_kept_as_headings_but_their_words_stay(text):
    """The page keeps its own outline (RGAA); what the resident wrote is still readable."""
    html = render_markdown(text)
    assert not re.search(r"<h[1-6]", html)
    assert "titre" in html


@pytest.mark.parametrize("text, href", [
    ("[le site de la métropole](https://www.amiens.fr)", "https://www.amiens.fr"),
    ("voir https://www.amiens.fr/agenda pour les dates", "https://www.amiens.fr/agenda"),
    ("<https://www.amiens.fr>", "https://www.amiens.fr"),
    ('<a href="https://a.fr" rel="follow" target="_blank">lien</a>', "https://a.fr"),
])
def test_links_point_where_written_and_pass_no_reputation(text, href):
    """Markdown, bare and raw links all get rel="nofollow ugc noopener" and no other rel."""
    html = str(render_markdown(text))
    assert f'href="{href}"' in html
    assert f'rel="{LINK_REL}"' in html and LINK_REL == "nofollow ugc noopener"
    assert html.count("rel=") == 1
    assert "target=" not in html


def test_code_is_shown_not_linked():
    """An address inside code stays code, so a resident can quote it exactly."""
    html = render_markdown("`https://www.amiens.fr`")
    assert "<code>https://www.amiens.fr</code>" in html and "<a" not in html


def test_the_formatting_residents_use_is_kept():
    """Bold, italics, lists, quotes and paragraphs are what residents need to explain a need."""
    html = render_markdown("**Important** et *utile*\n\n- un\n- deux\n\n1. premier\n2. second\n\n"
                           "> une citation")
    assert "<strong>Important</strong>" in html and "<em>utile</em>" in html
    assert "<ul>" in html and "<li>un</li>" in html and "<li>deux</li>" in html
    assert "<ol>" in html and "<li>premier</li>" in html
    assert "<blockquote>" in html and "une citation" in html


def test_plain_text_is_escaped_not_interpreted():
    """A lone angle bracket or ampersand in a sentence is shown, not parsed."""
    html = render_markdown("3 < 5 & 7 > 2")
    assert "&lt;" in html and "&amp;" in html


@pytest.mark.parametrize("text", ["", None, "   \n  "])
def test_nothing_written_gives_empty_markup(text):
    """An empty text gives an empty, already-safe string (no stray <p>)."""
    html = render_markdown(text)
    assert isinstance(html, Markup) and html == ""


def test_the_result_is_markup_so_jinja_does_not_escape_it_twice():
    """The filter's output is marked safe once; it must therefore be clean (the tests above)."""
    assert isinstance(render_markdown("**gras**"), Markup)


def test_a_script_in_a_published_need_never_reaches_the_page(client, make):
    """Through the real page: the body is cleaned where it is shown, the words remain."""
    submission = make.submission(
        title="Un composteur partagé",
        body="Il manque un composteur.<script>alert(1)</script>\n\n"
             '<img src=x onerror="alert(2)"> Voir [le plan](javascript:alert(3)) '
             "et https://www.amiens.fr")
    page = client.get(f"/contributions/{submission.id}")
    assert page.status_code == 200
    assert "Il manque un composteur." in page.text
    assert "<script>alert" not in page.text and "onerror" not in page.text
    assert "javascript:" not in page.text
    assert f'href="https://www.amiens.fr" rel="{LINK_REL}"' in page.text
