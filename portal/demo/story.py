"""The Fabrique's whole story in the demo, played through the use cases.

Everything here goes through `portal.services`: leads are converted from published needs, moved,
decided on by the committee, given workshops and offers; partner organisations forward items that
the moderator publishes and attaches to leads; residents post look-alikes, flag, support. So every
row is a state the portal itself can reach. Only the clock is set back afterwards (the moment each
step happened), so the history reads over months instead of one second.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import (
    OPEN_STATUSES,
    AgendaItem,
    Comment,
    CommitteeMeeting,
    Decision,
    Lead,
    LeadOrigin,
    LeadStage,
    OfferKind,
    OfferStatus,
    OrganisationKind,
    PartnerKind,
    PartnerRole,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    User,
)
from ..services.leads import committee, offers, pipeline, rules, workshops
from ..services.partners import forwarding
from ..services.submissions import flags, merging, posting, votes
from . import places

FOLLOWED_BY_RESIDENT = ("garde", "epicerie", "transport")
ALL_SECTIONS = ["need", "existing", "model", "partners", "carrier_profile", "budget",
                "workshops", "decisions", "outcome"]


@dataclass
class Cast:
    """The named demo accounts the story needs."""

    moderator: User
    admin: User
    committee: User
    resident: User
    metropole: User
    relay: User
    residents: list[User]
    territories: dict  # code -> Territory
    themes: dict  # code -> Theme id
    now: datetime
    leads: dict[str, Lead] = field(default_factory=dict)


def _day(now: datetime, days_ago: int) -> datetime:
    return datetime.combine((now - timedelta(days=days_ago)).date(), time(15, 30))


def _when(cast: Cast, lead: Lead, days_ago: int) -> None:
    """Date the lead's last move `days_ago` days back."""
    change = lead.history[-1]
    change.created_at = lead.stage_changed_at = _day(cast.now, days_ago)
    db.session.commit()


def _sources(cast: Cast, keywords: tuple[str, ...], theme: str, count: int) -> list[int]:
    """Published needs and ideas matching the keywords (the most supported first), else of the
    theme, that belong to no lead yet."""
    rows = db.session.scalars(
        select(Submission).where(Submission.status.in_(rules.CONVERTIBLE_STATUSES),
                                 Submission.partner_organisation_id.is_(None))
        .order_by(Submission.support_count.desc(), Submission.id)).all()
    free = [s for s in rows if pipeline.lead_for(s) is None]
    lowered = [k.lower() for k in keywords]
    chosen = [s for s in free if any(k in s.title.lower() for k in lowered)][:count]
    if not chosen:
        chosen = [s for s in free if s.theme_id == cast.themes[theme]][:1] or free[:1]
    return [s.id for s in chosen]


@dataclass(frozen=True)
class LeadPlan:
    key: str
    title: str
    summary: str
    theme: str
    keywords: tuple[str, ...]
    public: bool
    started: int  # days ago
    fiche: dict = field(default_factory=dict)


