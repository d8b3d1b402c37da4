"""What the demo's residents write, in their own words.

A demo is judged on its texts: listings, search and the moderation queue only look real when the
contributions read like what people of Amiens Métropole would actually post.
`{at}` becomes "à Dury" or "dans le quartier Pierre Rollin", `{name}` the bare place name.
"""
from __future__ import annotations

from typing import NamedTuple


class Template(NamedTuple):
    kind: str  # need | idea
    theme: str  # a Theme code
    where: str  # priority | urban | suburb | rural | any | metropole: where such a text is posted
    title: str
    body: str
    publics: tuple[str, ...] = ()


SENIORS = ("personnes âgées isolées", "retraité·es vivant seul·es")
SINGLE_PARENTS = ("familles monoparentales", "mères seules qui travaillent")
YOUTH = ("jeunes de 16 à 25 ans", "jeunes sans permis")
JOBSEEKERS = ("demandeurs et demandeuses d'emploi", "personnes en insertion")
FAMILIES = ("familles aux revenus modestes", "parents de jeunes enfants")

TEMPLATES = [
    Template("need", "bien-vieillir", "priority", "Des personnes âgées très isolées {at}",
             "Dans ma tour, plusieurs voisins de plus de 80 ans ne sortent presque plus depuis "
             "que l'ascenseur tombe en panne une semaine sur deux. Certains ne voient personne à "
             "part l'infirmière. Il faudrait quelqu'un qui passe les voir, qui aide pour les "
             "courses et qui organise de temps en temps un café entre voisins.", SENIORS),
    Template("need", "alimentation", "suburb",
             "Plus de commerce alimentaire {at} depuis la fermeture de la supérette",
             "Depuis que la supérette a fermé, il faut prendre la voiture pour acheter du pain ou "
             "du lait. Pour les personnes âgées et celles qui n'ont pas le permis, c'est un vrai "
             "problème. Un petit commerce, même ouvert trois jours par semaine, ou un point de "
             "retrait de produits locaux changerait la vie du quartier.", SENIORS),
    Template("need", "enfance-jeunesse", "urban",
             "Garde d'enfants en horaires décalés pour les soignantes du CHU",
             "Je suis aide-soignante au CHU Amiens-Picardie et je commence à 6 h 30. Aucune "
             "crèche n'ouvre avant 7 h 30 et les assistantes maternelles qui acceptent ces "
             "horaires sont complètes. **Nous sommes beaucoup dans ce cas**, souvent des mamans "
             "seules. Une garde tôt le matin, tard le soir et le week-end nous permettrait de "
             "garder notre travail.", (*SINGLE_PARENTS, "soignantes en horaires décalés")),
    Template("idea", "mobilite", "urban", "Un atelier de réparation de vélos {at}",
             "Plein de vélos dorment dans les caves pour une chambre à air ou des freins à "
             "changer. Je propose un atelier où l'on apprend à réparer soi-même, avec des outils "
             "partagés et des bénévoles. On pourrait aussi remettre en état des vélos donnés et "
             "les revendre à petit prix aux jeunes et aux demandeurs d'emploi.", YOUTH),
    Template("idea", "environnement", "any", "Une recyclerie {at}",
             "On jette énormément de meubles, d'électroménager et de jouets en bon état. Une "
             "recyclerie pourrait :\n\n- collecter à domicile sur rendez-vous ;\n- réparer et "
             "revendre à petits prix ;\n- proposer des ateliers pour apprendre à réparer.\n\n"
             "Et ça créerait des emplois en insertion."),
    Template("idea", "alimentation", "priority", "Une épicerie solidaire {at}",
             "Beaucoup de familles du quartier vont jusqu'au centre-ville pour l'aide "
             "alimentaire et repartent chargées en bus. Une épicerie solidaire sur place, avec "
             "des prix adaptés aux revenus et des produits frais, permettrait de choisir ce qu'on "
             "mange au lieu de recevoir un colis. On pourrait y ajouter des ateliers cuisine.",
             FAMILIES + SINGLE_PARENTS),
    Template("need", "mobilite", "rural", "Aller travailler sans voiture depuis {name}",
             "Le car passe deux fois par jour et pas du tout pendant les vacances. Pour "
             "rejoindre l'Espace industriel nord à 6 h du matin, il n'y a rien. Des jeunes du "
             "village refusent des contrats faute de pouvoir s'y rendre.", YOUTH + JOBSEEKERS),
    Template("idea", "mobilite", "metropole", "Un transport à la demande vers les zones d'emploi",
             "Les zones d'activités de la métropole sont mal desservies aux heures où commencent "
             "les équipes (5 h, 13 h, 21 h). Un service de minibus à réserver la veille, partagé "
             "entre plusieurs entreprises, éviterait que des personnes refusent un emploi faute "
             "de transport. Les employeurs pourraient participer au financement.", JOBSEEKERS),
    Template("idea", "environnement", "urban", "Des jardins partagés {at}",
             "Il y a des pelouses entre les immeubles que personne n'utilise. On pourrait y faire "
             "des jardins partagés, avec des parcelles pour les familles et une pour l'école. "
             "Ça crée du lien, ça apprend aux enfants d'où viennent les légumes et ça fait baisser "
             "un peu la facture de courses.", FAMILIES),
    Template("idea", "culture-lien-social", "priority", "Une laverie solidaire {at}",
             "Beaucoup de familles n'ont pas de machine à laver ou pas la place pour sécher le "
             "linge. La laverie la plus proche est chère et ferme tôt. Une laverie solidaire, "
             "avec des prix bas, un coin café et des emplois en insertion, serait utile **et** "
             "deviendrait un lieu de rencontre.", FAMILIES),
    Template("idea", "culture-lien-social", "urban", "Une conciergerie de quartier {at}",
             "Une conciergerie de quartier pourrait rendre plein de petits services : réception "
             "de colis, dépôt de clés, petites réparations, aide pour les courses des personnes "
             "âgées. Elle emploierait des habitant·es du quartier. Il en existe ailleurs, "
             "pourquoi pas chez nous ?"),
    Template("idea", "culture-lien-social", "any", "Un tiers-lieu {at}",
             "Il nous manque un endroit où l'on peut à la fois travailler, boire un café, "
             "réparer un objet et monter des projets entre voisins. Un tiers-lieu dans un local "
             "vide de la commune, géré par une association ou une coopérative, pourrait "
             "accueillir des permanences et des ateliers."),
    Template("need", "numerique", "priority", "Aide pour les démarches en ligne {at}",
             "Tout se fait sur internet maintenant : CAF, impôts, carte grise, prise de "
             "rendez-vous. Beaucoup de voisins n'y arrivent pas seuls et n'osent pas demander. "
             "La permanence de la mairie est saturée et il faut attendre des semaines. Il "
             "faudrait un accompagnement numérique près de chez nous, avec des gens patients.",
             (*SENIORS, "personnes éloignées du numérique")),
    Template("need", "sante", "priority", "Trouver un médecin généraliste {at}",
             "Deux médecins sont partis à la retraite et n'ont pas été remplacés. Les cabinets "
             "ne prennent plus de nouveaux patients et on finit aux urgences pour une angine. "
             "Pour les personnes âgées et les familles sans voiture, c'est très compliqué."),
    Template("need", "bien-vieillir", "rural", "Portage de repas pour les anciens de {name}",
             "Plusieurs personnes âgées du village ne peuvent plus cuisiner ni aller faire leurs "
             "courses. Le portage de repas existant ne passe pas chez nous ou coûte trop cher. "
             "Un service local, avec des produits des fermes voisines, leur permettrait de rester "
             "chez elles plus longtemps.", SENIORS),
    Template("need", "enfance-jeunesse", "priority",
             "Rien pour les ados le soir et le week-end {at}",
             "Le centre social ferme à 18 h et le week-end. Les ados traînent en bas des tours "
             "parce qu'ils n'ont nulle part où aller. Ils ont plein d'idées mais aucun lieu ni "
             "adulte pour les accompagner.", ("adolescent·es de 12 à 17 ans",)),
    Template("need", "insertion", "priority",
             "Des jeunes sortis de l'école sans diplôme et sans rien {at}",
             "Je connais au moins dix jeunes de mon immeuble qui ne sont ni en formation ni en "
             "emploi. La mission locale est loin et ils ne s'y sentent pas à leur place. Il "
             "faudrait des premiers boulots près de chez eux, encadrés, pour reprendre le rythme "
             "et gagner un peu d'argent.", YOUTH),
    Template("idea", "insertion", "any", "Une auto-école solidaire {at}",
             "Le permis coûte plus de 1 500 €, c'est impossible pour beaucoup de jeunes et de "
             "demandeurs d'emploi. Une auto-école solidaire, avec des tarifs selon les revenus "
             "et un accompagnement pour le code, ouvrirait des portes pour l'emploi.",
             YOUTH + JOBSEEKERS),
    Template("need", "logement", "urban", "Logements humides et factures de chauffage énormes {at}",
             "Notre appartement est plein de moisissures et on paie 200 € de chauffage par mois "
             "l'hiver. Le bailleur dit que c'est notre faute. On aimerait être aidés pour "
             "comprendre nos droits, faire des petits travaux et baisser les factures.",
             FAMILIES),
    Template("idea", "logement", "urban", "Des colocations entre étudiant·es et personnes âgées",
             "Beaucoup de personnes âgées vivent seules dans de grandes maisons et beaucoup "
             "d'étudiant·es ne trouvent pas de logement abordable. Une structure qui met en "
             "relation, qui accompagne et qui règle les petits conflits permettrait à chacun "
             "d'y gagner : de la compagnie d'un côté, un loyer modéré de l'autre.",
             (*SENIORS, "étudiant·es")),
    Template("idea", "environnement", "urban", "Un compost de quartier {at}",
             "La moitié de notre poubelle, ce sont des épluchures. Un compost collectif au pied "
             "des immeubles, avec un maître composteur quelques heures par semaine, réduirait "
             "les déchets et fournirait du compost aux jardins partagés."),
    Template("need", "alimentation", "priority", "Manger sain coûte trop cher {at}",
             "Les fruits et légumes frais sont devenus hors de prix au supermarché du quartier. "
             "Avec trois enfants, je fais attention à tout et c'est souvent les pâtes qui "
             "gagnent. On voudrait des produits frais à prix accessibles, pourquoi pas en direct "
             "des maraîchers des hortillonnages.", FAMILIES),
    Template("idea", "alimentation", "any", "Un restaurant solidaire {at}",
             "Un restaurant où l'on paie selon ses moyens, où des personnes en insertion "
             "apprennent le métier et où les habitant·es peuvent venir cuisiner une fois par "
             "mois les plats de leur pays. Un lieu pour bien manger *et* se rencontrer.",
             JOBSEEKERS),
    Template("idea", "alimentation", "rural", "Un marché de producteurs le vendredi soir {at}",
             "Il y a plusieurs fermes autour de chez nous mais leurs produits partent tous à "
             "Amiens. Un petit marché le vendredi soir sur la place, ou un casier de retrait, "
             "ferait vivre le village et les producteurs."),
    Template("need", "mobilite", "any",
             "Personne pour conduire les anciens {at} à leurs rendez-vous médicaux",
             "Ma voisine de 86 ans a raté deux rendez-vous chez le cardiologue parce que "
             "personne ne pouvait l'emmener. Les taxis conventionnés ne prennent pas toujours, "
             "et le bus avec un déambulateur, c'est impossible. Un transport solidaire avec des "
             "chauffeurs bénévoles ou salariés aiderait beaucoup de monde.", SENIORS),
    Template("idea", "environnement", "metropole", "Réemployer les matériaux de chantier",
             "Sur les chantiers de la métropole, on jette des portes, des fenêtres, du carrelage "
             "neuf. Une plateforme de réemploi pourrait les récupérer, les trier et les revendre "
             "aux particuliers et aux associations. C'est un vrai gisement d'emplois locaux."),
    Template("idea", "culture-lien-social", "priority", "Un café associatif {at}",
             "Il n'y a plus aucun café dans le quartier. Un café associatif, tenu par des "
             "habitant·es avec quelques salariés, permettrait de se retrouver, d'organiser des "
             "soirées jeux, des concerts, des permanences. **Je suis prête à donner du temps.**"),
    Template("need", "enfance-jeunesse", "any",
             "Du soutien scolaire gratuit pour les collégiens {at}",
             "Mon fils est en 4e et décroche en maths. Les cours particuliers coûtent 25 € de "
             "l'heure, je ne peux pas. L'aide aux devoirs de l'école est complète. Beaucoup de "
             "parents sont dans la même situation.", FAMILIES),
    Template("need", "sante", "any", "Soutenir les aidants familiaux {at}",
             "Je m'occupe de ma mère atteinte d'Alzheimer depuis quatre ans. Je suis épuisée et "
             "je n'ai jamais un après-midi pour moi. Il manque un accueil de jour proche et des "
             "personnes formées qui pourraient prendre le relais quelques heures.",
             ("aidantes et aidants familiaux",)),
    Template("idea", "numerique", "any", "Des ordinateurs reconditionnés à petit prix {at}",
             "Les entreprises et les administrations changent leurs ordinateurs tous les quatre "
             "ans. On pourrait les reconditionner et les vendre 50 € aux familles et aux "
             "étudiant·es, avec une petite formation. Les enfants en ont besoin pour l'école.",
             FAMILIES),
    Template("need", "insertion", "any",
             "Impossible d'aller en formation sans solution de garde {at}",
             "Pôle emploi, pardon France Travail, m'a proposé une formation d'aide-comptable. "
             "Mais les cours finissent à 18 h et la crèche ferme à 18 h 15 à l'autre bout de la "
             "ville. J'ai dû refuser. Beaucoup de mères seules vivent la même chose.",
             SINGLE_PARENTS),
    Template("idea", "mobilite", "urban", "Des vélos-cargos en location {at}",
             "Faire les courses ou amener deux enfants à l'école à vélo, c'est possible avec un "
             "vélo-cargo, mais ça coûte 3 000 €. Une location à la journée ou au mois, avec un "
             "essai accompagné, donnerait envie à beaucoup de familles de laisser la voiture.",
             FAMILIES),
    Template("need", "bien-vieillir", "any", "Aide pour les petits travaux chez les anciens {at}",
             "Changer une ampoule, poser une barre dans la douche, réparer une fuite : pour mes "
             "parents, chaque petit travail devient un problème. Les artisans ne se déplacent "
             "pas pour si peu. Un service de petits travaux à prix raisonnable leur permettrait "
             "de rester chez eux en sécurité.", SENIORS),
    Template("idea", "insertion", "any", "Un atelier de couture et de retouches {at}",
             "Plusieurs femmes du quartier savent très bien coudre mais n'ont pas de travail. Un "
             "atelier de retouches et de confection, avec des machines partagées, pourrait "
             "devenir une petite entreprise et proposer des prix doux.",
             ("femmes éloignées de l'emploi",)),
    Template("need", "culture-lien-social", "rural",
             "Plus de lieu pour se retrouver {at} depuis que le café a fermé",
             "Depuis la fermeture du café, il n'y a plus d'endroit où croiser ses voisins. Les "
             "nouveaux habitants ne connaissent personne et les anciens restent chez eux. Un "
             "lieu convivial, même ouvert deux soirs par semaine, redonnerait vie au village."),
    Template("idea", "alimentation", "rural", "Une conserverie partagée {at}",
             "L'été, les jardins débordent de tomates et de courgettes qui finissent au compost. "
             "Une conserverie partagée, avec un autoclave et quelqu'un pour former, permettrait "
             "de faire des bocaux pour l'hiver et de vendre les surplus."),
    Template("need", "sante", "priority", "Écoute et soutien psychologique pour les jeunes {at}",
             "Depuis le Covid, beaucoup de jeunes vont mal : anxiété, isolement, décrochage. Le "
             "CMP a plus de six mois d'attente. Il faudrait un lieu d'écoute sans rendez-vous, "
             "gratuit et près de chez eux.", YOUTH),
    Template("idea", "enfance-jeunesse", "any", "Une ludothèque {at}",
             "Les jeux de société coûtent cher et les enfants s'en lassent vite. Une ludothèque "
             "avec prêt de jeux, soirées jeux en famille et animations pendant les vacances, ce "
             "serait génial. J'ai déjà une centaine de jeux à donner pour commencer !", FAMILIES),
    Template("need", "numerique", "rural", "Une permanence numérique qui passe {at}",
             "La maison France services la plus proche est à vingt minutes en voiture. Pour "
             "imprimer un document ou faire une démarche, beaucoup d'habitant·es dépendent de "
             "leurs enfants. Une permanence itinérante, une demi-journée par mois, suffirait.",
             SENIORS),
    Template("idea", "logement", "rural", "Un habitat partagé pour vieillir {at}",
             "Nos parents ne veulent pas partir en EHPAD à Amiens mais leur maison devient trop "
             "grande. Un petit habitat partagé au village, avec quelques logements adaptés et une "
             "salle commune, leur permettrait de rester près de chez eux.", SENIORS),
    Template("need", "insertion", "priority", "Passer le permis quand on a peu de moyens {at}",
             "Sans permis, pas de travail ; sans travail, pas de permis. Beaucoup de jeunes du "
             "quartier sont bloqués là. Il faudrait des aides plus simples et un accompagnement "
             "au code en petits groupes.", YOUTH),
    Template("idea", "environnement", "urban", "Une bricothèque {at}",
             "Une perceuse sert en moyenne douze minutes dans sa vie. Une bricothèque où l'on "
             "emprunte outils, escabeau ou nettoyeur vapeur, avec des conseils pour s'en "
             "servir, éviterait à chacun d'acheter et rendrait service aux locataires."),
    Template("need", "alimentation", "urban", "Des étudiant·es qui sautent des repas {at}",
             "Je suis étudiante à l'UPJV et beaucoup de mes amis sautent des repas en fin de "
             "mois. Le restaurant universitaire est loin de certains logements et les "
             "distributions ont des files énormes. On aurait besoin de solutions de proximité.",
             ("étudiant·es",)),
    Template("idea", "insertion", "any", "Une régie de quartier {at}",
             "L'entretien des espaces verts, le nettoyage des halls et les petites réparations "
             "sont faits par des entreprises extérieures. Une régie de quartier confierait ce "
             "travail à des habitant·es, avec un accompagnement vers l'emploi.", JOBSEEKERS),
    Template("need", "environnement", "any", "Les encombrants s'entassent sur les trottoirs {at}",
             "Les gens qui n'ont pas de voiture ne peuvent pas aller à la déchetterie, alors les "
             "matelas et les meubles finissent sur le trottoir. Un service de collecte à petit "
             "prix, qui trierait ce qui peut être réutilisé, réglerait une partie du problème."),
    Template("idea", "sante", "metropole", "Un bus santé dans les quartiers et les villages",
             "Un bus aménagé avec une infirmière, des dépistages et de la prévention pourrait "
             "passer une fois par semaine dans les quartiers et les villages sans médecin. "
             "Beaucoup de gens ne se soignent plus faute de rendez-vous ou de transport."),
    Template("need", "enfance-jeunesse", "rural", "Pas d'accueil le mercredi pour les enfants {at}",
             "L'école est fermée le mercredi et il n'y a aucun accueil de loisirs dans la "
             "commune. Les parents qui travaillent doivent faire 15 km aller-retour à midi. Un "
             "accueil, même partagé avec les villages voisins, nous aiderait beaucoup.",
             FAMILIES + SINGLE_PARENTS),
    Template("idea", "culture-lien-social", "any", "Des cours de français pour les parents {at}",
             "Beaucoup de mamans arrivées récemment ne parlent pas encore français et n'osent "
             "pas aller aux réunions de l'école. Des cours le matin, pendant que les enfants "
             "sont en classe, avec une garde pour les petits, les aideraient à trouver leur "
             "place et du travail.", ("parents allophones",)),
]

