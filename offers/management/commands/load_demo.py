"""Load the demo board: the five seed postings, rewritten in our own words.

Every contact is at example.org. Dates are relative to today, so the board
always has open offers, one closing this week and one already closed.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from textwrap import dedent

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from offers.models import (
    Benefit,
    Country,
    GroupComposition,
    Institution,
    Language,
    Offer,
    Organisation,
    Place,
    PoliticalGroup,
    RequiredLanguage,
    Story,
)


def md(text: str) -> str:
    """Markdown written indented in this file, without the indentation (which Markdown reads as code)."""
    return dedent(text).strip()


# Organisations. `initials` marks the main ones, which get a drawn logo on their accent colour.
ORGANISATIONS = [
    {
        "slug": "ecolo",
        "name": "Ecolo",
        "kind": Organisation.Kind.PARTY,
        "country": Country.BELGIUM,
        "website": "https://ecolo.be",
        "accent_colour": "#2b7a3d",
        "initials": "E",
        "presentation": md("""
            Ecolo est le parti écologiste francophone de Belgique, présent en Wallonie et à Bruxelles.
            Ses idées sont défendues par des élu·es dans les communes, les provinces et les parlements,
            et portées sur le terrain par plus de 24 000 bénévoles réparti·es dans plus de 200 Locales.

            Une équipe salariée fait tourner le parti au quotidien : communication, informatique,
            événements, conseil politique, soutien aux mandataires.
        """),
        "working_with_us": md("""
            Travailler chez Ecolo, c'est mettre son métier au service d'un projet politique. Nos
            salarié·es épaulent les élu·es locaux, assistent les parlementaires, conseillent le parti
            sur les politiques publiques, organisent congrès et manifestations, répondent à la presse
            ou font tourner le parc informatique.

            Nos offres en cours sont publiées sur cette page. Aucune ne vous correspond ? Envoyez-nous
            une candidature spontanée avec le formulaire du site : nous la gardons pour nos prochains
            recrutements. Vous cherchez un stage ? Écrivez-nous par e-mail en précisant votre école,
            la période souhaitée et si une convention de stage est nécessaire.

            Pour vous faire une idée du quotidien, lisez les témoignages de celles et ceux qui
            travaillent déjà chez nous.
        """),
        "candidate_expectations": md("""
            Un parti comme Ecolo repose sur trois grandes familles. Les bénévoles, des milliers,
            font vivre les Locales. Les mandataires portent nos idées dans les assemblées et les
            exécutifs. Les permanent·es, enfin, forment l'équipe salariée qui soutient les deux autres.

            En postulant, c'est cette troisième famille que vous rejoignez. Nous attendons de vous de
            solides compétences dans votre métier, une conviction écologiste sincère et
            le goût de travailler avec des bénévoles et des élu·es, chacun·e dans son rôle.

            Claire, chargée de la formation et du recrutement, l'explique en détail dans son témoignage.
        """),
        "accepts_spontaneous_applications": True,
        "accepts_internship_requests": True,
        "internship_requests_email": "stages@ecolo.example.org",  # its careers page: "Envoyez un mail"
        "applications_email": "recrutement@ecolo.example.org",
    },
    {
        "slug": "ecoloj",
        "name": "EcoloJ",
        "kind": Organisation.Kind.YOUTH_WING,
        "parent": "ecolo",
        "country": Country.BELGIUM,
        "website": "https://ecoloj.be",
        "accent_colour": "#0b6e4f",
        "initials": "EJ",
        "presentation": md("""
            EcoloJ est l'organisation de jeunesse d'Ecolo. Elle rassemble des jeunes qui militent pour
            l'écologie politique : formations, campagnes, actions et débats.
        """),
    },
    {
        "slug": "groen",
        "name": "Groen",
        "kind": Organisation.Kind.PARTY,
        "country": Country.BELGIUM,
        "website": "https://www.groen.be",
        "presentation": "Le parti écologiste néerlandophone de Belgique, partenaire d'Ecolo à la Chambre.",
    },
    {
        "slug": "les-engages",
        "name": "Les Engagés",
        "kind": Organisation.Kind.PARTY,
        "country": Country.BELGIUM,
        "website": "https://www.lesengages.be",
        "accent_colour": "#00666e",
        "initials": "LE",
        "presentation": md("""
            Les Engagés sont un mouvement politique francophone de Belgique. À la Chambre des
            représentants, leur groupe compte 14 député·es, épaulé·es par une vingtaine de
            collaborateurs et collaboratrices.
        """),
    },
    {
        "slug": "les-ecologistes-eelv",
        "name": "Les Écologistes – EELV",
        "short_name": "EELV",
        "kind": Organisation.Kind.PARTY,
        "country": Country.FRANCE,
        "website": "https://lesecologistes.fr",
    },
    {
        "slug": "generation-s",
        "name": "Génération.s",
        "kind": Organisation.Kind.PARTY,
        "country": Country.FRANCE,
        "website": "https://www.generation-s.fr",
    },
    {
        "slug": "la-france-insoumise",
        "name": "La France insoumise",
        "short_name": "LFI",
        "kind": Organisation.Kind.PARTY,
        "country": Country.FRANCE,
        "website": "https://lafranceinsoumise.fr",
    },
    {
        "slug": "generation-ecologie",
        "name": "Génération écologie",
        "kind": Organisation.Kind.PARTY,
        "country": Country.FRANCE,
        "website": "https://www.generationecologie.fr",
    },
    {
        "slug": "groupe-ecologiste-nord",
        "name": "Groupe écologiste au Département du Nord",
        "short_name": "Écologistes du Nord",
        "kind": Organisation.Kind.POLITICAL_GROUP,
        "country": Country.FRANCE,
        "accent_colour": "#2e6b30",
        "initials": "GEN",
        "presentation": md("""
            Les élu·es écologistes d'Europe Écologie Les Verts et de Génération.s au conseil
            départemental du Nord, et l'équipe qui les accompagne.
        """),
    },
    {
        "slug": "groupe-ecologiste-hauts-de-france",
        "name": "Groupe écologiste au Conseil régional des Hauts-de-France",
        "short_name": "Écologistes Hauts-de-France",
        "kind": Organisation.Kind.POLITICAL_GROUP,
        "country": Country.FRANCE,
        "accent_colour": "#2d6a4f",
        "initials": "HDF",
        "presentation": md("""
            Quatorze conseillers et conseillères régionaux écologistes, insoumis et sans étiquette,
            élu·es dans tous les départements des Hauts-de-France.
        """),
    },
    {
        "slug": "l-ecologie-ensemble",
        "name": "L'Écologie ensemble",
        "kind": Organisation.Kind.POLITICAL_GROUP,
        "country": Country.FRANCE,
        "accent_colour": "#1a5e9a",
        "initials": "EE",
        "presentation": md("""
            Groupe d'opposition au Conseil régional des Pays de la Loire, issu du rassemblement d'une
            dizaine de partis et de citoyen·nes sans carte de parti.
        """),
    },
]

INSTITUTIONS = [
    {
        "slug": "chambre-des-representants",
        "name": "Chambre des représentants",
        "level": Institution.Level.NATIONAL,
        "country": Country.BELGIUM,
        "seat": "Palais de la Nation, Bruxelles",
        "website": "https://www.lachambre.be",
        "term_ends_year": 2029,
    },
    {
        "slug": "departement-du-nord",
        "name": "Département du Nord",
        "level": Institution.Level.PROVINCIAL,
        "country": Country.FRANCE,
        "region": "Hauts-de-France",
        "seat": "Hôtel du Département, Lille",
        "website": "https://lenord.fr",
        "term_started_on": date(2021, 6, 27),
        "term_ends_year": 2028,
    },
    {
        "slug": "conseil-regional-hauts-de-france",
        "name": "Conseil régional des Hauts-de-France",
        "level": Institution.Level.REGIONAL,
        "country": Country.FRANCE,
        "region": "Hauts-de-France",
        "seat": "Hôtel de Région, Lille",
        "website": "https://www.hautsdefrance.fr",
        "term_started_on": date(2021, 6, 27),
        "term_ends_year": 2028,
    },
    {
        "slug": "conseil-regional-pays-de-la-loire",
        "name": "Conseil régional des Pays de la Loire",
        "level": Institution.Level.REGIONAL,
        "country": Country.FRANCE,
        "region": "Pays de la Loire",
        "seat": "Hôtel de Région, Nantes",
        "website": "https://www.paysdelaloire.fr",
        "term_started_on": date(2021, 6, 27),
        "term_ends_year": 2028,
    },
]

# `composition`: (party slug, seats); no party means non-affiliated, no seats means unknown.
GROUPS = [
    {
        "slug": "ecolo-groen-chambre",
        "name": "Groupe Ecolo-Groen",
        "institution": "chambre-des-representants",
        "organisation": "ecolo",
        "seats": 9,  # the 2024–2029 legislature
        "description": md("""
            Les député·es francophones d'Ecolo et néerlandophones de Groen siègent ensemble à la
            Chambre : une famille écologiste, deux partis, deux langues.
        """),
        "composition": [("groen", 6), ("ecolo", 3)],
    },
    {
        "slug": "les-engages-chambre",
        "name": "Groupe Les Engagés",
        "institution": "chambre-des-representants",
        "organisation": "les-engages",
        "seats": 14,
        "description": "14 député·es fédéraux et une vingtaine de collaborateurs et collaboratrices.",
        "composition": [("les-engages", 14)],
    },
    {
        "slug": "ecologistes-departement-nord",
        "name": "Groupe écologiste EÉLV – Génération.s",
        "institution": "departement-du-nord",
        "organisation": "groupe-ecologiste-nord",
        "seats": None,  # the posting gives no head count
        "description": "Les conseillers et conseillères départementaux écologistes du Nord.",
        "composition": [("les-ecologistes-eelv", None), ("generation-s", None)],
    },
    {
        "slug": "ecologistes-hauts-de-france",
        "name": "Groupe écologiste",
        "institution": "conseil-regional-hauts-de-france",
        "organisation": "groupe-ecologiste-hauts-de-france",
        "seats": 14,
        "description": md("""
            Quatorze élu·es, présent·es dans chaque département de la région : sept membres
            d'EELV, cinq de La France insoumise, un·e de Génération.s et un·e élu·e sans parti.
        """),
        "composition": [("les-ecologistes-eelv", 7), ("la-france-insoumise", 5), ("generation-s", 1), (None, 1)],
    },
    {
        "slug": "ecologie-ensemble-pays-de-la-loire",
        "name": "L'Écologie ensemble",
        "institution": "conseil-regional-pays-de-la-loire",
        "organisation": "l-ecologie-ensemble",
        "seats": 12,
        "description": md("""
            Principale force d'opposition au Conseil régional, le groupe réunit douze élu·es issu·es
            de plusieurs partis écologistes et de gauche, et une élue sans étiquette.
        """),
        "composition": [
            ("les-ecologistes-eelv", None),
            ("generation-ecologie", None),
            ("generation-s", None),
            ("la-france-insoumise", None),
            (None, 1),
        ],
    },
]

# Offers. Besides model fields: `organisation` and `group` by slug; the calendar in days
# (published N days ago, deadline in N days, selection as (from, to) days after the deadline,
# start on the first of the month N months after the deadline); places, languages, benefits.
DEMO_NOTICE = "*Offre de démonstration : au-delà de l'intitulé, du lieu et du contrat, les conditions sont inventées.*"

OFFERS = [
    {
        "slug": "ecolo-groen-charge-e-de-communication",
        "title": "Chargé.e de communication du groupe Ecolo-Groen à la Chambre",
        "organisation": "ecolo",
        "group": "ecolo-groen-chambre",
        "published_days_ago": 9,
        "deadline_in_days": 12,
        "interviews": (5, 9),
        "contract_type": Offer.ContractType.FIXED_TERM,
        "contract_detail": "CDD de 12 mois, renouvelable",
        "duration": "12 mois",
        "start_precision": Offer.StartPrecision.ASAP,
        "reporting_line": "Coordination du groupe Ecolo-Groen",
        "remote_policy": Offer.RemotePolicy.PARTIAL,
        "remote_days_per_week": Decimal("1"),
        "remote_detail": "Un jour de télétravail par semaine, hors semaines de séance plénière.",
        "context": md(f"""
            Ecolo et Groen forment un groupe commun à la Chambre des représentants. Pour mieux faire
            connaître son travail parlementaire, le groupe recrute un·e chargé·e de communication.

            {DEMO_NOTICE}
        """),
        "missions": md("""
            - Faire connaître le travail du groupe sur les réseaux sociaux et sur son site
            - Rédiger communiqués et lettres d'information, en lien avec les collègues de Groen
            - Tirer des visuels et de courtes vidéos des interventions en plénière et en commission
            - Suivre l'actualité parlementaire et proposer des réactions rapides
        """),
        "profile": md("""
            - Deux ans d'expérience au moins en communication, idéalement politique ou associative
            - Une excellente plume en français et une bonne connaissance du néerlandais
            - De l'aisance avec les outils de création de contenus (vidéo, visuels)
            - L'envie de défendre les idées de l'écologie politique
        """),
        "what_we_offer": md("""
            - Un CDD d'un an au cœur du travail parlementaire fédéral
            - Une équipe bilingue et engagée
            - Chèques-repas et abonnement de transports en commun remboursé
        """),
        "pay_min": Decimal("3300"),
        "pay_max": Decimal("3800"),
        "pay_note": "Montants inventés pour la démonstration.",
        "contact_role": "Service recrutement d'Ecolo",
        "contact_email": "recrutement@ecolo.example.org",
        "places": [
            {
                "kind": Place.Kind.SEAT,
                "name": "Chambre des représentants",
                "locality": "Bruxelles",
                "region": "Bruxelles-Capitale",
                "country": Country.BELGIUM,
            },
        ],  # fmt: skip
        "languages": [(Language.DUTCH, RequiredLanguage.Level.B2, "oral et écrit")],
        "benefits": [
            (Benefit.Kind.MEAL_VOUCHERS, "Chèques-repas"),
            (Benefit.Kind.TRANSPORT, "Abonnement de transports en commun remboursé"),
        ],
    },
    {
        "slug": "ecoloj-coordinateur-trice",
        "title": "Coordinateur·trice d'EcoloJ",
        "organisation": "ecoloj",
        "published_days_ago": 4,
        "deadline_in_days": 26,
        "interviews": (7, 14),
        "start_months_after_deadline": 2,
        "contract_type": Offer.ContractType.PERMANENT,
        "working_time": Offer.WorkingTime.PART_TIME,
        "working_time_percent": 80,
        "start_precision": Offer.StartPrecision.MONTH,
        "reporting_line": "Le bureau d'EcoloJ",
        "travel": Offer.Travel.OCCASIONAL,
        "travel_detail": "En Wallonie et à Bruxelles, parfois en soirée ou le week-end",
        "remote_policy": Offer.RemotePolicy.PARTIAL,
        "remote_days_per_week": Decimal("1"),
        "context": md(f"""
            EcoloJ, l'organisation de jeunesse d'Ecolo, cherche la personne qui fera tourner son
            secrétariat et accompagnera ses bénévoles.

            {DEMO_NOTICE}
        """),
        "missions": md("""
            - Coordonner le secrétariat et épauler les bénévoles du bureau
            - Organiser formations, week-ends militants et campagnes
            - Suivre le budget et les démarches administratives
            - Faire le lien avec Ecolo et avec les autres organisations de jeunesse
        """),
        "profile": md("""
            - Une première expérience de coordination, dans une association ou un mouvement de jeunesse
            - Le sens de l'organisation et le goût du travail avec des bénévoles
            - Une bonne connaissance du paysage politique belge
        """),
        "what_we_offer": md("""
            - Un CDI à 4/5 temps
            - Une équipe jeune et militante
            - Chèques-repas et transports en commun remboursés
        """),
        "pay_min": Decimal("2900"),
        "pay_max": Decimal("3300"),
        "pay_note": "Pour un 4/5 temps ; montants inventés pour la démonstration.",
        "contact_role": "Bureau d'EcoloJ",
        "contact_email": "bureau@ecoloj.example.org",
        "places": [
            {
                "kind": Place.Kind.OFFICE,
                "name": "Secrétariat d'EcoloJ",
                "locality": "Bruxelles",
                "region": "Bruxelles-Capitale",
                "country": Country.BELGIUM,
            },
        ],  # fmt: skip
        "benefits": [
            (Benefit.Kind.MEAL_VOUCHERS, "Chèques-repas"),
            (Benefit.Kind.TRANSPORT, "Transports en commun remboursés"),
        ],
    },
    {
        # The closed one: still published, its deadline passed.
        "slug": "stage-charge-e-de-mission-groupe-ecologiste-nord",
        "title": "Stage gratifié – Chargé·e de mission auprès du groupe écologiste au Département du Nord",
        "organisation": "groupe-ecologiste-nord",
        "group": "ecologistes-departement-nord",
        "published_days_ago": 38,
        "deadline_in_days": -10,
        "interviews": (2, 2),
        "start_months_after_deadline": 2,
        "contract_type": Offer.ContractType.INTERNSHIP,
        "contract_detail": "Stage gratifié, sous convention de stage",
        "duration": "4 à 6 mois",
        "start_precision": Offer.StartPrecision.MONTH,
        "start_note": "ou le mois suivant",
        "reporting_line": "La présidente du groupe et le secrétaire général du groupe",
        "remote_policy": Offer.RemotePolicy.PARTIAL,
        "remote_detail": "Télétravail partiel possible.",
        "context": md("""
            Le groupe écologiste du Département du Nord réunit des élu·es d'Europe Écologie Les Verts
            et de Génération.s. Il accueille un·e stagiaire pour l'épauler dans sa communication, son
            secrétariat et le suivi des dossiers départementaux.
        """),
        "missions": md("""
            - **Communication** : animer les réseaux sociaux du groupe (Twitter, Facebook, Instagram)
              et son site, filmer et monter des vidéos, écrire et envoyer les lettres d'information,
              renforcer la présence du groupe dans les cantons et dans tout le département.
            - **Secrétariat du groupe** : participer à son fonctionnement, notamment à l'préparation
              des jurys citoyens prévus pour les Actions d'Intérêt Local.
            - **Travail institutionnel** : aider le secrétaire général à préparer les séances du
              conseil départemental et les commissions ; analyser et résumer les dossiers du
              Département ; appuyer les élu·es sur ses compétences ; contribuer aux comptes rendus,
              notes, interventions et communiqués de presse.
            - **Ancrage local** : resserrer les liens avec les groupes locaux du département, à partir
              d'une cartographie à jour des acteurs de terrain.
        """),
        "profile": md("""
            - Vous étudiez la science politique, l'administration publique ou la communication politique
            - Une plume aisée et le goût d'analyser puis de résumer
            - Vous êtes disponible et autonome, vous savez vous organiser et trier l'urgent de
              l'important
            - Vous savez vous servir des outils du son, de la vidéo, de la mise en page, du web et
              de l'envoi de courriels en nombre ; WordPress serait un atout
            - Connaissance des domaines d'action d'un département
            - Un vif intérêt pour l'écologie politique
        """),
        "what_we_offer": md("""
            - Une gratification d'environ 600 € par mois
            - Des titres-restaurant, dont l'employeur paie la moitié
            - La moitié de l'abonnement de transports en commun remboursée
            - Du télétravail partiel possible
        """),
        "pay_min": Decimal("600"),
        "pay_max": Decimal("600"),
        "pay_note": "environ",
        "apply_method": Offer.ApplyMethod.EMAIL,
        "apply_email": "stage@ecologistes-nord.example.org",
        "contact_role": "Présidente du groupe écologiste",
        "contact_email": "stage@ecologistes-nord.example.org",
        "places": [
            {
                "kind": Place.Kind.SEAT,
                "name": "Hôtel du Département",
                "locality": "Lille",
                "region": "Hauts-de-France",
                "country": Country.FRANCE,
            },
        ],  # fmt: skip
        "benefits": [
            (Benefit.Kind.MEAL_VOUCHERS, "Part employeur 50 %"),
            (Benefit.Kind.TRANSPORT, "Transports en commun remboursés à 50 %"),
        ],
    },
    {
        "slug": "secretaire-general-e-groupe-ecologiste-hauts-de-france",
        "title": "Secrétaire général·e du groupe écologiste au Conseil régional des Hauts-de-France",
        "organisation": "groupe-ecologiste-hauts-de-france",
        "group": "ecologistes-hauts-de-france",
        "published_days_ago": 20,
        "deadline_in_days": 5,
        "interviews": (2, 6),
        "contract_type": Offer.ContractType.FIXED_TERM,
        "contract_detail": "Contrat de collaborateur·trice de groupe d'élus, CDD à temps plein",
        "employer_of_record": "Région Hauts-de-France",
        "ends_with_term": True,
        "start_precision": Offer.StartPrecision.ASAP,
        "reporting_line": "Présidence et bureau du groupe",
        "travel": Offer.Travel.FREQUENT,
        "travel_detail": "Dans toute la région",
        "context": md("""
            Le groupe compte quatorze élu·es venu·es de chacun des départements de la région :
            sept sont membres d'EELV, cinq de La France insoumise, un·e de Génération.s, et un·e élu·e
            n'a pas de carte de parti. Le ou la secrétaire général·e anime les échanges entre élu·es
            et veille au bon fonctionnement du groupe.
        """),
        "missions": md("""
            ### Faire vivre le groupe

            - Accompagner politiquement le groupe au quotidien et animer son bureau
            - Aider à construire les stratégies politiques
            - Coordonner l'action politique du groupe sur l'ensemble du territoire régional
            - Préparer les réunions et séminaires du groupe, organiser ses prises de position
            - Soutenir les élu·es dans leur mandat : commissions, organismes extérieurs, territoires,
              groupes de travail…
            - Bâtir un plan de formation

            ### Suivre les travaux du Conseil régional

            - Suivre politiquement les séances plénières et les commissions permanentes : présence aux
              réunions, suivi de la conférence des présidents, propositions et rédaction d'amendements
              et de vœux
            - Rédiger des notes sur les enjeux politiques
            - Organiser et suivre les votes
            - Construire les stratégies de communication avec l'équipe
            - Travailler en bonne intelligence avec le cabinet et l'administration de l'assemblée
            - Animer l'intergroupe

            ### Coordonner avec l'extérieur

            Partager l'information, organiser des événements et travailler sur le fond avec :

            - les partis représentés dans le groupe ;
            - les militant·es locaux ;
            - les associations, entreprises et groupements d'intérêt de la région ;
            - les autres élu·es : parlementaires, élu·es d'autres régions, des départements et des
              communes.

            ### Porter la communication

            - Établir un plan de communication du groupe avec l'équipe communication
            - Organiser des événements et y participer
            - Assurer la veille médias et les relations avec la presse

            ### Animer l'équipe et gérer la logistique

            - Animer le travail de l'équipe salariée
            - Suivre les moyens financiers du groupe
        """),
        "profile": md("""
            ### Connaissances

            - Stratégie politique
            - Enjeux de la transition écologique
            - Fonctionnement des collectivités, à commencer par la Région Hauts-de-France
            - Encadrement d'une équipe salariée et animation de réunions
            - Relations humaines et médiation
            - Aisance rédactionnelle

            ### Qualités

            - Autonomie et sens des priorités
            - Conscience écologique
            - Grande disponibilité
            - Initiative et réflexion stratégique
            - Goût du travail d'équipe et capacité à déléguer
            - Diplomatie et sens de la négociation
        """),
        "what_we_offer": md("""
            - Un contrat de collaborateur·trice de groupe à temps plein, jusqu'à la fin de la mandature
            - Une rémunération sur la grille des agents contractuels de catégorie A de la fonction
              publique territoriale
        """),
        "pay_scale": "Grille des agents contractuels de catégorie A de la fonction publique territoriale",
        "pay_note": "Rémunération selon profil sur cette grille",
        "apply_method": Offer.ApplyMethod.EMAIL,
        "apply_email": "recrutement@ecologistes-hdf.example.org",
        "contact_email": "recrutement@ecologistes-hdf.example.org",
        "places": [
            {
                "kind": Place.Kind.SEAT,
                "name": "Hôtel de Région",
                "locality": "Lille",
                "region": "Hauts-de-France",
                "country": Country.FRANCE,
            },
            {"kind": Place.Kind.OFFICE, "locality": "Amiens", "region": "Hauts-de-France", "country": Country.FRANCE},
        ],  # fmt: skip
    },
    {
        "slug": "adjoint-e-direction-groupe-les-engages-chambre",
        "title": (
            "Adjoint·e à la direction – responsable des services support et communication "
            "et du pilotage des travaux (h/f/x)"
        ),
        "organisation": "les-engages",
        "group": "les-engages-chambre",
        "published_days_ago": 12,
        "deadline_in_days": 19,
        "interviews": (3, 14),
        "contract_type": Offer.ContractType.PERMANENT,
        "employer_of_record": "Groupe Les Engagés à la Chambre des représentants",
        "start_precision": Offer.StartPrecision.ASAP,
        "reporting_line": "Le secrétaire politique, qui dirige l'équipe",
        "remote_policy": Offer.RemotePolicy.PARTIAL,
        "remote_days_per_week": Decimal("2"),
        "remote_detail": (
            "Présence à la Chambre du mardi au jeudi, au moins jusqu'à 18 h, plus tard quand une plénière "
            "ou une commission importante se prolonge en soirée ; télétravail le lundi et le vendredi."
        ),
        "context": md("""
            Le groupe Les Engagés à la Chambre des représentants, 14 député·es et une vingtaine de
            collaborateurs et collaboratrices, cherche un·e adjoint·e au secrétaire politique, qui
            dirige l'équipe.

            Vous prendrez la tête du service support (secrétariat administratif, achats, finances,
            ressources humaines, agendas, outils numériques) et de la cellule communication (presse,
            réseaux sociaux, visites de terrain, rencontres avec la société civile). Vous piloterez
            aussi les travaux du groupe, à court terme (semaine parlementaire, planning des député·es,
            reporting) comme à moyen terme (sorties de presse, campagnes, propositions de loi,
            positions politiques).

            Au cœur de la vie politique fédérale, vous aiderez le groupe à gagner en visibilité, à
            affirmer son identité, à rendre sa communication plus percutante et à mieux organiser son
            fonctionnement interne : projets, communication interne, procédures, règles.
        """),
        "missions": md("""
            ### 1. Définir la stratégie de communication et mener les projets

            - Diriger la cellule communication (deux personnes) : répartir les tâches, donner des
              objectifs, relire et approuver ce qui sort, accompagner chacun·e, suivre l'avancement et
              faire reconnaître ce travail par les député·es
            - Tourner la cellule vers ses « clients » (le mouvement, le groupe, chaque député·e) et
              vers les résultats (l'écho dans la presse et sur les réseaux sociaux)
            - Bâtir et actualiser une stratégie de communication collective et individuelle (une par
              député·e), en concertation avec l'équipe communication, la présidence du groupe et le
              secrétaire politique : cohérente, distinctive, présente sur tous les canaux et collée à
              l'agenda parlementaire
            - La traduire en messages, projets et actions : vidéos, infographies, publications
              thématiques, tribunes, lettres d'information, mais aussi visites et rencontres de terrain
            - Créer l'actualité plutôt que la subir : être proactif, créatif et percutant
            - Anticiper l'actualité, l'agenda parlementaire et la communication des autres groupes et
              des ministres, en faire une lecture politique et proposer, en concertation, des
              positions et des actions
            - Réagir vite et juste, quand il le faut, à la communication des autres groupes et
              personnalités
            - Donner plus de poids aux interventions des député·es au Parlement et les valoriser dans
              la presse et en ligne
            - Veiller à l'écho médiatique de ce qui se dit en commission et en séance
            - Accompagner les député·es dans leur visibilité et leurs compétences de communication :
              relectures, préparation d'interviews, présence en ligne, coaching, formations

            ### 2. Piloter l'agenda parlementaire et les projets du groupe

            - Assurer une présence suffisante et efficace des député·es en commission et en plénière :
              avec l'équipe administrative et les assistant·es des député·es, établir et actualiser le
              planning de la semaine, le communiquer, tenir compte des contraintes de chacun·e et
              gérer les imprévus
            - Organiser avec le service support la tenue des agendas partagés
            - Faire remonter avec les collaborateurs, en synthèse, les problèmes, enjeux politiques et
              questions débattus en commission et en plénière
            - Tenir un tableau de bord des projets (textes de loi, notes politiques, actions de
              communication) à la semaine, au mois et à l'année
            - Découper chaque projet en plan d'actions, avec une méthode agile ou planifiée selon les
              besoins, en consultant qui doit l'être : le mouvement, les élu·es d'autres niveaux de
              pouvoir, des expert·es
            - Prendre part aux réunions du groupe et du mouvement, puis veiller aux suites données
            - Suppléer le secrétaire politique en son absence ou quand il vous confie une tâche
            - Construire avec lui une politique de ressources humaines : bien-être, reconnaissance,
              valeurs partagées, management adapté à chacun·e

            ### 3. Diriger le service support

            - Encadrer et faire progresser l'équipe administrative, un peu plus d'une personne à
              temps plein, avec un objectif : un service de qualité pour les député·es et l'équipe
            - Poser des règles de fonctionnement claires et partagées : horaires, absences et congés,
              travail à domicile, consignes écrites
            - Choisir quel canal sert à quoi pour la communication interne, et faire suivre à qui de
              droit les courriels et messages qui arrivent chez le secrétaire politique
            - Développer l'usage des outils numériques dans le groupe
            - Piloter la logistique, la gestion du personnel et l'administration en déléguant à
              l'équipe : notes de service, matériel, télétravail, achats, notes de frais, comptabilité
        """),
        "profile": md("""
            ### Expérience et expertise

            - Un master ou un diplôme équivalent
            - Trois ans d'expérience au moins en communication, en gestion d'équipe ou de projets, de
              préférence en milieu politique, parlementaire, institutionnel ou gouvernemental, ou dans
              les médias
            - Une très bonne connaissance du paysage politique belge et des institutions fédérales
            - Une solide pratique de la communication stratégique et politique, et une bonne
              compréhension du fonctionnement des médias
            - De l'aisance avec les outils numériques
            - Le néerlandais, à l'écrit et à la compréhension orale

            ### Valeurs, posture et personnalité

            - Vous visez des résultats concrets, en mesurez l'effet et ajustez ; vous êtes tenace
            - Vous prenez des initiatives et cherchez des solutions plutôt que des obstacles
            - Vous mobilisez par la confiance et la responsabilisation, et donnez de l'énergie
            - Vous êtes fiable, rigoureux·se, loyal·e et autonome, et vous assumez vos responsabilités
            - Sens politique, proactivité et réactivité dans un environnement exigeant et changeant
            - Esprit d'équipe et écoute active
        """),
        "what_we_offer": md("""
            - Un poste stratégique, très responsabilisant, au cœur de la politique fédérale
            - Un rôle à plusieurs facettes, de la stratégie à la gestion d'équipe en passant par la
              communication et le conseil politique
            - Des collègues motivé·es et attentionné·es, qui défendent une société plus solidaire,
              plus durable et plus démocratique
            - La possibilité de faire avancer vos idées
            - Une organisation du travail souple, télétravail compris
            - Une expérience reconnue dans le public comme dans le privé et l'associatif
            - Un CDI payé sur les barèmes de la Chambre, 30 jours de congé par an, les trajets
              domicile-travail remboursés et des avantages extra-légaux, dont une assurance
              hospitalisation
        """),
        "pay_min": Decimal("4200"),
        "pay_max": Decimal("4700"),
        "pay_scale": "Barèmes de la Chambre des représentants",
        "pay_note": "Environ 4 200 € bruts avec 3 ans d'expérience professionnelle, environ 4 700 € avec 10 ans.",
        "contact_role": "Secrétaire politique du groupe",
        "contact_email": "recrutement@lesengages.example.org",
        "places": [
            {
                "kind": Place.Kind.SEAT,
                "name": "Chambre des représentants",
                "locality": "Bruxelles",
                "region": "Bruxelles-Capitale",
                "country": Country.BELGIUM,
            },
        ],  # fmt: skip
        "languages": [(Language.DUTCH, RequiredLanguage.Level.B2, "écrit et compréhension à l'audition")],
        "benefits": [
            (Benefit.Kind.PAID_LEAVE, "30 jours par an"),
            (Benefit.Kind.TRANSPORT, "Trajets domicile-travail remboursés"),
            (Benefit.Kind.HEALTH_INSURANCE, "Dans un ensemble d'avantages extra-légaux"),
        ],
    },
    {
        "slug": "secretaire-general-e-ecologie-ensemble-pays-de-la-loire",
        "title": "Secrétaire général.e du groupe L'Écologie ensemble",
        "organisation": "l-ecologie-ensemble",
        "group": "ecologie-ensemble-pays-de-la-loire",
        "published_days_ago": 3,
        "deadline_in_days": 33,
        "written_test": (2, 8),
        "written_test_note": "à distance",
        "interviews": (9, 16),
        "interviews_note": "à Nantes",
        "start_months_after_deadline": 3,
        "contract_type": Offer.ContractType.FIXED_TERM,
        "contract_detail": "CDD à temps plein",
        "employer_of_record": "Région Pays de la Loire",
        "start_precision": Offer.StartPrecision.MONTH,
        "reporting_line": "Présidence du groupe",
        "travel": Offer.Travel.OCCASIONAL,
        "travel_detail": "Déplacements ponctuels",
        "context": md("""
            Élu·es en juin 2021, les douze conseillers et conseillères régionaux de L'Écologie ensemble
            siègent au Conseil régional des Pays de la Loire. Le groupe est né du rassemblement d'une
            dizaine de partis et de citoyen·nes sans carte de parti, autour d'une Région écologique,
            solidaire et citoyenne. Il réunit des membres des Écologistes-EELV, de Génération écologie,
            de Génération.s et de La France insoumise, ainsi qu'une élue sans étiquette.

            Principale force d'opposition, le groupe veut répondre aux préoccupations de tous les jours
            (emploi, mobilité, santé…) comme aux grands enjeux de l'époque : dérèglement climatique,
            inégalités, renouveau démocratique.

            Le ou la secrétaire général·e met en œuvre l'action politique du groupe : il ou elle anime,
            accompagne et conseille, fait le lien avec ses interlocuteurs, suit les dossiers du Conseil
            régional et encadre l'équipe salariée.
        """),
        "missions": md("""
            ### Conseil politique et stratégie

            - Conseiller les douze élu·es et construire la stratégie du groupe en tenant compte de ses
              différentes sensibilités
            - Coordonner l'action du groupe dans chacun des cinq départements
            - Préparer les rendez-vous institutionnels : commissions permanentes et sessions plénières
            - Organiser la vie du groupe : plannings, courriers, réunions, séminaires, déplacements et
              rencontres
            - Cerner les besoins de formation et les organiser

            ### Vie du groupe et relations extérieures

            - Faire circuler l'information
            - Soigner la relation avec les services du Conseil régional
            - Être l'interlocuteur·trice du cabinet, des autres groupes et du service des assemblées
            - Faire vivre le réseau du groupe : acteurs locaux, élu·es, sympathisant·es
            - Suivre les enveloppes budgétaires du groupe (ressources humaines, fonctionnement)
            - Échanger avec les groupes écologistes, insoumis et citoyens des autres conseils régionaux

            ### Travaux de l'assemblée régionale

            - Suivre les politiques régionales : analyse des dossiers, propositions d'amendements, de
              vœux et de questions orales, recherches thématiques
            - Rédiger des courriers et aider les élu·es à écrire leurs interventions
            - Préparer les argumentaires des sessions, des commissions sectorielles et des autres
              temps politiques

            ### Coordination de l'équipe salariée

            - Appliquer les décisions des élu·es
            - Répartir le travail et accompagner l'équipe dans ses missions et sa progression
            - Mettre en œuvre les recrutements décidés par le groupe
            - Traiter les questions de ressources humaines avec la présidence du groupe : congés,
              absences, formation…

            ### Communication

            - Déployer avec l'équipe la communication du groupe : réseaux sociaux, veille
            - Écrire communiqués de presse et tribunes
            - Suivre les médias pour proposer rencontres, déplacements et nouveaux sujets
            - Entretenir les relations avec la presse locale, régionale et parfois nationale
        """),
        "profile": md("""
            - Une expérience du monde politique et la capacité de bâtir une stratégie
            - La connaissance des collectivités territoriales
            - Une excellente plume et un bon esprit de synthèse
            - Savoir encadrer et animer une équipe
            - Être organisé·e et à l'aise avec la gestion administrative
            - Aimer le travail collectif et les relations humaines
            - Être autonome et fiable
            - Partager les convictions d'une écologie à la fois politique, sociale et solidaire
        """),
        "what_we_offer": md("""
            - Un CDD à temps plein auprès d'un groupe d'opposition régional
            - De 2 400 à 2 600 € nets par mois
            - Des titres-restaurant
        """),
        "pay_min": Decimal("2400"),
        "pay_max": Decimal("2600"),
        "pay_basis": Offer.PayBasis.NET,
        "pay_note": "À discuter selon profil et expérience",
        "contact_role": "Pour toute question sur le poste",
        "contact_email": "recrutement@ecologie-ensemble.example.org",
        "contact_phone": "+33 6 00 00 00 00",
        "places": [
            {
                "kind": Place.Kind.SEAT,
                "name": "Hôtel de Région",
                "locality": "Nantes",
                "region": "Pays de la Loire",
                "country": Country.FRANCE,
            },
        ],  # fmt: skip
        "benefits": [(Benefit.Kind.MEAL_VOUCHERS, "Titres-restaurant")],
    },
]

STORIES = {
    "ecolo": [
        {
            "slug": "helene-elus-locaux",
            "title": "Hélène et son équipe épaulent les élu·es locaux",
            "person": "Hélène",
            "role": "Soutien aux élu·es locaux",
            "summary": "Plus d'un millier de mandataires écologistes comptent sur son équipe pour des conseils, "
            "de l'aide et un relais vers les autres niveaux de pouvoir.",
            "text": md("""
                Ecolo pèse dans de nombreuses communes de Wallonie et de Bruxelles. Le parti compte plus
                de 45 conseillers et conseillères provinciaux, quelque 660 conseillers communaux,
                260 conseillers de CPAS et 150 bourgmestres, échevin·es ou président·es de CPAS. Il
                participe au pouvoir dans 72 communes et siège dans l'opposition ailleurs.

                Beaucoup de ces élu·es n'avaient jamais exercé de mandat avant leur élection. Pour
                traduire les idées écologistes dans leur commune ou leur province, ils et elles ont
                besoin de conseils, d'un coup de main sur un dossier, parfois d'un relais pour porter
                une question plus haut.

                C'est le travail d'Hélène et de son équipe : répondre aux questions, accompagner les
                mandataires dans leurs dossiers et faire le lien entre le terrain local et le reste du
                parti.
            """),
        },
        {
            "slug": "vasty-assistante-parlementaire",
            "title": "Vasty, assistante parlementaire à la Chambre",
            "person": "Vasty",
            "role": "Assistante parlementaire à mi-temps",
            "summary": "Depuis un an environ, elle travaille aux côtés du député fédéral qui préside le groupe "
            "Ecolo-Groen à la Chambre.",
            "text": md("""
                Depuis un an environ, Vasty est l'assistante parlementaire, à mi-temps, du député fédéral
                qui préside le groupe Ecolo-Groen à la Chambre des représentants. Dans les couloirs du
                Parlement, on dit sa « collab' » : la personne qui travaille au plus près d'un·e élu·e.

                Le métier change beaucoup d'un·e député·e à l'autre : chacun·e s'organise à sa manière
                et l'assistant·e s'adapte. D'un jour à l'autre, les tâches ne se ressemblent pas.

                Pour qui aime la vie parlementaire, c'est une belle porte d'entrée dans le travail
                politique au niveau fédéral.
            """),
        },
        {
            "slug": "jerome-informaticien",
            "title": "Jérôme veille sur l'informatique du parti",
            "person": "Jérôme",
            "role": "Informaticien, support",
            "summary": "Plus de 150 ordinateurs, des téléphones, des imprimantes : Jérôme aide les salarié·es "
            "d'Ecolo à travailler sans accroc.",
            "text": md("""
                Comme toute organisation, Ecolo dépend de l'informatique pour conserver ses données et
                les partager entre ses membres. Le parti a donc son propre département informatique, aux
                tâches nombreuses.

                L'une d'elles est le support : dépanner les travailleurs et travailleuses du parti quand
                leur matériel leur résiste, qu'il s'agisse de l'un des plus de 150 ordinateurs, d'un
                téléphone ou d'une imprimante.

                Jérôme, 38 ans, originaire de La Louvière, fait partie de cette équipe. Entre deux
                dépannages, il nous a parlé de son métier.
            """),
        },
        {
            "slug": "catherine-evenements",
            "title": "Catherine et son équipe font vivre les rassemblements du parti",
            "person": "Catherine",
            "role": "Organisation d'événements, département AMA",
            "summary": "Manifestations, actions de terrain, assemblées et congrès : le département AMA en assure "
            "l'organisation et la logistique.",
            "text": md("""
                Le parti, ce sont d'abord des élu·es qui défendent son programme dans les conseils communaux, les
                parlements et les gouvernements, et plus de 24 000 bénévoles actifs dans plus de
                200 Locales en Wallonie et à Bruxelles.

                Le parti organise aussi des événements : manifestations et actions de terrain, mais
                également de grands rassemblements comme les assemblées et les congrès. Tout cela
                demande une organisation et une logistique considérables.

                C'est le rôle du département AMA, pour Action-Mobilisation-Adhésion, où Catherine
                travaille avec une équipe de professionnel·les.
            """),
        },
        {
            "slug": "baptiste-attache-de-presse",
            "title": "Baptiste, attaché de presse",
            "person": "Baptiste",
            "role": "Attaché de presse, département communication",
            "summary": "Au département communication, il fait le lien entre le parti, ses deux coprésident·es "
            "et les journalistes.",
            "text": md("""
                Baptiste, Bruxellois de 35 ans, est depuis un an l'attaché de presse d'Ecolo et de ses
                deux coprésident·es. Il travaille au DCOM, le département communication du parti.

                Il est titulaire de deux masters, l'un en philosophie, l'autre en journalisme : de quoi
                comprendre à la fois les idées que défend le parti et les attentes des rédactions.

                Pour notre rencontre, il a choisi un café d'Ixelles voisin de la crèche de son fils :
                dans ce métier, l'actualité n'attend pas toujours la fin de la journée.
            """),
        },
        {
            "slug": "elodie-conseillere-politique",
            "title": "Elodie, conseillère politique énergie-climat",
            "person": "Elodie",
            "role": "Conseillère politique énergie-climat, CJM",
            "summary": "Depuis 2020, elle suit l'énergie et le climat pour le parti, un domaine que la crise "
            "énergétique a mis au premier plan.",
            "text": md("""
                Elodie conseille le parti sur l'énergie et le climat depuis 2020. Autant dire que la
                crise énergétique ne l'a pas laissée désœuvrée.

                Namuroise, elle a étudié les sciences politiques à Louvain-la-Neuve puis est partie en Norvège
                pour un master en environnement à l'université d'Oslo.

                Elle travaille au CJM, le Centre Jacky Morael, qui rassemble tous les conseillers et
                conseillères politiques d'Ecolo. Chacun·e y suit un domaine, de l'économie à
                l'agriculture.
            """),
        },
        {
            "slug": "claire-attentes-candidats",
            "title": "Ce qu'Ecolo attend de ses candidates et candidats",
            "person": "Claire",
            "role": "Formation et recrutement",
            "summary": "Chargée de la formation et du recrutement depuis trois ans, Claire explique la place "
            "des salarié·es dans un parti.",
            "text": md("""
                Depuis trois ans, Claire est chargée de former et de recruter le personnel d'Ecolo. Nous lui
                avons demandé ce que le parti attend des personnes qui postulent.

                Pour le comprendre, il faut savoir qui fait vivre un parti. Claire distingue trois
                grandes familles. Les militant·es bénévoles, des milliers, agissent surtout dans les
                Locales, dont on compte plus de 200. Les mandataires portent le programme du parti dans
                les assemblées, des conseils communaux aux parlements, ou dans les exécutifs. Les
                permanent·es, enfin, forment l'équipe salariée.

                C'est cette dernière famille que rejoint un·e candidat·e : son métier sert les deux
                autres.
            """),
        },
    ],
}


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def first_of_month(day: date, months_later: int) -> date:
    index = day.year * 12 + day.month - 1 + months_later
    return date(index // 12, index % 12 + 1, 1)


def logo_png(initials: str, colour: str) -> bytes:
    image = Image.new("RGB", (256, 256), colour)
    font = ImageFont.load_default(size=96 if len(initials) < 3 else 72)
    ImageDraw.Draw(image).text((128, 128), initials, fill="white", font=font, anchor="mm")
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Load the demo organisations, groups, offers and stories; running it again changes nothing."

    def handle(self, *args, **options):
        self.created = self.updated = self.removed = 0
        with transaction.atomic():
            organisations = self.load_organisations()
            institutions = {
                data["slug"]: self.upsert(Institution, {"slug": data["slug"]}, data) for data in INSTITUTIONS
            }
            groups = {data["slug"]: self.load_group(data, organisations, institutions) for data in GROUPS}
            today = timezone.localdate()
            for data in OFFERS:
                self.load_offer(data, organisations, groups, today)
            for slug, stories in STORIES.items():
                self.load_stories(organisations[slug], stories)
            logos = self.draw_missing_logos(organisations)
        self.stdout.write(
            f"Demo data: {len(ORGANISATIONS)} organisations, {len(INSTITUTIONS)} institutions, {len(GROUPS)} groups, "
            f"{len(OFFERS)} offers, {sum(map(len, STORIES.values()))} stories "
            f"(created {self.created}, updated {self.updated}, removed {self.removed}; {logos} logos drawn)."
        )

    def upsert(self, model, lookup: dict, values: dict):
        """Like update_or_create, but an unchanged row is not saved, so a re-run leaves it
        (and its updated_at) exactly as it was."""
        try:
            row = model.objects.get(**lookup)
        except model.DoesNotExist:
            self.created += 1
            return model.objects.create(**{**values, **lookup})
        changed = {name: value for name, value in values.items() if getattr(row, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(row, name, value)
            row.save()
            self.updated += 1
        return row

    def prune(self, queryset):
        """Delete the rows a previous version of the demo made and this one no longer has."""
        self.removed += queryset.delete()[0]

    def load_organisations(self) -> dict:
        organisations = {}
        for data in ORGANISATIONS:
            values = {name: value for name, value in data.items() if name != "initials"}
            if "parent" in values:
                values["parent"] = organisations[values["parent"]]
            organisations[data["slug"]] = self.upsert(Organisation, {"slug": data["slug"]}, values)
        return organisations

    def load_group(self, data: dict, organisations: dict, institutions: dict) -> PoliticalGroup:
        values = {**data, "institution": institutions[data["institution"]]}
        values["organisation"] = organisations[data["organisation"]]
        composition = values.pop("composition")
        group = self.upsert(PoliticalGroup, {"slug": data["slug"]}, values)
        kept = []
        for party_slug, seats in composition:
            party = organisations[party_slug] if party_slug else None
            kept.append(self.upsert(GroupComposition, {"group": group, "party": party}, {"seats": seats}).pk)
        self.prune(group.composition.exclude(pk__in=kept))
        return group

    def load_offer(self, data: dict, organisations: dict, groups: dict, today: date) -> Offer:
        values = dict(data)
        places, languages, benefits = values.pop("places"), values.pop("languages", []), values.pop("benefits", [])
        values["organisation"] = organisations[values["organisation"]]
        values["group"] = groups[values["group"]] if "group" in values else None

        # Calendar relative to today: the demo always has open offers and one closed.
        deadline_day = today + timedelta(days=values.pop("deadline_in_days"))
        values["deadline"] = at_local(deadline_day, 23, 59)
        values["published_at"] = at_local(today - timedelta(days=values.pop("published_days_ago")), 9)
        values["status"] = Offer.Status.PUBLISHED
        for step in ("written_test", "interviews"):
            if step in values:
                after_from, after_to = values.pop(step)
                values[f"{step}_from"] = deadline_day + timedelta(days=after_from)
                values[f"{step}_to"] = deadline_day + timedelta(days=after_to)
        if "start_months_after_deadline" in values:
            values["start_date"] = first_of_month(deadline_day, values.pop("start_months_after_deadline"))

        offer = self.upsert(Offer, {"slug": data["slug"]}, values)
        kept = [self.upsert(Place, {"offer": offer, "position": n}, place).pk for n, place in enumerate(places)]
        self.prune(offer.places.exclude(pk__in=kept))
        kept = [
            self.upsert(RequiredLanguage, {"offer": offer, "language": language}, {"level": level, "skills": skills}).pk
            for language, level, skills in languages
        ]
        self.prune(offer.languages.exclude(pk__in=kept))
        kept = [
            self.upsert(Benefit, {"offer": offer, "kind": kind}, {"detail": detail}).pk for kind, detail in benefits
        ]
        self.prune(offer.benefits.exclude(pk__in=kept))
        return offer

    def load_stories(self, organisation: Organisation, stories: list) -> None:
        kept = [
            self.upsert(Story, {"organisation": organisation, "slug": data["slug"]}, {**data, "position": n}).pk
            for n, data in enumerate(stories)
        ]
        self.prune(organisation.stories.exclude(pk__in=kept))

    def draw_missing_logos(self, organisations: dict) -> int:
        """A logo for each main organisation that has none; one uploaded by staff is kept."""
        drawn = 0
        for data in ORGANISATIONS:
            organisation = organisations[data["slug"]]
            if "initials" in data and not organisation.logo:
                png = logo_png(data["initials"], data["accent_colour"])
                # Assigned, not saved to storage directly, so WebImageField re-encodes it like an upload.
                organisation.logo = ContentFile(png, name=f"{organisation.slug}.png")
                organisation.save(update_fields=["logo", "updated_at"])
                drawn += 1
        return drawn