PLANS = [
    LeadPlan("garde", "Une garde d'enfants en horaires décalés",
             "Une crèche et un service de garde ouverts de 5 h 30 à 22 h et le week-end, pour les "
             "parents qui travaillent au CHU, dans la logistique et le commerce.",
             "enfance-jeunesse", ("garde d'enfants", "solution de garde"), True, 330, {
                 "existing_offers": "Les crèches municipales ouvrent de 7 h 30 à 18 h 30 ; trois "
                                    "assistantes maternelles seulement acceptent des horaires "
                                    "décalés sur la métropole.",
                 "economic_model": "SCIC réunissant salarié·es, parents, le CHU et la "
                                   "Métropole ; places réservées par les employeurs (60 %), "
                                   "participation des familles selon le quotient (25 %), CAF.",
                 "carrier_profile": "Une professionnelle de la petite enfance prête à diriger "
                                    "la structure, avec l'appui d'un collectif de parents.",
                 "budget": "Investissement 180 000 € (local de la rue Saint-Fuscien) ; "
                           "fonctionnement 420 000 € par an à l'équilibre la troisième année.",
             }),
    LeadPlan("epicerie", "Une épicerie solidaire à Étouvie",
             "Des produits frais à prix adaptés aux revenus, des ateliers cuisine et un coin "
             "café, tenus par une équipe en insertion.",
             "alimentation", ("épicerie solidaire", "manger sain"), True, 280, {
                 "economic_model": "Double tarif (solidaire et plein tarif), approvisionnement "
                                   "auprès des producteurs du Grand Amiénois et de la banque "
                                   "alimentaire, postes en insertion conventionnés.",
                 "carrier_profile": "Une association du quartier appuyée par un chantier "
                                    "d'insertion.",
             }),
    LeadPlan("recyclerie", "Une recyclerie et une matériauthèque métropolitaine",
             "Collecter, réparer et revendre meubles, objets et matériaux de chantier, avec des "
             "ateliers de réparation ouverts à tous.",
             "environnement", ("recyclerie", "réemployer", "réparation de vélos"), True, 250, {
                 "economic_model": "Ventes en boutique et aux professionnels du bâtiment, "
                                   "prestations de collecte pour les bailleurs, aides au "
                                   "réemploi.",
                 "budget": "Local de 1 200 m² à trouver ; 12 emplois dont 8 en insertion à "
                           "trois ans.",
             }),
    LeadPlan("transport", "Un transport à la demande vers les zones d'emploi",
             "Des minibus à réserver la veille pour rejoindre l'Espace industriel nord et les "
             "zones d'activités aux heures où commencent les équipes.",
             "mobilite", ("transport à la demande", "sans voiture"), True, 200, {
                 "carrier_profile": "Une entreprise ou une association de transport prête à "
                                    "exploiter trois minibus, en lien avec les employeurs.",
             }),
    LeadPlan("repas", "Du portage de repas pour les villages",
             "Un service de repas livrés aux personnes âgées des communes rurales, cuisinés "
             "avec des produits locaux.",
             "bien-vieillir", ("portage de repas", "personnes âgées"), False, 120),
    LeadPlan("numerique", "Une permanence numérique itinérante",
             "Un camion aménagé et deux médiatrices numériques qui passent chaque semaine dans "
             "les quartiers et les villages pour aider aux démarches en ligne.",
             "numerique", ("démarches en ligne", "permanence numérique"), False, 25),
    LeadPlan("cafe", "Un café associatif de quartier",
             "Un lieu pour se retrouver, tenu par des habitant·es avec deux salarié·es.",
             "culture-lien-social", ("café associatif", "se retrouver"), True, 210),
    LeadPlan("auto-ecole", "Une auto-école solidaire",
             "Le permis à un prix adapté aux revenus, avec un accompagnement renforcé.",
             "insertion", ("auto-école", "permis"), True, 300),
]


def _convert(cast: Cast, plan: LeadPlan) -> Lead:
    place = ("amiens-etouvie" if plan.key == "epicerie" else "80021")
    territory = cast.territories.get(place) or cast.territories["80021"]
    sources = _sources(cast, plan.keywords, plan.theme, 2)
    if plan.key in FOLLOWED_BY_RESIDENT:
        # The demo resident supported these needs, so her notifications tell the story.
        for submission in db.session.scalars(select(Submission).where(Submission.id.in_(sources))):
            if submission.author_id != cast.resident.id:
                votes.support(cast.resident, submission)
    lead = pipeline.convert(cast.moderator, sources,
                            title=plan.title, summary=plan.summary, territory_id=territory.id,
                            theme_id=cast.themes[plan.theme])
    lead.created_at = _day(cast.now, plan.started)
    lead.stage_changed_at = lead.created_at
    if plan.public or plan.fiche:
        pipeline.update_fiche(
            lead, cast.moderator, territory_id=lead.territory_id, theme_id=lead.theme_id,
            owner_id=cast.moderator.id, member_ids=[cast.admin.id], is_public=plan.public,
            public_sections=ALL_SECTIONS if plan.public else [], title=lead.title,
            summary=lead.summary, origin=LeadOrigin.RESIDENTS,
            notes="Suivi par Claire ; point mensuel avec la Métropole.", **plan.fiche)
    else:
        db.session.commit()
    cast.leads[plan.key] = lead
    return lead


def _move(cast: Cast, key: str, stage: str, note: str, days_ago: int, reason: str = "") -> None:
    lead = cast.leads[key]
    pipeline.move(lead, cast.moderator, stage, note=note, reason=reason)
    _when(cast, lead, days_ago)