DECLINE_REASONS = [
    "Merci pour cette contribution. Ce besoin relève directement d'un service de la "
    "collectivité : nous l'avons transmis au service concerné, qui vous répondra.",
    "Merci ! Une initiative très proche existe déjà à moins de deux kilomètres. Nous "
    "préférons vous mettre en relation avec elle plutôt que de créer une structure concurrente.",
    "Merci pour cette idée. Après étude, le territoire est trop petit pour qu'une activité "
    "économique soit viable. Nous la gardons en tête si des communes voisines expriment le "
    "même besoin.",
    "Cette contribution décrit un problème entre voisins qui relève plutôt du bailleur ou de la "
    "médiation. Nous vous invitons à contacter le conseil citoyen de votre quartier.",
    "Merci pour votre message. Tel qu'il est rédigé, il met en cause des personnes nommément : "
    "nous ne pouvons pas le publier. N'hésitez pas à le reformuler en décrivant le besoin.",
    "Cette demande concerne une compétence de l'État (santé, éducation nationale) sur laquelle la "
    "Fabrique ne peut pas agir directement. Nous l'avons signalée à nos partenaires.",
]

STUDY_ANSWERS = [
    "Merci à toutes et tous ! Ce besoin est à l'étude : nous rencontrons les structures qui "
    "agissent déjà sur ce sujet pour vérifier ce qui existe et ce qui manque.",
    "Ce besoin a été présenté au comité de pilotage. La Fabrique lance une étude d'opportunité "
    "et organisera un atelier ouvert aux habitant·es dans les prochaines semaines.",
    "Vous êtes nombreux à soutenir cette idée. Nous étudions avec la commune et deux partenaires "
    "la possibilité d'un local et d'un modèle économique.",
    "La Fabrique étudie ce besoin avec le centre social et la mission locale. Nous reviendrons "
    "vers vous ici même pour vous tenir informés.",
]

