"""One search for the listing, the API, the moderation queue and the projects: accents and
plurals do not matter, the most relevant come first, and the excerpts mark what matched."""
from __future__ import annotations

import re

from portal.extensions import db
from portal.models import Submission, User
from portal.services.submissions import posting

from .test_listing import titles


def test_plurals_and_accents_match_in_the_listing(client, make):
    make.submission(title="Des laveries solidaires à Étouvie",
                    body="Laver son linge coûte cher aux familles.")
    make.submission(title="Épicerie de quartier",
                    body="Les familles font leurs courses bien loin d'ici.")
    make.submission(title="Un atelier vélo", body="Réparer plutôt que jeter, entre voisins.")
    assert titles(client.get("/contributions/?q=laverie")) == ["Des laveries solidaires à Étouvie"]
    assert titles(client.get("/contributions/?q=epiceries")) == ["Épicerie de quartier"]
    assert titles(client.get("/contributions/?q=FAMILLE+course")) == ["Épicerie de quartier"]
    assert titles(client.get("/contributions/?q=piscine")) == []
    assert titles(client.get("/contributions/?q=%22%27%3B--")) == []


def test_the_most_relevant_come_first_then_the_newest(client, make):
    make.submission(title="Jardin partagé", body="Un jardin, des jardins, jardiner ensemble au "
                    "jardin du quartier.", age_days=30)
    make.submission(title="Atelier cuisine", body="Avec les légumes frais d'un jardin.",
                    age_days=9)
    make.submission(title="Repas solidaires", body="Les légumes viendraient d'un jardin.",
                    age_days=1)
    assert titles(client.get("/contributions/?q=jardin")) == [
        "Jardin partagé", "Repas solidaires", "Atelier cuisine"]
    # The most supported, asked for, wins over relevance (none has supports: newest first).
    assert titles(client.get("/contributions/?q=jardin&sort=supported")) == [
        "Repas solidaires", "Atelier cuisine", "Jardin partagé"]


def test_a_word_said_in_passing_in_a_long_text_comes_after_a_short_text_about_it(client, make):
    """On both databases the text's length counts (PostgreSQL ranked them equal, so the newer
    long one came first there, and last on SQLite)."""
    make.submission(title="Laverie solidaire", body="Laver son linge près de chez soi.",
                    age_days=3)
    make.submission(title="Un lieu pour les familles", body=" ".join(
        ["Un lieu ouvert à tous, avec des ateliers et des repas partagés."] * 8
        + ["Et pourquoi pas une laverie au fond ?"]))
    assert titles(client.get("/contributions/?q=laverie")) == [
        "Laverie solidaire", "Un lieu pour les familles"]


def test_a_contribution_about_the_word_comes_before_one_that_names_it_in_passing(client, make):
    """The title's words weigh more, on both databases: the word once each, and the older and
    longer one, about a laverie, comes first (the shorter, newer one came first before)."""
    make.submission(title="Une laverie solidaire",
                    body="Laver son linge près de chez soi, à petit prix, avec un coin café où "
                    "les familles se retrouvent le samedi matin pendant que les machines tournent, "
                    "et des bénévoles pour aider à plier.", age_days=3)
    make.submission(title="Un coin café", body="Se poser à côté de la laverie du marché.")
    assert titles(client.get("/contributions/?q=laverie")) == [
        "Une laverie solidaire", "Un coin café"]


def test_a_search_over_two_pages_counts_what_it_ranks_and_pages_in_its_order(client, make):
    make.submission(title="Garde des enfants, enfants et encore enfants", age_days=30)
    for n in range(21):
        make.submission(title=f"Enfants du secteur {n:02d}", age_days=20 - n * 0.5)
    make.submission(title="Enfants, une idée refusée", status="rejected")
    make.submission(title="Un atelier vélo")
    first, second = (client.get(f"/contributions/?q=enfant&page={n}") for n in (1, 2))
    assert "22 contributions" in first.text and "22 contributions" in second.text
    # The most relevant first, then the newest; the second page goes on where the first stopped.
    assert titles(first) == ["Garde des enfants, enfants et encore enfants"] + [
        f"Enfants du secteur {n:02d}" for n in range(20, 1, -1)]
    assert titles(second) == ["Enfants du secteur 01", "Enfants du secteur 00"]
    past_the_end = client.get("/contributions/?q=enfant&page=3").text
    assert "22 contributions" in past_the_end and "Aller à la dernière page" in past_the_end