def _meeting(cast: Cast, name: str, days_ago: int,
             agenda: list[tuple[str, str, str | None, str]]) -> None:
    """A committee meeting; each agenda line is (lead, stage put to it, decision or None, note)."""
    held_on = (cast.now - timedelta(days=days_ago)).date()
    meeting = committee.create_meeting(cast.moderator, name=name, held_on=held_on)
    meeting.created_at = _day(cast.now, days_ago + 21)
    for key, target, decision, note in agenda:
        lead = cast.leads[key]
        item = committee.put_on_agenda(meeting, lead, cast.moderator, target)
        if decision is None:
            continue
        moved = len(lead.history)
        committee.decide(item, cast.committee, decision=decision, note=note,
                         document_url="https://fabrique.example/comites/releve-de-decisions.pdf")
        item.decided_at = _day(cast.now, days_ago)
        if len(lead.history) > moved:
            _when(cast, lead, days_ago)
    db.session.commit()


def _pipeline(cast: Cast) -> None:
    for plan in PLANS:
        _convert(cast, plan)
    first_look = "Premier rendez-vous avec les habitant·es qui ont porté ce besoin ; étude " \
                 "d'opportunité lancée."
    for key, days in (("garde", 300), ("epicerie", 260), ("recyclerie", 230),
                      ("transport", 170), ("repas", 90), ("cafe", 190), ("auto-ecole", 270)):
        _move(cast, key, LeadStage.OPPORTUNITY, first_look, days)
    _meeting(cast, "Comité d'engagement de printemps", 240, [
        ("garde", LeadStage.CARRIER_SEARCH, Decision.GO,
         "Besoin confirmé par l'enquête auprès de 240 soignantes ; aucune offre comparable. "
         "Recherche de porteur lancée."),
        ("auto-ecole", LeadStage.CARRIER_SEARCH, Decision.NO_GO,
         "Une auto-école sociale ouvre à Amiens en septembre avec France Travail : le besoin "
         "sera couvert."),
    ])
    _move(cast, "auto-ecole", LeadStage.ABANDONED,
          "Abandon après le comité : nous orientons les habitant·es vers la nouvelle auto-école "
          "sociale.", 235, reason="Le besoin est couvert par une offre qui ouvre.")
    _move(cast, "garde", LeadStage.FEASIBILITY,
          "Porteuse trouvée : Nadia, éducatrice de jeunes enfants ; étude de faisabilité avec "
          "le CHU.", 200)
    _meeting(cast, "Comité d'engagement d'été", 160, [
        ("epicerie", LeadStage.CARRIER_SEARCH, Decision.GO,
         "Besoin confirmé ; le centre social est prêt à accueillir le projet."),
        ("recyclerie", LeadStage.CARRIER_SEARCH, Decision.GO,
         "Gisement confirmé par la Métropole ; intérêt des bailleurs."),
        ("cafe", LeadStage.CARRIER_SEARCH, Decision.NO_GO,
         "Pas de local disponible avant la fin des travaux de rénovation urbaine."),
        ("garde", LeadStage.LAUNCH, Decision.GO,
         "Plan d'affaires solide ; réservation de 20 berceaux par le CHU. Accompagnement à la "
         "création."),
    ])
    _move(cast, "cafe", LeadStage.PAUSED,
          "En pause jusqu'à la livraison des locaux du Pôle Jules-Verne (fin des travaux).", 155,
          reason="Attente d'un local.")
    _move(cast, "epicerie", LeadStage.FEASIBILITY,
          "L'association Épi'Nord porte le projet ; budget et local en cours.", 110)
    _move(cast, "recyclerie", LeadStage.FEASIBILITY,
          "Un collectif issu de l'atelier vélo s'associe à une entreprise d'insertion.", 80)
    _meeting(cast, "Comité de pilotage d'automne", 70, [
        ("transport", LeadStage.CARRIER_SEARCH, Decision.GO,
         "Trois employeurs de l'Espace industriel nord prêts à cofinancer."),
        ("epicerie", LeadStage.LAUNCH, Decision.GO,
         "Local trouvé rue Jean-Moulin ; financement bouclé à 85 %."),
    ])
    _meeting(cast, "Comité d'engagement du mois prochain", -20, [
        ("repas", LeadStage.CARRIER_SEARCH, None, ""),
        ("recyclerie", LeadStage.LAUNCH, None, ""),
    ])
    pipeline.add_partner(cast.leads["garde"], cast.moderator, name="CHU Amiens-Picardie",
                         kind=PartnerKind.COMPANY, role=PartnerRole.FUNDER,
                         commitment="Réservation de 20 berceaux.")
    pipeline.add_partner(
        cast.leads["garde"],
        cast.moderator,
        name="Caisse d'allocations familiales de la Somme",
        kind=PartnerKind.COLLECTIVITY,
        role=PartnerRole.FUNDER,
        commitment="Prestation de service unique.",
    )
    pipeline.add_partner(cast.leads["recyclerie"], cast.moderator,
                         name="Amiens Métropole — service déchets",
                         kind=PartnerKind.COLLECTIVITY, role=PartnerRole.TECHNICAL)