COMMENTS = [
    "Tout à fait d'accord, c'est exactement ce qui manque.",
    "Même constat chez nous, ça fait des années que ça dure.",
    "Je soutiens ! Ma mère est dans ce cas.",
    "Très bonne idée, je serais prête à donner un coup de main le samedi.",
    "Ça existe à Lille, ça marche très bien. Il faudrait aller voir comment ils font.",
    "Et pourquoi pas dans l'ancien local de la Poste ? Il est vide depuis deux ans.",
    "Je suis retraité, ancien mécanicien, je peux aider.",
    "Il faudrait que les horaires soient adaptés à ceux qui travaillent.",
    "Enfin quelqu'un qui en parle !",
    "Attention à ne pas faire concurrence à l'association qui fait déjà un peu ça.",
    "Super idée. Le centre social pourrait être partenaire.",
    "Je suis assistante maternelle, je confirme que la demande est énorme.",
    "On en a parlé au conseil citoyen la semaine dernière, tout le monde était pour.",
    "Il faudrait aussi penser aux personnes en fauteuil.",
    "Mes enfants en auraient bien besoin.",
    "Oui ! Et ça pourrait créer quelques emplois pour les jeunes du coin.",
    "Je partage sur le groupe Facebook du quartier.",
    "C'est un vrai sujet, surtout l'hiver.",
    "Ma fille a dû refuser un travail à cause de ça.",
    "Est-ce que la commune a été contactée ?",
    "Bravo pour cette proposition, très bien expliquée.",
    "Je suis partante pour en discuter, il faudrait faire une réunion.",
    "On pourrait commencer petit, un jour par semaine, et voir si ça prend.",
    "Je travaille dans le secteur, n'hésitez pas si vous avez besoin de conseils.",
    "100 % d'accord. Les prix ont explosé.",
    "Il y a un terrain en friche derrière le gymnase qui pourrait servir.",
    "Pareil à Camon, on est plusieurs à chercher une solution.",
    "J'ai signé, et j'en ai parlé à mes voisins.",
]