def test_the_sort_menu_says_the_matches_come_most_relevant_first(client, make):
    make.submission(title="Une laverie solidaire")
    searched = client.get("/contributions/?q=laverie").text
    assert '<option selected value="newest">Les plus pertinentes</option>' in searched
    assert '<option selected value="newest">Les plus récentes</option>' in \
        client.get("/contributions/").text


def test_excerpts_mark_the_words_found_and_escape_the_rest(client, make):
    make.submission(title="Une laverie", body="Une <b>laverie</b> & un café pour les laveries.")
    page = client.get("/contributions/?q=laveries").text
    excerpt = re.search(r'<p class="card-excerpt">(.*?)</p>', page)[1]
    assert excerpt == ("Une &lt;b&gt;<mark>laverie</mark>&lt;/b&gt; &amp; un café pour les "
                       "<mark>laveries</mark>.")


def test_a_card_found_by_its_title_marks_the_words_in_the_title(client, make):
    """The excerpt is the start of the text: a card found by its title alone showed no mark."""
    found = make.submission(title="Laveries & <solidaires>",
                            body="Un texte assez long pour décrire ce qui manque ici.")
    page = client.get("/contributions/?q=laverie").text
    assert (f'class="card-title"><a href="/contributions/{found.id}"><mark>Laveries</mark> '
            '&amp; &lt;solidaires&gt;</a>') in page
    assert f'<a href="/contributions/{found.id}">Laveries &amp; &lt;solidaires&gt;</a>' in \
        client.get("/contributions/").text


def test_a_card_found_by_its_text_shows_the_passage_that_holds_the_words(client, make):
    """The start of a long text may not hold the word searched for: the card then shows the
    passage that does, marked; without words searched for, the start of the text."""
    opening = ("Dans notre rue les familles se croisent tous les jours sans se parler, les "
               "enfants jouent sur le trottoir et les anciens restent chez eux l'hiver. ") * 3
    make.submission(title="Un lieu pour se retrouver",
                    body=opening + "Une laverie avec un coin café leur donnerait un endroit "
                    "où se poser pendant que le linge tourne. " + opening)
    passage = re.search(r'<p class="card-excerpt">(.*?)</p>',
                        client.get("/contributions/?q=laveries").text)[1]
    assert passage.startswith("…") and passage.endswith("…")
    assert "Une <mark>laverie</mark> avec un coin café leur donnerait" in passage
    start = re.search(r'<p class="card-excerpt">(.*?)</p>', client.get("/contributions/").text)[1]
    assert start.startswith("Dans notre rue les familles") and "laverie" not in start


def test_an_edited_text_is_found_by_its_new_words_only(app, client, make):
    author = make.user()
    submission = make.submission(author, title="Une navette", status="pending",
                                 body="Une navette vers le marché du samedi.")
    with app.app_context():
        posting.edit(db.session.get(Submission, submission.id), db.session.get(User, author.id),
                     title="Une navette", body="Une navette vers la piscine du samedi.",
                     territory_id=submission.territory_id, theme_id=submission.theme_id,
                     target_public=None, author_offer="none")
    moderator = make.user(role="moderator")
    client.post("/compte/connexion", data={"email": moderator.email,
                                           "password": "correct horse battery"})
    queue = client.get("/moderation/file-d-attente?q=piscines").text
    assert "Une navette" in queue
    assert "Une navette" not in client.get("/moderation/file-d-attente?q=marche").text


def test_the_api_searches_with_q(client, make):
    make.submission(title="Épiceries solidaires", body="Des prix justes pour tout le monde.")
    make.submission(title="Bus de nuit", body="Rentrer chez soi après 22 h sans voiture.")
    found = client.get("/api/v1/submissions?q=epicerie").get_json()
    assert [item["title"] for item in found["items"]] == ["Épiceries solidaires"]
    assert found["total"] == 1