def _workshops(cast: Cast) -> None:
    for key, days, place, count, outcome in (
            ("garde", 260, "Maison de quartier d'Étouvie", 23,
             "Horaires souhaités : 5 h 30 - 22 h ; priorité aux familles monoparentales."),
            ("epicerie", 150, "Centre social et culturel d'Étouvie", 31,
             "Liste des produits attendus, idée d'un coin café et d'ateliers cuisine."),
            ("transport", 30, "Mairie de Saint-Ouen", 14, "")):
        lead = cast.leads[key]
        workshop = workshops.add_workshop(
            lead, cast.moderator, held_on=(cast.now - timedelta(days=days)).date(), place=place,
            participant_count=count, organisations="Centre social, Mission locale",
            outcome=outcome)
        workshops.invite_residents(workshop, cast.moderator)


def _garde_offers(cast: Cast) -> None:
    """The carrier and a helper offered while the crèche was still a project (a created
    enterprise takes no more offers)."""
    residents = [u for u in cast.residents if u.id != cast.resident.id]
    garde = cast.leads["garde"]
    carrier = offers.offer_on_lead(residents[2], garde, kind=OfferKind.CARRY,
                                   message="Éducatrice de jeunes enfants, je veux porter "
                                           "cette crèche.")
    offers.qualify(carrier, garde, cast.moderator, OfferStatus.SELECTED)
    helper = offers.offer_on_lead(residents[3], garde, kind=OfferKind.CONTRIBUTE,
                                  message="Comptable, je peux aider au plan de financement.")
    offers.contact(helper, garde, cast.moderator,
                   "Merci ! Pouvez-vous venir à la réunion du 12 pour le plan de financement ?")


def _offers(cast: Cast) -> None:
    residents = [u for u in cast.residents if u.id != cast.resident.id]
    transport = cast.leads["transport"]
    offers.offer_on_lead(cast.resident, transport, kind=OfferKind.CONTRIBUTE,
                         message="Je travaille à l'Espace industriel nord : je peux faire le "
                                 "lien avec les équipes de nuit.")
    for user, kind, message in (
            (residents[0], OfferKind.CARRY,
             "Ancien chauffeur de car, je voudrais créer ce service avec deux collègues."),
            (residents[1], OfferKind.CONTRIBUTE,
             "Je peux prêter un local pour garer les minibus à Saint-Ouen.")):
        offers.offer_on_lead(user, transport, kind=kind, message=message)
    open_needs = db.session.scalars(
        select(Submission).where(Submission.status == SubmissionStatus.PUBLISHED,
                                 Submission.kind == SubmissionKind.IDEA)
        .order_by(Submission.support_count.desc(), Submission.id).limit(2)).all()
    for user, submission in zip(residents[4:6], open_needs, strict=False):
        if submission.author_id != user.id:
            offers.offer_on_submission(user, submission, kind=OfferKind.CARRY,
                                       message="J'ai de l'expérience dans ce domaine et du "
                                               "temps pour m'y mettre.")