AUTHOR_REPLIES = [
    "Merci à toutes et tous pour vos soutiens, je ne pensais pas que nous étions si nombreux !",
    "Merci pour vos messages. Si vous voulez qu'on se réunisse, dites-le ici.",
    "Bonne remarque, je n'y avais pas pensé.",
    "Merci ! Je veux bien être tenue au courant si la Fabrique s'en empare.",
]

FIRST_NAMES = [
    "Nadia", "Karim", "Sophie", "Mamadou", "Fatou", "Kévin", "Jordan", "Chantal", "Monique",
    "Gérard", "Camille", "Léa", "Thomas", "Nathalie", "Sandrine", "Mohamed", "Aïcha", "Yasmine",
    "Julien", "Céline", "Bernard", "Jacqueline", "Lucas", "Manon", "Inès", "Samir", "Rachid",
    "Émilie", "Aurélie", "Dylan", "Océane", "Christophe", "Isabelle", "Sylvie", "Patrick",
    "Françoise", "Mathieu", "Amandine", "Sébastien", "Laetitia", "Hugo", "Chloé", "Youssef",
    "Khadija", "Marie", "Pierre", "Jeanne", "Alain", "Brigitte", "Mélanie", "Aminata", "Ibrahim",
    "Linh", "Anaïs", "Bruno", "Josiane", "Théo", "Elodie", "Djamila", "Franck",
]

LAST_NAMES = [
    "Lefebvre", "Dupont", "Leroy", "Caron", "Boulanger", "Lemaire", "Dumont", "Vasseur",
    "Carpentier", "Delattre", "Petit", "Benali", "Diallo", "Nguyen", "Lenoir", "Devillers",
    "Lefèvre", "Martin", "Bernard", "Duval", "Fournier", "Bouchez", "Dubois", "Traoré",
    "Hamidi", "Poiret", "Flament", "Leclercq", "Bouzid", "Cousin", "Morel", "Lecomte",
    "Ramdani", "Sow", "Delcourt", "Wallet", "Roussel", "Picard", "Quentin", "Vérin",
]
