"""The demo's map and thématiques: Amiens Métropole as residents name it.

Communes are real members of the Amiens Métropole agglomeration, coded by their INSEE code; the
quartiers of Amiens carry the priority flag when they are quartiers prioritaires de la ville.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..extensions import db
from ..models import Territory, TerritoryLevel, Theme


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    at: str  # how a resident says "in this place": "à Dury", "dans le quartier Pierre Rollin"
    weight: int  # how many demo residents and contributions it gets, relatively
    is_priority_area: bool = False
    is_rural: bool = False


#: The root, coded by the agglomeration's SIREN number.
METROPOLE = Place("248000531", "Amiens Métropole", "dans la métropole", 0)

#: 20 of the 39 member communes; Amiens first.
COMMUNES = [
    Place("80021", "Amiens", "à Amiens", 14),
    Place("80489", "Longueau", "à Longueau", 4),
    Place("80164", "Camon", "à Camon", 4),
    Place("80674", "Rivery", "à Rivery", 3),
    Place("80725", "Salouël", "à Salouël", 3),
    Place("80724", "Saleux", "à Saleux", 3),
    Place("80261", "Dury", "à Dury", 2),
    Place("80632", "Pont-de-Metz", "à Pont-de-Metz", 2),
    Place("80131", "Boves", "à Boves", 3),
    Place("80160", "Cagny", "à Cagny", 2),
    Place("80256", "Dreuil-lès-Amiens", "à Dreuil-lès-Amiens", 2),
    Place("80379", "Glisy", "à Glisy", 1, is_rural=True),
    Place("80639", "Poulainville", "à Poulainville", 1, is_rural=True),
    Place("80702", "Saint-Fuscien", "à Saint-Fuscien", 1, is_rural=True),
    Place("80092", "Bertangles", "à Bertangles", 1, is_rural=True),
    Place("80020", "Allonville", "à Allonville", 1, is_rural=True),
    Place("80650", "Querrieu", "à Querrieu", 1, is_rural=True),
    Place("80173", "Cardonnette", "à Cardonnette", 1, is_rural=True),
    Place("80107", "Blangy-Tronville", "à Blangy-Tronville", 1, is_rural=True),
    Place("80305", "Ferrières", "à Ferrières", 1, is_rural=True),
]

#: Neighbourhoods of Amiens (COMMUNES[0]).
QUARTIERS = [
    Place("amiens-etouvie", "Étouvie", "à Étouvie", 6, is_priority_area=True),
    Place("amiens-nord", "Amiens Nord", "à Amiens Nord", 7, is_priority_area=True),
    Place("amiens-pierre-rollin", "Pierre Rollin", "dans le quartier Pierre Rollin", 4,
          is_priority_area=True),
    Place("amiens-phileas-lebesgue", "Philéas Lebesgue", "dans le quartier Philéas Lebesgue", 4,
          is_priority_area=True),
    Place("amiens-marcel-paul-salamandre", "Marcel Paul – Salamandre",
          "à Marcel Paul – Salamandre", 4, is_priority_area=True),
    Place("amiens-saint-maurice", "Saint-Maurice", "à Saint-Maurice", 3),
    Place("amiens-saint-leu", "Saint-Leu", "à Saint-Leu", 4),
    Place("amiens-henriville", "Henriville", "à Henriville", 3),
    Place("amiens-saint-acheul", "Saint-Acheul", "à Saint-Acheul", 3),
    Place("amiens-montieres", "Montières", "à Montières", 2),
    Place("amiens-centre-ville", "Centre-ville", "dans le centre-ville d'Amiens", 4),
]

#: (code, French name, English name), in the order the portal lists them.
THEMES = [
    ("mobilite", "Mobilité", "Mobility"),
    ("alimentation", "Alimentation", "Food"),
    ("bien-vieillir", "Bien-vieillir", "Ageing well"),
    ("insertion", "Insertion et emploi", "Inclusion and employment"),
    ("logement", "Logement", "Housing"),
    ("environnement", "Environnement et réemploi", "Environment and reuse"),
    ("sante", "Santé", "Health"),
    ("enfance-jeunesse", "Enfance et jeunesse", "Children and youth"),
    ("culture-lien-social", "Culture et lien social", "Culture and social ties"),
    ("numerique", "Inclusion numérique", "Digital inclusion"),
]


def _add(place: Place, level: str, parent: Territory | None) -> Territory:
    """Flush to learn the id, which the materialised path needs."""
    territory = Territory(code=place.code, name=place.name, level=level,
                          parent_id=parent.id if parent else None,
                          is_priority_area=place.is_priority_area, is_rural=place.is_rural)
    db.session.add(territory)
    db.session.flush()
    territory.path = f"{parent.path if parent else '/'}{territory.id}/"
    return territory


def create_territories() -> dict[str, Territory]:
    """The tree métropole > communes > quartiers of Amiens, keyed by code. Does not commit."""
    root = _add(METROPOLE, TerritoryLevel.METROPOLE, None)
    created = {root.code: root}
    for place in COMMUNES:
        created[place.code] = _add(place, TerritoryLevel.COMMUNE, root)
    for place in QUARTIERS:
        created[place.code] = _add(place, TerritoryLevel.QUARTIER, created[COMMUNES[0].code])
    return created


def create_themes() -> dict[str, Theme]:
    """The thématiques keyed by code, positioned in list order. Does not commit."""
    themes = {code: Theme(code=code, name_fr=name_fr, name_en=name_en, position=position)
              for position, (code, name_fr, name_en) in enumerate(THEMES, start=1)}
    db.session.add_all(themes.values())
    db.session.flush()
    return themes