def _partners(cast: Cast) -> None:
    """A Métropole service that forwards orphan opportunities, a social centre that relays
    needs; both registered a webhook address on a reserved example domain (its deliveries fail,
    and their log shows it)."""
    metropole_area = cast.territories[places.METROPOLE.code]
    service = forwarding.create_organisation(
        cast.admin, "Amiens Métropole — Direction du développement économique",
        OrganisationKind.METROPOLE_SERVICE, metropole_area.id)
    etouvie = cast.territories.get("amiens-etouvie")
    relay = forwarding.create_organisation(
        cast.admin, "Centre social et culturel d'Étouvie", OrganisationKind.RELAY,
        etouvie.id if etouvie else None)
    forwarding.attach_user(cast.admin, service, cast.metropole.email)
    forwarding.attach_user(cast.admin, relay, cast.relay.email)
    # Set directly, without the use case's DNS check: the demo contacts no host at seed time.
    service.webhook_url = "https://crm.amiens-metropole.example/webhooks/fabrique"
    relay.webhook_url = "https://centre-social-etouvie.example/fabrique/evenements"
    db.session.commit()
    published = []
    for organisation, author, item in (
            (service, cast.metropole, dict(
                title="Reprise de la blanchisserie industrielle de Longueau",
                description="Le gérant part à la retraite en juin sans repreneur : 9 salariés, "
                            "des clients hospitaliers fidèles. Une reprise en SCOP ou par une "
                            "entreprise d'insertion est envisageable.",
                territory_id=cast.territories.get("80489", cast.territories["80021"]).id,
                theme_id=cast.themes["insertion"], reference="DDE-2026-014",
                contact="Service développement économique, 03 22 00 00 00",
                possible_partners="URSCOP, France Active Picardie")),
            (service, cast.metropole, dict(
                title="Un local de 1 200 m² libre pour une activité de réemploi",
                description="L'ancien entrepôt de la zone Montières est vacant et la Métropole "
                            "cherche une activité de réemploi des matériaux pour l'occuper "
                            "avec un bail à loyer modéré.",
                territory_id=cast.territories["amiens-montieres"].id,
                theme_id=cast.themes["environnement"],
                reference="DDE-2026-021")),
            (service, cast.metropole, dict(
                title="Une cuisine centrale sous-utilisée à Camon",
                description="La cuisine de l'ancien collège peut produire 600 repas par jour et "
                            "ne sert plus. Elle pourrait accueillir une activité de "
                            "restauration solidaire ou de portage de repas.",
                territory_id=cast.territories.get("80164", cast.territories["80021"]).id,
                theme_id=cast.themes["alimentation"], reference="DDE-2026-033")),
            (relay, cast.relay, dict(
                title="Des mamans d'Étouvie cherchent une aide pour les démarches en ligne",
                description="Lors de nos ateliers du mardi, une vingtaine de mères nous ont dit "
                            "ne pas réussir à faire leurs démarches CAF et France Travail en "
                            "ligne, faute d'ordinateur et d'accompagnement.",
                territory_id=(etouvie or cast.territories["80021"]).id,
                theme_id=cast.themes["numerique"], kind=SubmissionKind.NEED,
                gathering_method="workshop", people_count=22, reference="CS-ETV-07")),
            (relay, cast.relay, dict(
                title="Pas de solution de garde pour aller en formation à Étouvie",
                description="Au questionnaire de rentrée, 14 parents disent avoir renoncé à une "
                            "formation faute de garde pour leurs enfants de moins de trois ans, "
                            "surtout le matin.",
                territory_id=(etouvie or cast.territories["80021"]).id,
                theme_id=cast.themes["enfance-jeunesse"], kind=SubmissionKind.NEED,
                gathering_method="questionnaire", people_count=14, reference="CS-ETV-09"))):
        submission, _created = forwarding.forward(organisation, author, **item)
        published.append(submission)
    blanchisserie, entrepot, cuisine, demarches, _garde = published
    for submission in (entrepot, cuisine, demarches):
        posting.publish(submission, cast.moderator)
    posting.decline(blanchisserie, cast.moderator,
                    "Une reprise par les salariés est déjà accompagnée par l'URSCOP : nous "
                    "restons en contact.")
    pipeline.attach(cast.leads["recyclerie"], cast.moderator, [entrepot.id])
    pipeline.attach(cast.leads["numerique"], cast.moderator, [demarches.id])


LOOKALIKES = [
    ("need", "Une laverie solidaire à Amiens Nord",
     "Beaucoup de familles d'Amiens Nord n'ont pas de machine à laver ni de place pour sécher "
     "le linge. Une laverie solidaire avec des prix bas et un coin pour discuter serait utile."),
    ("need", "Laverie solidaire pour les familles d'Amiens Nord",
     "Je n'ai pas de machine à laver et la laverie du centre est chère et loin. Une laverie "
     "solidaire à Amiens Nord aiderait beaucoup de familles du quartier."),
    ("idea", "Des machines à laver partagées à Amiens Nord, une laverie solidaire",
     "On pourrait installer une laverie solidaire dans un local du bailleur à Amiens Nord : "
     "machines partagées, séchoir, et un café pour se retrouver entre voisins."),
]


