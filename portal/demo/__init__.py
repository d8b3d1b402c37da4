"""`flask seed-demo`: a realistic Amiens Métropole to try, show and test the portal on.

Everything comes from one `random.Random(seed)`, so the same seed gives the same residents,
contributions, supports and comments. Rows are inserted in bulk and the password is hashed once:
a demo of a few hundred residents loads in seconds. The counters are made exact at the end by
`services.counters.recount`, the same repair any other bulk load uses.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import current_app
from sqlalchemy import func, insert, select

from ..extensions import db
from ..models import (
    OPEN_STATUSES,
    AuthorOffer,
    Comment,
    Follow,
    NotificationFrequency,
    Role,
    Submission,
    SubmissionKind,
    SubmissionSource,
    SubmissionStatus,
    Territory,
    User,
    Vote,
    utcnow,
)
from ..services.accounts.access import hash_password
from ..services.core.text import normalise
from ..services.submissions import search
from ..services.submissions.counters import recount
from . import places, story, texts

DEMO_PASSWORD = "fabrique-demo-2026"  # noqa: S105 (the demo's published password)
#: Accepted by the login form's e-mail check (a special-use domain such as .local is not).
DOMAIN = "demo.fabrique-amiens.fr"
#: The demo's named accounts: (local part, display name, role, what to look at with it).
ACCOUNTS = (
    ("habitante", "Camille D.", Role.RESIDENT,
     "a resident: notifications, supports, an offer, a contribution waiting in the queue"),
    ("moderatrice", "Claire, chargée de mission", Role.MODERATOR,
     "the moderator: the queue, look-alikes to merge, reports, the lead board, committees"),
    ("comite", "Jean-Marc, comité d'engagement", Role.COMMITTEE,
     "a committee member: the meetings and their decisions"),
    ("metropole", "Sophie, développement économique", Role.RESIDENT,
     "the partner of the Métropole's service: forwarded opportunities, webhook log"),
    ("centre-social", "Karim, centre social d'Étouvie", Role.RESIDENT,
     "the partner of the social centre: needs it relayed, one now part of a lead"),
    ("admin", "Administration de la Fabrique", Role.ADMIN,
     "the administrator: organisations, tokens, the outbox, roles"),
)
TRENDING_WINDOW = timedelta(days=14)
#: Where each kind of text is posted (Template.where), weighted by Place.weight.
REGIONS = {
    "priority": [p for p in places.QUARTIERS if p.is_priority_area],
    "urban": places.QUARTIERS + [p for p in places.COMMUNES if not p.is_rural],
    "suburb": [p for p in places.COMMUNES[1:] if not p.is_rural],
    "rural": [p for p in places.COMMUNES if p.is_rural],
    "any": places.COMMUNES + places.QUARTIERS,
}


@dataclass
class Demo:
    """What the steps share: the random source, the clock and the rows made so far."""

    rng: random.Random
    now: datetime
    territories: dict[str, Territory]
    residents: list[User]
    moderator: User

    def moment(self, start: datetime) -> datetime:
        """A random instant between start and now."""
        return start + max(self.now - start, timedelta(0)) * self.rng.random()

    def pick_place(self, where: str) -> places.Place:
        if where == "metropole":
            return places.METROPOLE
        candidates = REGIONS[where]
        return self.rng.choices(candidates, weights=[p.weight for p in candidates])[0]


def seed_demo(residents: int = 300, seed: int = 2026) -> dict[str, int]:
    """Fill an empty database with the demo métropole; returns how many of each thing it made."""
    if db.session.scalar(select(Territory.id).limit(1)) is not None:
        raise click.ClickException(
            "The database already has territories: seed-demo runs on an empty database.")
    rng = random.Random(seed)
    now = utcnow()
    territories = places.create_territories()
    themes = places.create_themes()
    password_hash = hash_password(DEMO_PASSWORD)
    accounts = _staff(now, password_hash)
    demo = Demo(rng, now, territories, _residents(rng, now, residents, territories, password_hash),
                accounts["moderatrice"])
    submissions = _submissions(demo, {code: theme.id for code, theme in themes.items()},
                               count=max(30, min(180, residents * 3 // 5)))
    votes, follows = _supports(demo, submissions)
    comments = _comments(demo, submissions, votes)
    for model, rows in ((Vote, votes), (Follow, follows), (Comment, comments)):
        if rows:
            db.session.execute(insert(model), rows)
    recount()
    db.session.commit()
    cast = story.Cast(
        moderator=accounts["moderatrice"], admin=accounts["admin"],
        committee=accounts["comite"], resident=accounts["habitante"],
        metropole=accounts["metropole"], relay=accounts["centre-social"],
        residents=[*demo.residents, accounts["habitante"]], territories=territories,
        themes={code: theme.id for code, theme in themes.items()}, now=now)
    # What the story's use cases queue (mail, webhook events) stays in the outbox: nothing is
    # delivered while seeding, the web process or the worker delivers it later.
    config = current_app.config
    delivery, config["OUTBOX_DELIVERY"] = config["OUTBOX_DELIVERY"], "manual"
    try:
        told = story.play(cast)
    finally:
        config["OUTBOX_DELIVERY"] = delivery
    recount()
    db.session.commit()
    return {
        "territoires": len(territories),
        "thématiques": len(themes),
        "habitant·es": len(demo.residents),
        "contributions": db.session.scalar(select(func.count(Submission.id))),
        "soutiens": db.session.scalar(select(func.count(Vote.id))),
        "commentaires": len(comments),
        **told,
    }


def _staff(now: datetime, password_hash: str) -> dict[str, User]:
    """The named accounts of ACCOUNTS, keyed by local part (partners are residents until the
    admin attaches them to their organisation, in the story)."""
    since = now - timedelta(days=400)
    users = {local: User(email=f"{local}@{DOMAIN}", display_name=name, role=role,
                         password_hash=password_hash, consent_at=since, email_verified_at=since,
                         created_at=since)
             for local, name, role, _what in ACCOUNTS}
    db.session.add_all(users.values())
    db.session.flush()
    return users


def _residents(rng: random.Random, now: datetime, count: int,
               territories: dict[str, Territory], password_hash: str) -> list[User]:
    """Residents who joined over the last six months, ids in the order they signed up."""
    homes = REGIONS["any"]
    joined = sorted(now - timedelta(days=182) * rng.random() for _ in range(count))
    users = []
    for n, created in enumerate(joined, start=1):
        first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
        local = normalise(f"{first}.{last}")
        home = rng.choices(homes, weights=[p.weight for p in homes])[0]
        users.append(User(
            email=f"{local}.{n}@{DOMAIN}", display_name=f"{first} {last[0]}.",
            password_hash=password_hash, role=Role.RESIDENT, consent_at=created,
            email_verified_at=min(created + timedelta(minutes=rng.randint(2, 90)), now),
            created_at=created,
            home_territory_id=territories[home.code].id if rng.random() < 0.75 else None,
            # Most read a daily digest or only the site's list, as the settings page offers.
            notification_frequency=rng.choices(list(NotificationFrequency),
                                               weights=(15, 70, 15))[0],
        ))
    db.session.add_all(users)
    db.session.flush()
    return users


def _template_order(rng: random.Random, count: int) -> list[texts.Template]:
    """Every template in turn, reshuffled each round; one whose title names no place is used
    once, so no two contributions share a title."""
    order: list[texts.Template] = []
    while len(order) < count:
        round_ = [t for t in texts.TEMPLATES if "{" in t.title or t not in order]
        rng.shuffle(round_)
        order.extend(round_)
    return order[:count]


def _author(demo: Demo, territory_id: int, before: datetime) -> User:
    """Preferably someone who lives there; always someone who had joined by then."""
    joined = [u for u in demo.residents if u.created_at < before] or demo.residents[:1]
    locals_ = [u for u in joined if u.home_territory_id == territory_id]
    return demo.rng.choice(locals_ if locals_ and demo.rng.random() < 0.7 else joined)


def _submissions(demo: Demo, theme_ids: dict[str, int], count: int) -> list[Submission]:
    """Needs and ideas from the templates, each about a place where such a thing is said."""
    rng, used = demo.rng, set()
    rows = []
    for template in _template_order(rng, count):
        place = demo.pick_place(template.where)
        for _ in range(10):  # the same text twice about the same place would look like a bug
            if (template.title, place.code) not in used:
                break
            place = demo.pick_place(template.where)
        used.add((template.title, place.code))
        title = template.title.format(at=place.at, name=place.name)
        body = template.body.format(at=place.at, name=place.name)
        created = demo.now - timedelta(days=120) * rng.random()
        territory_id = demo.territories[place.code].id
        offer_weights = (55, 20, 25) if template.kind == SubmissionKind.IDEA else (75, 5, 20)
        rows.append(Submission(
            kind=template.kind, source=SubmissionSource.RESIDENT, title=title, body=body,
            search_text=search.index_text(title, body), search_title=search.index_title(title),
            excerpt=search.excerpt(body),
            target_public=rng.choice(template.publics)
            if template.publics and rng.random() < 0.6 else None,
            author_offer=rng.choices(list(AuthorOffer), weights=offer_weights)[0],
            territory_id=territory_id, theme_id=theme_ids[template.theme],
            author_id=_author(demo, territory_id, created).id, created_at=created,
            updated_at=created, support_count=0, comment_count=0,
        ))
    _moderate(demo, rows)
    db.session.add_all(rows)
    db.session.flush()
    return rows


def _moderate(demo: Demo, rows: list[Submission]) -> None:
    """The newest wait in the queue; the moderator published the rest, studies a few older
    needs and declined a few, always with a public answer."""
    rng, now = demo.rng, demo.now
    rows.sort(key=lambda s: s.created_at)  # so ids follow the order of posting too
    pending = rows[-max(1, len(rows) * 7 // 100):]
    reviewed = rows[:len(rows) - len(pending)]
    old_needs = [s for s in reviewed
                 if s.kind == SubmissionKind.NEED and s.created_at < now - timedelta(days=30)]
    pool = old_needs or reviewed[:1]
    studied = rng.sample(pool, min(len(pool), max(1, len(rows) * 4 // 100)))
    others = [s for s in reviewed if s not in studied]
    declined = rng.sample(others, min(len(others), max(1, len(rows) * 5 // 100)))
    for submission in pending:
        submission.status = SubmissionStatus.PENDING
    for submission in reviewed:
        submission.status = SubmissionStatus.PUBLISHED
        submission.published_at = min(
            submission.created_at + timedelta(hours=rng.uniform(1, 20)), now)
        submission.moderated_at = submission.updated_at = submission.published_at
    for submission, status, answers, delay in (
            *((s, SubmissionStatus.UNDER_STUDY, texts.STUDY_ANSWERS, 15) for s in studied),
            *((s, SubmissionStatus.DECLINED, texts.DECLINE_REASONS, 0) for s in declined)):
        answered = min(submission.published_at + timedelta(days=rng.uniform(0, delay)), now)
        submission.status = status
        submission.public_answer = rng.choice(answers)
        submission.answered_at = submission.moderated_at = submission.updated_at = answered
        submission.answered_by_id = demo.moderator.id


def _support_targets(demo: Demo, open_: list[Submission]) -> dict[int, int]:
    """Skewed like a real board: a few needs of the denser places gather 60-120 supports, most
    contributions get 0-15."""
    rng = demo.rng
    rural = {t.id for t in demo.territories.values() if t.is_rural}
    needs = [s for s in open_ if s.kind == SubmissionKind.NEED and s.territory_id not in rural]
    rng.shuffle(needs)
    popular = [s for s in needs if s.status == SubmissionStatus.UNDER_STUDY]
    popular += [s for s in needs if s not in popular][:max(1, len(open_) // 30)]
    notable = [s for s in open_ if s not in popular]
    rng.shuffle(notable)
    notable = notable[:len(open_) // 15]
    targets = {s.id: min(15, int(rng.expovariate(1 / 5))) for s in open_}
    targets.update({s.id: rng.randint(16, 45) for s in notable})
    targets.update({s.id: rng.randint(60, 120) for s in popular})
    return targets


def _supports(demo: Demo, submissions: list[Submission]) -> tuple[list[dict], list[dict]]:
    """Vote rows on open submissions, never by the author; authors and supporters follow."""
    rng, now = demo.rng, demo.now
    follows = [{"submission_id": s.id, "user_id": s.author_id, "created_at": s.created_at}
               for s in submissions]
    open_ = [s for s in submissions if s.status in OPEN_STATUSES]
    targets = _support_targets(demo, open_)
    votes = []
    for submission in open_:
        voters = [u for u in demo.residents if u.id != submission.author_id]
        for voter in rng.sample(voters, min(len(voters), targets[submission.id])):
            start = max(submission.published_at, voter.created_at)
            recent = now - TRENDING_WINDOW
            when = demo.moment(recent if start < recent and rng.random() < 0.3 else start)
            votes.append({"submission_id": submission.id, "user_id": voter.id, "created_at": when})
            follows.append({"submission_id": submission.id, "user_id": voter.id,
                            "created_at": when})
    return votes, follows


def _comments(demo: Demo, submissions: list[Submission], votes: list[dict]) -> list[dict]:
    """0-8 short comments per open submission, more on the popular ones, a few author replies."""
    rng = demo.rng
    supports: dict[int, int] = {}
    for vote in votes:
        supports[vote["submission_id"]] = supports.get(vote["submission_id"], 0) + 1
    rows = []
    for submission in (s for s in submissions if s.status in OPEN_STATUSES):
        count = min(8, rng.randint(0, 3) + supports.get(submission.id, 0) // 20)
        moments = sorted(demo.moment(submission.published_at) for _ in range(count))
        for body, when in zip(rng.sample(texts.COMMENTS, count), moments, strict=True):
            writers = [u for u in demo.residents
                       if u.created_at < when and u.id != submission.author_id]
            if writers:
                rows.append(_comment(demo, submission, rng.choice(writers).id, body, when))
        if count >= 2 and rng.random() < 0.3:
            rows.append(_comment(demo, submission, submission.author_id,
                                 rng.choice(texts.AUTHOR_REPLIES), demo.moment(moments[-1])))
    return rows


def _comment(demo: Demo, submission: Submission, author_id: int, body: str,
             when: datetime) -> dict:
    """A few comments were deleted by their author: the thread keeps their place."""
    deleted = (min(when + timedelta(minutes=demo.rng.randint(5, 300)), demo.now)
               if demo.rng.random() < 0.04 else None)
    return {"submission_id": submission.id, "author_id": author_id, "body": body,
            "created_at": when, "deleted_at": deleted}