def test_projects_are_searchable(client, make):
    make.lead([make.submission()], title="Laverie solidaire d'Étouvie", public=True)
    make.lead([make.submission()], title="Recyclerie du centre", public=True)
    page = client.get("/projets/?q=laveries").text
    assert "<mark>Laverie</mark> solidaire d&#39;Étouvie" in page
    assert "Recyclerie du centre" not in page


def test_little_words_and_elisions_do_not_hide_a_match_on_either_database(client, make):
    """Residents type "l'épicerie" or "la laverie des familles": the words that matter are
    looked for, the little ones ("l", "la", "des") left out, on SQLite as on PostgreSQL."""
    make.submission(title="Épicerie solidaire", body="Des produits frais à prix justes, ici.")
    make.submission(title="Laverie du quartier",
                    body="Beaucoup de familles n'ont pas de machine à laver chez elles.")
    assert titles(client.get("/contributions/?q=l%27%C3%A9picerie")) == ["Épicerie solidaire"]
    assert titles(client.get("/contributions/?q=la+laverie+des+familles")) == [
        "Laverie du quartier"]
    found = client.get("/api/v1/submissions?q=une+%C3%A9picerie").get_json()
    assert [item["title"] for item in found["items"]] == ["Épicerie solidaire"]
    # The little words are not marked in the excerpt either.
    page = client.get("/contributions/?q=la+laverie+de+familles").text
    excerpt = re.search(r'<p class="card-excerpt">(.*?)</p>', page)[1]
    assert excerpt == ("Beaucoup de <mark>familles</mark> n&#39;ont pas de machine à laver "
                       "chez elles.")
    # Only little words: nothing is looked for, so nothing is found (PostgreSQL's answer too).
    assert titles(client.get("/contributions/?q=de+la")) == []


def test_projects_are_found_by_the_words_that_matter(client, make):
    make.lead([make.submission()], title="Laverie solidaire d'Étouvie", public=True)
    make.lead([make.submission()], title="Recyclerie du centre", public=True)
    page = client.get("/projets/?q=la+laverie+d%27%C3%89touvie").text
    assert "<mark>Laverie</mark> solidaire d&#39;<mark>Étouvie</mark>" in page
    assert "Recyclerie du centre" not in page


def test_projects_come_most_relevant_first_with_the_words_marked(client, make):
    make.lead([make.submission()], title="Recyclerie du centre", public=True)
    make.lead([make.submission()], title="Une épicerie et une laverie", public=True)
    make.lead([make.submission()], title="Laverie solidaire, laveries de quartier", public=True)
    make.lead([make.submission()], title="Laverie mobile", public=True)
    page = client.get("/projets/?q=laveries").text
    assert re.findall(r'<h3 class="card-title"><a [^>]*>(.*?)</a>', page) == [
        "<mark>Laverie</mark> solidaire, <mark>laveries</mark> de quartier",
        "<mark>Laverie</mark> mobile",  # as relevant as the next one, and newer
        "Une épicerie et une <mark>laverie</mark>"]
    # Punctuation or little words alone look for nothing: nothing is found, as for contributions.
    assert "card-title" not in client.get("/projets/?q=%3F%21").text
    assert titles(client.get("/contributions/?q=%3F%21")) == []


def test_moderators_search_their_queue_the_same_way(client, auth, moderator, make):
    make.submission(title="Des laveries solidaires", body="Une laverie pour les familles du "
                    "quartier, qui n'ont pas de machine.", status="pending", age_days=2)
    make.submission(title="Une épicerie", body="Avec une laverie à côté, ce serait bien.",
                    status="pending")
    make.submission(title="Un atelier vélo", status="pending")
    make.submission(title="Une laverie déjà publiée")
    auth.login(moderator)
    queue = client.get("/moderation/file-d-attente?q=la+laverie").text
    assert re.findall(r'<td><a href="/moderation/contributions/\d+">(.*?)</a></td>', queue) == [
        "Des <mark>laveries</mark> solidaires", "Une épicerie"]