def _queue(cast: Cast) -> None:
    """Look-alikes to merge: one published, two waiting; and a pair already merged."""
    north = cast.territories.get("amiens-nord", cast.territories["80021"]).id
    theme = cast.themes["culture-lien-social"]
    authors = [u for u in cast.residents if u.id != cast.resident.id]
    rows = []
    for author, (kind, title, body) in zip((authors[6], cast.resident, authors[7]), LOOKALIKES,
                                           strict=True):
        rows.append(posting.submit(author, kind=kind, title=title, body=body,
                                   territory_id=north, theme_id=theme))
    posting.publish(rows[0], cast.moderator)
    older = posting.submit(authors[8], kind="idea", title="Un compost collectif rue de Cagny",
                           body="Nos épluchures pourraient nourrir un compost collectif au "
                                "pied des immeubles de la rue de Cagny, avec un référent.",
                           territory_id=cast.territories["80021"].id,
                           theme_id=cast.themes["environnement"])
    twin = posting.submit(authors[9], kind="idea", title="Compost collectif près de la rue "
                          "de Cagny", body="Un compost collectif au pied des immeubles de la "
                          "rue de Cagny réduirait nos poubelles ; je veux bien m'en occuper.",
                          territory_id=cast.territories["80021"].id,
                          theme_id=cast.themes["environnement"])
    for submission in (older, twin):
        posting.publish(submission, cast.moderator)
    votes.support(authors[10], twin)
    merging.merge(cast.moderator, [twin], older)


def _flags(cast: Cast) -> None:
    """One contribution hidden after three reports, one reported once, one reported comment."""
    targets = db.session.scalars(
        select(Submission).where(Submission.status == SubmissionStatus.PUBLISHED,
                                 Submission.partner_organisation_id.is_(None))
        .order_by(Submission.support_count, Submission.id).limit(2)).all()
    reporters = [u for u in cast.residents if u.id != cast.resident.id][11:]
    if len(targets) == 2:
        hidden, reported = targets
        for user, reason in zip((u for u in reporters if u.id != hidden.author_id),
                                ("spam", "off_topic", "spam"), strict=False):
            flags.flag_submission(user, hidden, reason, "Texte publicitaire, sans rapport.")
        user = next(u for u in reporters if u.id != reported.author_id)
        flags.flag_submission(user, reported, "personal_data",
                              "Le texte donne le nom et l'adresse d'un voisin.")
    comment = db.session.scalar(
        select(Comment).join(Submission).where(Comment.deleted_at.is_(None),
                                               Submission.status.in_(OPEN_STATUSES))
        .order_by(Comment.id))
    if comment is not None:
        user = next(u for u in reporters if u.id != comment.author_id)
        flags.flag_comment(user, comment, "insult", "Ton agressif envers l'autrice.")


def _enterprise(cast: Cast) -> None:
    """The childcare lead ends in an enterprise, once its carrier was chosen among the offers."""
    _garde_offers(cast)
    garde = cast.leads["garde"]
    pipeline.record_creation(
        garde, cast.moderator, name="Les P'tits Matins", legal_form="SCIC SAS",
        created_on=(cast.now - timedelta(days=45)).date(),
        note="Immatriculation de la SCIC Les P'tits Matins : 7 emplois (5,2 équivalents temps "
             "plein), dont 3 personnes en reprise d'emploi ; 32 places ouvertes de 5 h 30 à "
             "22 h.")
    _when(cast, garde, 45)


def play(cast: Cast) -> dict[str, int]:
    _pipeline(cast)
    _workshops(cast)
    _offers(cast)
    _enterprise(cast)
    _partners(cast)
    _flags(cast)
    _queue(cast)
    db.session.commit()
    return {
        "pistes de projet": len(cast.leads),
        "comités": db.session.scalar(select(db.func.count(CommitteeMeeting.id))),
        "décisions": db.session.scalar(select(db.func.count(AgendaItem.id))
                                       .where(AgendaItem.decision.is_not(None))),
    }

