"""Fill the database with a large made-up board, for load benchmarks: `manage.py seed_bench`.

For a benchmark database only: the organisations are public on the site, the
candidates' private links come from a fixed random seed (so they are no
secret), and every CV row points at one shared file.

What it makes, from `random.Random(SEED)`, so two runs give the same rows
(dates are relative to the time of the run: a step of the pipeline that would
come after it is not taken yet, so the history differs a little from one day
to the next):

- 60 families of four organisations in Belgium and France (a party, its youth
  wing and its foundation, both with the party as parent, and a political
  group with its own payroll), and `bench-big`; the institutions of every
  level where their groups sit, with each group's composition; one staff
  user per organisation (without a usable password), on the offers as the
  recruiter in charge and in the history as the one who moved applications;
- the offers, spread over every contract, working time, place, language,
  status (open, past their deadline, closed, archived, drafts, scheduled),
  with and without a group, with Markdown sections written from a small
  vocabulary of political-staff words in French, Dutch and English;
- the applications to the offers that were live and take applications on the
  board, spontaneous applications and internship requests, received over the
  last two years and moved along the pipeline as recruiters and candidates
  do (with their history, but no audit log), a CV each, and erased as the
  nightly `erase_expired_applications` would have done once their erase date
  came. `bench-big` keeps its candidates 24 months, so almost all of its
  applications still carry their personal data.

Rows are written with bulk_create in batches, inside one transaction: an
interrupted run (or --reset) leaves the database as it was. On PostgreSQL
the applications' rows are made in a thread while the server writes the
previous batch, and the tables are analysed at the end. The full size (10,000 offers,
1,000,000 applications) takes about 8 minutes on two cores, on SQLite as on
PostgreSQL. The marker of the bench data is the slug prefix "bench-" of its
organisations (and of its institutions, groups, offers and users).
"""

import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from functools import partial
from io import BytesIO
from itertools import accumulate
from random import Random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import slugify
from pypdf import PdfWriter

from applications.forms import privacy_notice
from applications.management.commands.load_demo_applications import (
    FIRST_NAMES,
    HIRED,
    LAST_NAMES,
    OUTCOMES,
    PROGRAMMES,
    SCHOOLS,
)
from applications.models import Application, AuditEvent, Document, Email, Note, StatusChange, hash_token
from offers import search
from offers.models import (
    Benefit,
    Country,
    GenderMention,
    GroupComposition,
    Institution,
    Membership,
    Offer,
    Organisation,
    Place,
    PoliticalGroup,
    RequiredLanguage,
)

SEED = 20240901
PREFIX = "bench-"
BIG = "bench-big"
RECRUITER = "bench-recruiter"
BIG_SHARE = 100_000  # applications of bench-big in the full-size run
FAMILIES = 60
DAYS = 730  # how far back applications go
CHUNK = 5_000  # applications generated, written and forgotten at a time
CV_NAME = "documents/bench/cv.pdf"
SCAN_DELAY = timedelta(seconds=20)  # from the upload to the scanner's verdict

Status = Application.Status
Kind = Application.Kind
OfferStatus = Offer.Status
Contract = Offer.ContractType
RECRUITER_STEPS = [(weight, path) for weight, path in OUTCOMES] + [(3, HIRED)]
PATHS = [path for _weight, path in RECRUITER_STEPS]
PATH_WEIGHTS = list(accumulate(weight for weight, _path in RECRUITER_STEPS))
# The first applications of each share take these paths, so that even a small run has every status.
EVERY_STATUS = {
    Status.RECEIVED: [],
    Status.IN_REVIEW: [Status.IN_REVIEW],
    Status.SHORTLISTED: [Status.IN_REVIEW, Status.SHORTLISTED],
    Status.WRITTEN_TEST: [Status.IN_REVIEW, Status.SHORTLISTED, Status.WRITTEN_TEST],
    Status.INTERVIEW: [Status.IN_REVIEW, Status.SHORTLISTED, Status.INTERVIEW],
    Status.OFFER_MADE: HIRED[:-1],
    Status.HIRED: HIRED,
    Status.REJECTED: [Status.IN_REVIEW, Status.REJECTED],
    Status.WITHDRAWN: [Status.IN_REVIEW, Status.WITHDRAWN],
}

# Where offers stand: (name, weight). Drafts and future schedules take no applications.
OPEN, EXPIRED, CLOSED, DRAFT, SCHEDULED, SCHEDULED_LIVE, ARCHIVED = (
    "open", "expired", "closed", "draft", "scheduled", "scheduled_live", "archived",
)  # fmt: skip
STATES = [(OPEN, 40), (EXPIRED, 15), (CLOSED, 22), (DRAFT, 8), (SCHEDULED, 4), (SCHEDULED_LIVE, 3), (ARCHIVED, 8)]
TAKES_APPLICATIONS = {OPEN, EXPIRED, CLOSED, SCHEDULED_LIVE, ARCHIVED}
CONTRACTS = [
    (Contract.PERMANENT, 35), (Contract.FIXED_TERM, 35), (Contract.INTERNSHIP, 14),
    (Contract.APPRENTICESHIP, 3), (Contract.VOLUNTEER, 5), (Contract.FREELANCE, 8),
]  # fmt: skip
APPLY_METHODS = [(Offer.ApplyMethod.BOARD, 90), (Offer.ApplyMethod.EMAIL, 5), (Offer.ApplyMethod.EXTERNAL, 5)]
KINDS = [(Kind.OFFER, 85), (Kind.SPONTANEOUS, 10), (Kind.INTERNSHIP, 5)]
# Dark enough for white text (contrast 4.5:1), as Organisation.clean() asks.
COLOURS = ["#2b7a3d", "#1d4f91", "#a3152b", "#5b2a86", "#7a4b00", "#00606b", "#8a1c5c", "#374151", "#0b5d1e", "#9c2f00"]

# name, level, country, region, seat, year the term ends
INSTITUTIONS = [
    ("Conseil communal de Bruxelles", "municipal", "BE", "Bruxelles-Capitale", "Hôtel de Ville, Bruxelles", 2030),
    ("Conseil communal de Liège", "municipal", "BE", "Wallonie", "Hôtel de Ville, Liège", 2030),
    ("Conseil communal de Namur", "municipal", "BE", "Wallonie", "Hôtel de Ville, Namur", 2030),
    ("Conseil communal de Charleroi", "municipal", "BE", "Wallonie", "Hôtel de Ville, Charleroi", 2030),
    ("Gemeenteraad Gent", "municipal", "BE", "Vlaanderen", "Stadhuis, Gent", 2030),
    ("Gemeenteraad Antwerpen", "municipal", "BE", "Vlaanderen", "Stadhuis, Antwerpen", 2030),
    ("Gemeenteraad Leuven", "municipal", "BE", "Vlaanderen", "Stadhuis, Leuven", 2030),
    ("Conseil provincial de Liège", "provincial", "BE", "Wallonie", "Palais provincial, Liège", 2030),
    ("Conseil provincial du Hainaut", "provincial", "BE", "Wallonie", "Maison provinciale, Mons", 2030),
    ("Provincieraad Oost-Vlaanderen", "provincial", "BE", "Vlaanderen", "Provinciehuis, Gent", 2030),
    ("Provincieraad Antwerpen", "provincial", "BE", "Vlaanderen", "Provinciehuis, Antwerpen", 2030),
    ("Parlement de Wallonie", "regional", "BE", "Wallonie", "Hospice Saint-Gilles, Namur", 2029),
    ("Parlement bruxellois", "regional", "BE", "Bruxelles-Capitale", "Rue du Lombard, Bruxelles", 2029),
    ("Vlaams Parlement", "regional", "BE", "Vlaanderen", "IJzerenkruisstraat, Brussel", 2029),
    ("Parlement de la Fédération Wallonie-Bruxelles", "regional", "BE", "Wallonie-Bruxelles", "Rue Royale", 2029),
    ("Chambre des représentants", "national", "BE", "", "Palais de la Nation, Bruxelles", 2029),
    ("Sénat de Belgique", "national", "BE", "", "Palais de la Nation, Bruxelles", 2029),
    ("Conseil municipal de Lille", "municipal", "FR", "Hauts-de-France", "Hôtel de Ville, Lille", 2032),
    ("Conseil municipal de Nantes", "municipal", "FR", "Pays de la Loire", "Hôtel de Ville, Nantes", 2032),
    ("Conseil municipal de Lyon", "municipal", "FR", "Auvergne-Rhône-Alpes", "Hôtel de Ville, Lyon", 2032),
    ("Conseil municipal de Strasbourg", "municipal", "FR", "Grand Est", "Centre administratif, Strasbourg", 2032),
    ("Conseil départemental du Nord", "provincial", "FR", "Hauts-de-France", "Hôtel du Département, Lille", 2028),
    ("Conseil départemental de Loire-Atlantique", "provincial", "FR", "Pays de la Loire", "Quai Ceineray", 2028),
    ("Conseil départemental du Rhône", "provincial", "FR", "Auvergne-Rhône-Alpes", "Hôtel du Département, Lyon", 2028),
    ("Conseil régional des Hauts-de-France", "regional", "FR", "Hauts-de-France", "Hôtel de Région, Lille", 2028),
    ("Conseil régional des Pays de la Loire", "regional", "FR", "Pays de la Loire", "Hôtel de Région, Nantes", 2028),
    ("Conseil régional du Grand Est", "regional", "FR", "Grand Est", "Maison de la Région, Strasbourg", 2028),
    ("Assemblée nationale", "national", "FR", "Île-de-France", "Palais Bourbon, Paris", 2029),
    ("Sénat", "national", "FR", "Île-de-France", "Palais du Luxembourg, Paris", 2029),
    ("Parlement européen", "european", "BE", "", "Espace Léopold, Bruxelles", 2029),
]  # fmt: skip

# locality, postal code, region, country
CITIES = {
    "BE": [
        ("Bruxelles", "1000", "Bruxelles-Capitale"), ("Namur", "5000", "Wallonie"), ("Liège", "4000", "Wallonie"),
        ("Charleroi", "6000", "Wallonie"), ("Mons", "7000", "Wallonie"), ("Gent", "9000", "Vlaanderen"),
        ("Antwerpen", "2000", "Vlaanderen"), ("Leuven", "3000", "Vlaanderen"), ("Brugge", "8000", "Vlaanderen"),
    ],
    "FR": [
        ("Lille", "59000", "Hauts-de-France"), ("Amiens", "80000", "Hauts-de-France"),
        ("Nantes", "44000", "Pays de la Loire"), ("Angers", "49000", "Pays de la Loire"),
        ("Lyon", "69001", "Auvergne-Rhône-Alpes"), ("Strasbourg", "67000", "Grand Est"),
        ("Paris", "75007", "Île-de-France"),
    ],
    "LU": [("Luxembourg", "1648", "")],
    "NL": [("Den Haag", "2511", "Zuid-Holland"), ("Maastricht", "6211", "Limburg")],
    "DE": [("Aachen", "52062", "Nordrhein-Westfalen")],
}  # fmt: skip

# The vocabulary the offers are written from, per language of the offer.
WORDS = {
    "fr": {
        "party": (["Mouvement", "Rassemblement", "Collectif", "Front", "Parti", "Centre", "Pôle", "Cercle"],
                  ["écologiste", "citoyen", "démocrate", "progressiste", "libéral", "populaire", "humaniste"]),
        "youth": "Jeunes {party}",
        "seats": "Le groupe rassemble {seats} élu·es au sein de l'assemblée : {institution}.",
        "foundation": "Fondation {party}",
        "group": "Groupe {party} – {institution}",
        "topics": ["énergie", "climat", "mobilité", "logement", "santé", "enseignement", "emploi", "budget",
                   "agriculture", "culture", "numérique", "justice", "affaires sociales", "fiscalité"],
        "titles": ["Assistant·e parlementaire", "Chargé·e de communication", "Collaborateur·rice parlementaire",
                   "Conseiller·ère politique en {topic}", "Secrétaire général·e", "Attaché·e de presse",
                   "Chargé·e de mission {topic}", "Responsable des événements", "Gestionnaire administratif·ve",
                   "Développeur·se web", "Coordinateur·rice des bénévoles", "Juriste parlementaire",
                   "Community manager", "Secrétaire politique du groupe"],
        "internships": ["Stagiaire en communication", "Stage au groupe parlementaire", "Stagiaire en {topic}"],
        "context": [
            "{org} recrute pour renforcer son équipe de permanent·es.",
            "Notre équipe accompagne les mandataires dans leur travail parlementaire, en commission comme en séance.",
            "La communication politique est au cœur de notre action : réseaux sociaux, presse, rencontres.",
            "Le groupe suit de près les dossiers {topic} et {topic2}, qui seront au cœur de la législature.",
            "Vous rejoindrez une équipe d'une dizaine de personnes, sous la responsabilité du secrétariat politique.",
            "Nos élu·es défendent chaque semaine des propositions sur {topic} ; il leur faut un appui solide.",
            "L'assistant·e parlementaire est le bras droit de l'élu·e : notes, agenda, contacts et courrier.",
        ],
        "missions": [
            "Préparer les interventions des parlementaires sur les questions de {topic}",
            "Rédiger des notes, des propositions de résolution et des questions écrites",
            "Assurer le suivi des commissions {topic} et {topic2}",
            "Animer les réseaux sociaux et concevoir des campagnes de **communication**",
            "Entretenir les relations avec la presse et les journalistes",
            "Organiser des événements, des rencontres et des congrès",
            "Assister l'élu·e dans la gestion de son agenda et de son courrier",
            "Coordonner le travail des bénévoles et des sections locales",
            "Analyser les projets de budget et préparer les amendements",
            "Tenir à jour la veille parlementaire et législative",
        ],
        "profile": [
            "Master en sciences politiques, droit, économie ou communication, ou expérience équivalente",
            "Excellente plume et esprit de synthèse",
            "Bonne connaissance du fonctionnement des institutions et du travail parlementaire",
            "Adhésion aux valeurs et au programme de {org}",
            "Connaissance du néerlandais, un atout",
            "Disponibilité certains soirs, lors des séances plénières",
            "Intérêt marqué pour les questions de {topic}",
        ],
        "offer": [
            "Des chèques-repas et un treizième mois",
            "Un environnement de travail engagé et bienveillant",
            "Du télétravail jusqu'à deux jours par semaine",
            "Le remboursement des frais de transport en commun",
            "Un plan de formation continue",
        ],
        "message": "Madame, Monsieur,\n\nJe souhaite mettre mon expérience en {topic} au service de votre équipe.",
        "scale": ["Barème A1 de la Chambre", "Échelle B2 du Parlement de Wallonie", "Grille de la CCT, niveau 4"],
    },
    "nl": {
        "party": (["Groene", "Vlaamse", "Sociale", "Liberale", "Nieuwe", "Democratische", "Open", "Progressieve"],
                  ["Unie", "Beweging", "Alliantie", "Partij", "Lijst", "Samenwerking", "Kracht", "Stem"]),
        "youth": "Jong {party}",
        "seats": "De fractie telt {seats} verkozenen in deze assemblee: {institution}.",
        "foundation": "Studiedienst {party}",
        "group": "Fractie {party} – {institution}",
        "topics": ["energie", "klimaat", "mobiliteit", "wonen", "gezondheid", "onderwijs", "werk", "begroting",
                   "landbouw", "cultuur", "digitalisering", "justitie", "welzijn", "fiscaliteit"],
        "titles": ["Parlementair medewerker", "Medewerker communicatie", "Beleidsmedewerker {topic}",
                   "Persverantwoordelijke", "Fractiesecretaris", "Medewerker evenementen", "Webontwikkelaar",
                   "Adviseur {topic}", "Coördinator vrijwilligers", "Administratief medewerker",
                   "Juridisch medewerker"],
        "internships": ["Stagiair communicatie", "Stagiair bij de fractie", "Stagiair {topic}"],
        "context": [
            "{org} zoekt een gedreven medewerker om het team te versterken.",
            "Ons team ondersteunt de parlementsleden in de commissies en in de plenaire vergadering.",
            "Politieke communicatie staat centraal: sociale media, pers en ontmoetingen met burgers.",
            "De fractie volgt de dossiers {topic} en {topic2} van nabij op.",
            "Je komt terecht in een team van een tiental mensen, onder leiding van de fractiesecretaris.",
            "Als parlementair medewerker ben je de rechterhand van het parlementslid.",
        ],
        "missions": [
            "Je bereidt tussenkomsten voor over {topic}",
            "Je schrijft nota's, resoluties en schriftelijke vragen",
            "Je volgt de commissies {topic} en {topic2} op",
            "Je beheert de sociale media en bedenkt **communicatie**campagnes",
            "Je onderhoudt contacten met de pers",
            "Je organiseert evenementen, ontmoetingen en congressen",
            "Je ondersteunt het parlementslid bij agenda en briefwisseling",
            "Je coördineert de vrijwilligers en de lokale afdelingen",
            "Je analyseert de begroting en bereidt amendementen voor",
        ],
        "profile": [
            "Master in de politieke wetenschappen, rechten, economie of communicatie",
            "Je schrijft vlot en kan complexe dossiers samenvatten",
            "Je kent de werking van de instellingen en het parlementaire werk",
            "Je deelt de waarden en het programma van {org}",
            "Kennis van het Frans is een troef",
            "Je bent af en toe 's avonds beschikbaar tijdens plenaire vergaderingen",
        ],
        "offer": [
            "Maaltijdcheques en een dertiende maand",
            "Een geëngageerde en warme werkomgeving",
            "Tot twee dagen thuiswerk per week",
            "Terugbetaling van het woon-werkverkeer",
            "Opleidingen doorheen het jaar",
        ],
        "message": "Geachte,\n\nGraag zet ik mijn ervaring in {topic} in voor uw team.",
        "scale": ["Weddeschaal A1 van het Vlaams Parlement", "Barema B2 van de Kamer", "Loonschaal PC 329, niveau 4"],
    },
    "en": {
        "topics": ["energy", "climate", "mobility", "housing", "health", "education", "employment", "budget",
                   "agriculture", "culture", "digital affairs", "justice", "social affairs", "taxation"],
        "titles": ["Policy adviser on {topic}", "Communication officer", "Parliamentary assistant", "Press officer",
                   "Digital campaigner", "Office manager", "Political adviser"],
        "internships": ["Trainee in communication", "Trainee in the parliamentary group", "Trainee on {topic}"],
        "context": [
            "{org} is looking for a committed colleague to join its staff.",
            "Our team supports the members in their parliamentary work, in committee and in plenary.",
            "Political communication is at the heart of what we do: social media, press and meeting citizens.",
            "The group follows the {topic} and {topic2} files closely.",
        ],
        "missions": [
            "Prepare the members' speeches on {topic}",
            "Draft notes, resolutions and written questions",
            "Follow the committees on {topic} and {topic2}",
            "Run our social media and design **communication** campaigns",
            "Keep in touch with journalists and the press",
            "Organise events, meetings and congresses",
        ],
        "profile": [
            "A master's degree in political science, law, economics or communication",
            "Excellent writing skills in English and French or Dutch",
            "Knowledge of the institutions and of parliamentary work",
            "You share the values of {org}",
        ],
        "offer": ["Meal vouchers and a 13th month", "Two days of remote work a week", "Public transport refunded"],
        "message": "Dear recruiter,\n\nI would like to bring my experience in {topic} to your team.",
        "scale": ["European Parliament APA scale, grade 4", "Staff regulations, grade AST 3"],
    },
}  # fmt: skip


def pick(index: int, weighted: list, rng: Random):
    """The index-th value for the first few rows, so that a small run has each one; then by weight."""
    if index < len(weighted):
        return weighted[index][0]
    return rng.choices([value for value, _weight in weighted], [weight for _value, weight in weighted])[0]


def random_uuid(rng: Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def local(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def cv_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@contextmanager
def made_in_background(produce: Callable[[], Iterator], ahead: int = 2):
    """Iterate over `produce()` while a thread runs it, at most `ahead` items in advance.

    Making rows is Python work; writing them is mostly the PostgreSQL server's: done side by side,
    the two take the time of the longer one instead of their sum. `produce` must not touch the database."""
    items, stop, finished = queue.Queue(maxsize=ahead), threading.Event(), object()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False  # the reader gave up

    def run():
        try:
            for item in produce():
                if not hand_over(item):
                    return
        except BaseException as error:  # raised again in the reader's thread
            hand_over(error)
        else:
            hand_over(finished)

    def read():
        while (item := items.get()) is not finished:
            if isinstance(item, BaseException):
                raise item
            yield item

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield read()
    finally:
        stop.set()
        thread.join()


def bench_organisations():
    return Organisation.objects.filter(slug__startswith=PREFIX)


def bench_users():
    return get_user_model().objects.filter(username__startswith=PREFIX, username__endswith="recruiter")


class Command(BaseCommand):
    help = (
        "Fill the database with a large made-up board for load benchmarks: a few hundred organisations in "
        "Belgium and France with their groups and institutions, --offers offers and --applications "
        "applications with their history and a CV each. The organisation bench-big gets "
        f"min({BIG_SHARE:,}, applications / 10) of the applications (exactly {BIG_SHARE:,} at the full size "
        f"of 1,000,000), and its organisation admin {RECRUITER} logs in with --password. For a benchmark "
        "database only: all CV rows share one tiny PDF file (erasing one application deletes it for all), "
        "and the candidates' private links are no secret. Same arguments, same data: run again, it finds the "
        "bench data (organisations whose slug starts with 'bench-') and adds nothing; --reset deletes it first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--offers", type=int, default=10_000, help="Offers to make (at least 20).")
        parser.add_argument("--applications", type=int, default=1_000_000, help="Applications to make.")
        parser.add_argument(
            "--password", default="bench-password", help=f"Password of {RECRUITER} (default: bench-password)."
        )
        parser.add_argument("--reset", action="store_true", help="Delete the bench data first, then seed again.")

    def handle(self, *args, offers, applications, password, reset, **options):
        if offers < 20:
            raise CommandError("Ask for at least 20 offers, so that every kind of offer is there.")
        if applications < 0:
            raise CommandError("The number of applications cannot be negative.")
        self.started = time.monotonic()
        if not reset and bench_organisations().exists():
            there = (self.bench_offers().count(), self.bench_applications().count())
            if there == (offers, applications):
                self.stdout.write(
                    f"The bench data is already there ({offers:,} offers, {applications:,} applications); "
                    "nothing added. Use --reset to make it again."
                )
                self.analyze()  # a migration since may have added indexes the planner knows nothing of
                return
            raise CommandError(
                f"Other bench data is there ({there[0]:,} offers, {there[1]:,} applications): "
                "run with --reset to replace it."
            )
        # One transaction: an interrupted run leaves the database as it found it.
        with transaction.atomic():
            self.tune_connection()
            if reset:
                self.reset()
            self.seed(offers, applications, password)
        self.analyze()
        self.stdout.write(f"Bench data made in {time.monotonic() - self.started:.0f} s:")
        for model, made in self.counts().items():
            self.stdout.write(f"  {model.__name__}: {made:,}")

    # Reading what is there

    def bench_offers(self):
        return Offer.objects.filter(organisation__slug__startswith=PREFIX)

    def bench_applications(self):
        return Application.objects.filter(organisation__slug__startswith=PREFIX)

    def counts(self) -> dict:
        organisations = bench_organisations()
        offers = self.bench_offers()
        applications = self.bench_applications()
        return {
            Organisation: organisations.count(),
            Institution: Institution.objects.filter(slug__startswith=PREFIX).count(),
            PoliticalGroup: PoliticalGroup.objects.filter(organisation__in=organisations).count(),
            GroupComposition: GroupComposition.objects.filter(group__organisation__in=organisations).count(),
            get_user_model(): bench_users().count(),
            Membership: Membership.objects.filter(organisation__in=organisations).count(),
            Offer: offers.count(),
            Place: Place.objects.filter(offer__in=offers).count(),
            RequiredLanguage: RequiredLanguage.objects.filter(offer__in=offers).count(),
            Benefit: Benefit.objects.filter(offer__in=offers).count(),
            Application: applications.count(),
            StatusChange: StatusChange.objects.filter(application__in=applications).count(),
            Document: Document.objects.filter(application__in=applications).count(),
        }

    # Deleting

    def reset(self):
        organisations = bench_organisations()
        applications = self.bench_applications()
        offers = self.bench_offers()
        # Children first, each in one DELETE, so that the collector has nothing to gather row by row.
        # The seed writes no audit log, but what a benchmark did in the admin (exports, moves) is logged.
        AuditEvent.objects.filter(organisation__in=organisations).delete()
        for model in (Document, StatusChange, Note, Email):
            model.objects.filter(application__in=applications).delete()
        deleted = 0
        # In batches of keys read once per organisation: a million rows at once would all be loaded in memory.
        for organisation_id in organisations.values_list("pk", flat=True):
            keys = list(Application.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True))
            for start in range(0, len(keys), 900):
                batch = Application.objects.filter(pk__in=keys[start : start + 900])
                deleted += batch.delete()[1].get(Application._meta.label, 0)
        for model in (Place, RequiredLanguage, Benefit, Offer.recruiters.through):
            model.objects.filter(offer__in=offers).delete()
        offer_count = offers.delete()[1].get(Offer._meta.label, 0)
        GroupComposition.objects.filter(group__organisation__in=organisations).delete()
        PoliticalGroup.objects.filter(organisation__in=organisations).delete()
        Institution.objects.filter(slug__startswith=PREFIX).delete()
        organisation_count = organisations.delete()[1].get(Organisation._meta.label, 0)
        bench_users().delete()
        # The shared CV file stays: the seed that follows uses it again.
        self.progress(
            f"Previous bench data deleted: {organisation_count:,} organisations, {offer_count:,} offers, "
            f"{deleted:,} applications"
        )

    # Making

    def seed(self, offer_count: int, application_count: int, password: str):
        self.rng = Random(SEED)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.institutions = self.make_institutions()
        self.organisations, self.big = self.make_organisations()
        self.groups = self.make_groups()
        self.recruiters = self.make_recruiters(password)
        self.progress("Organisations, groups and recruiters made")
        offers = self.make_offers(offer_count)
        self.progress(f"{offer_count:,} offers made")
        self.write_cv()
        self.make_applications(offers, application_count)

    def tune_connection(self):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # SQLite's default page cache (2 MB) is small against the indexes of a million applications.
                cursor.execute("PRAGMA cache_size = -262144")  # 256 MB, for this connection only
            elif connection.vendor == "postgresql":
                # Django's foreign keys wait for the commit, which would then check millions of rows after
                # everything else; checked by each statement, they run while the next rows are being made.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # for this transaction only

    def analyze(self):
        """Statistics for the planner at once, as autovacuum would gather them a while later: without them
        the first queries of a benchmark (and the counts below) plan for empty tables. On PostgreSQL, a
        vacuum too: until then no index-only scan is possible, and counting the open offers read 4,000 rows."""
        models = [Organisation, Institution, PoliticalGroup, GroupComposition, get_user_model(), Membership, Offer]
        models += [Place, RequiredLanguage, Benefit, Offer.recruiters.through, Application, StatusChange, Document]
        tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # VACUUM is refused inside a transaction, where the tests run commands.
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                cursor.execute(f"{command} {', '.join(tables)}")
            else:  # SQLite analyses one table at a time
                for table in tables:
                    cursor.execute(f"ANALYZE {table}")
        self.progress("Tables analysed")

    def progress(self, text: str):
        self.stdout.write(f"{text} ({time.monotonic() - self.started:.0f} s)")
        self.stdout.flush()

    def make_institutions(self) -> list[Institution]:
        institutions = [
            Institution(
                name=name,
                slug=f"{PREFIX}{slugify(name)}",
                level=level,
                country=country,
                region=region,
                seat=seat,
                website="https://example.org/",
                term_started_on=date(ends - 5, 6, 1),
                term_ends_year=ends,
            )
            for name, level, country, region, seat, ends in INSTITUTIONS
        ]
        return Institution.objects.bulk_create(institutions)

    def make_organisations(self) -> tuple[list[Organisation], Organisation]:
        """bench-big, then 60 families: a party, its youth wing, its foundation and a group with its own payroll."""
        rng = self.rng
        big = self.organisation("Bench Big", "Big", BIG, Organisation.Kind.PARTY, Country.BELGIUM, "fr")
        big.accepts_spontaneous_applications = big.accepts_internship_requests = True
        # Kept long, so that the benchmark lists and exports applications that still carry personal data.
        big.keep_after_outcome_months = big.talent_pool_months = 24
        Organisation.objects.bulk_create([big])
        parties, others, used = [], [], set()
        for n in range(1, FAMILIES + 1):
            country = Country.BELGIUM if n % 2 else Country.FRANCE
            language = "nl" if country == Country.BELGIUM and n % 4 == 1 else "fr"
            firsts, seconds = WORDS[language]["party"]
            name = f"{rng.choice(firsts)} {rng.choice(seconds)}"
            name = name if name not in used else f"{name} {n}"
            used.add(name)
            short = "".join(word[0] for word in name.split()).upper()
            party = self.organisation(name, short, f"{PREFIX}party-{n}", Organisation.Kind.PARTY, country, language)
            party.accepts_spontaneous_applications = party.accepts_internship_requests = rng.random() < 0.8
            parties.append(party)
        Organisation.objects.bulk_create(parties)
        for n, party in enumerate(parties, start=1):
            words, country, language = WORDS[party.language], party.country, party.language
            youth = self.organisation(
                words["youth"].format(party=party.short_name), "", f"{PREFIX}youth-{n}",
                Organisation.Kind.YOUTH_WING, country, language,
            )  # fmt: skip
            youth.parent = party
            youth.accepts_internship_requests = True
            foundation = self.organisation(
                words["foundation"].format(party=party.name), "", f"{PREFIX}foundation-{n}",
                Organisation.Kind.FOUNDATION, country, language,
            )  # fmt: skip
            foundation.parent = party
            foundation.accepts_spontaneous_applications = True
            institution = rng.choice(self.assemblies(party))
            group = self.organisation(
                words["group"].format(party=party.short_name, institution=institution.name)[:150], "",
                f"{PREFIX}group-{n}", Organisation.Kind.POLITICAL_GROUP, country, language,
            )  # fmt: skip
            # Not fields: where the group sits and whose members it mostly gathers, for make_groups().
            group.institution, group.party = institution, party
            others += [youth, foundation, group]
        Organisation.objects.bulk_create(others)
        self.parties = parties
        return [big, *parties, *others], big

    def assemblies(self, party: Organisation) -> list[Institution]:
        """Where the party has elected members: its country's, in its own language's part of Belgium."""
        elsewhere = "Wallonie" if party.language == "nl" else "Vlaanderen"
        return [i for i in self.institutions if i.country == party.country and elsewhere not in i.region]

    def organisation(self, name, short_name, slug, kind, country, language) -> Organisation:
        rng = self.rng
        words = WORDS[language]
        topics = rng.sample(words["topics"], 2)
        organisation = Organisation(
            name=name,
            short_name=short_name,
            slug=slug,
            kind=kind,
            country=country,
            website=f"https://{slug}.example.org/",
            accent_colour=rng.choice(COLOURS),
            presentation=self.paragraphs(words["context"], 2, name, topics),
            working_with_us=self.paragraphs(words["context"], 1, name, topics),
            candidate_expectations=self.paragraphs(words["profile"], 1, name, topics),
            gender_mention=(
                GenderMention.FRANCE
                if country == Country.FRANCE
                else GenderMention.FLANDERS
                if language == "nl"
                else GenderMention.BELGIUM
            ),
            applications_email=f"jobs@{slug}.example.org",
            recruiters_can_publish=rng.random() < 0.3,
            answer_within_days=rng.choice([14, 21, 30]),
            keep_after_outcome_months=rng.choice([3, 6, 12]),
            talent_pool_months=rng.choice([12, 24]),
        )
        organisation.language = language  # not a field: which vocabulary its offers are written from
        return organisation

    def make_groups(self) -> dict[int, list[PoliticalGroup]]:
        """Each group organisation's group, one more group for every third party, and two for bench-big.

        (administering organisation, institution, main party): the main party holds most seats."""
        rng = self.rng
        administrators = [(self.big, institution, self.big) for institution in rng.sample(self.assemblies(self.big), 2)]
        for n, party in enumerate(self.parties):
            if n % 3 == 0:
                institution = rng.choice(self.assemblies(party))
                administrators.append((party, institution, party))
        for organisation in self.organisations:
            if organisation.kind == Organisation.Kind.POLITICAL_GROUP:
                administrators.append((organisation, organisation.institution, organisation.party))
        groups, compositions = [], []
        for n, (organisation, institution, main_party) in enumerate(administrators, start=1):
            seats = rng.randint(3, 40)
            group = PoliticalGroup(
                name=f"{'Fractie' if organisation.language == 'nl' else 'Groupe'} {main_party.short_name}"[:150],
                slug=f"{PREFIX}{n}-{slugify(organisation.short_name or organisation.name)}"[:80],
                institution=institution,
                organisation=organisation,
                president=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                seats=seats,
                description=WORDS[organisation.language]["seats"].format(seats=seats, institution=institution.name),
                website="https://example.org/",
            )
            groups.append(group)
            # The main party holds most seats; up to two partners and non-affiliated members share the rest.
            held = seats - rng.randint(0, seats // 3)
            compositions.append(GroupComposition(group=group, party=main_party, seats=held))
            partners = [p for p in self.parties if p.country == institution.country and p is not main_party]
            left = seats - held
            for party in rng.sample(partners, rng.randint(0, 2)):
                if left > 1:
                    share = rng.randint(1, left - 1)
                    compositions.append(GroupComposition(group=group, party=party, seats=share))
                    left -= share
            if left:
                compositions.append(GroupComposition(group=group, party=None, seats=left))
        PoliticalGroup.objects.bulk_create(groups)
        GroupComposition.objects.bulk_create(compositions)
        by_organisation = {}
        for group in groups:
            by_organisation.setdefault(group.organisation_id, []).append(group)
        return by_organisation

    def make_recruiters(self, password: str) -> dict[int, object]:
        """One staff user per organisation; only bench-recruiter (bench-big's admin) can log in."""
        User = get_user_model()
        users, memberships = {}, []
        for organisation in self.organisations:
            username = RECRUITER if organisation is self.big else f"{organisation.slug}-recruiter"
            user = User(
                username=username,
                email=f"{username}@example.org",
                first_name=self.rng.choice(FIRST_NAMES),
                last_name=self.rng.choice(LAST_NAMES),
                is_staff=True,
                password=make_password(password if organisation is self.big else None),
            )
            users[organisation.pk] = user
            admin = organisation is self.big or self.rng.random() < 0.5
            memberships.append((user, organisation, Membership.Role.ADMIN if admin else Membership.Role.RECRUITER))
        User.objects.bulk_create(users.values())
        Membership.objects.bulk_create(
            Membership(user=user, organisation=organisation, role=role) for user, organisation, role in memberships
        )
        return users

    # Offers

    def make_offers(self, total: int) -> list[tuple]:
        """The offers with their places, languages, benefits and recruiter in charge.

        Returns, for each offer that takes applications on the board, what the
        applications need: (organisation, offer id, language, first and last
        moment it took applications)."""
        rng = self.rng
        big_share = max(6, total // 50)
        others = [o for o in self.organisations if o is not self.big]
        takes_applications = []
        for start in range(0, total, CHUNK):
            offers, extras = [], []
            for i in range(start, min(total, start + CHUNK)):
                organisation = self.big if i < big_share else rng.choice(others)
                index = i if i < big_share else i - big_share  # each share starts with one of each kind
                offer, state, places, languages, benefits = self.offer(i, index, organisation)
                offers.append(offer)
                extras.append((offer, state, places, languages, benefits))
            Offer.objects.bulk_create(offers, batch_size=500)
            places, languages, benefits, in_charge = [], [], [], []
            for offer, state, offer_places, offer_languages, offer_benefits in extras:
                for item in offer_places + offer_languages + offer_benefits:
                    item.offer_id = offer.pk
                places += offer_places
                languages += offer_languages
                benefits += offer_benefits
                recruiter = self.recruiters[offer.organisation_id]
                in_charge.append(Offer.recruiters.through(offer_id=offer.pk, user_id=recruiter.pk))
                if state in TAKES_APPLICATIONS and offer.apply_method == Offer.ApplyMethod.BOARD:
                    end = min(offer.deadline, offer.closed_at or self.now, self.now)
                    takes_applications.append((offer.organisation, offer.pk, offer.language, offer.published_at, end))
            Place.objects.bulk_create(places, batch_size=1000)
            RequiredLanguage.objects.bulk_create(languages, batch_size=1000)
            Benefit.objects.bulk_create(benefits, batch_size=1000)
            Offer.recruiters.through.objects.bulk_create(in_charge, batch_size=1000)
        # created_at is stamped with the present by bulk_create: an offer was written before it went out.
        # (By organisation ids, not a join: the planner knows nothing yet of the rows of this transaction.)
        Offer.objects.filter(organisation__in=[o.pk for o in self.organisations], published_at__isnull=False).update(
            created_at=F("published_at")
        )
        return takes_applications

    def offer(self, i: int, index: int, organisation: Organisation):
        rng = self.rng
        state = pick(index, STATES, rng)
        contract = pick(index, CONTRACTS, rng)
        language = pick(
            index, [(organisation.language, 80), ("en", 10), ("nl" if organisation.language == "fr" else "fr", 10)], rng
        )
        words = WORDS[language]
        topic, topic2 = rng.sample(words["topics"], 2)
        titles = words["internships"] if contract == Contract.INTERNSHIP else words["titles"]
        title = rng.choice(titles).format(topic=topic)
        groups = self.groups.get(organisation.pk, [])
        group = rng.choice(groups) if groups and (index % 3 == 0 or rng.random() < 0.5) else None
        part_time = index % 4 == 1 or rng.random() < 0.2
        offer = Offer(
            title=title,
            slug=f"{PREFIX}{i + 1}-{slugify(title)}"[:100].rstrip("-"),
            organisation=organisation,
            group=group,
            employer_of_record=group.institution.name if group and rng.random() < 0.6 else "",
            reporting_line=rng.choice(["", "Secrétariat politique", "Fractiesecretaris", "Head of office"]),
            language=language,
            contract_type=contract,
            contract_detail="Contrat de collaborateur de groupe" if group else "",
            working_time=Offer.WorkingTime.PART_TIME if part_time else Offer.WorkingTime.FULL_TIME,
            working_time_percent=rng.choice([50, 60, 75, 80, 90]) if part_time else None,
            travel=rng.choice(Offer.Travel.values),
            remote_policy=pick(index, [(p, 1) for p in Offer.RemotePolicy.values], rng),
            apply_method=pick(index, APPLY_METHODS, rng),
            context=self.paragraphs(words["context"], 2, organisation.name, [topic, topic2]),
            missions=self.bullets(words["missions"], rng.randint(4, 7), organisation.name, [topic, topic2]),
            profile=self.bullets(words["profile"], rng.randint(3, 5), organisation.name, [topic, topic2]),
            what_we_offer=self.bullets(words["offer"], rng.randint(2, 4), organisation.name, [topic, topic2]),
            asks_for_letter=rng.random() < 0.8,
            contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            contact_role=rng.choice(["Secrétaire politique", "Ressources humaines", "HR"]),
            contact_email=f"jobs@{organisation.slug}.example.org",
        )
        if offer.remote_policy == Offer.RemotePolicy.PARTIAL:
            offer.remote_days_per_week = rng.choice([Decimal("1"), Decimal("2"), Decimal("2.5")])
        if offer.apply_method == Offer.ApplyMethod.EMAIL:
            offer.apply_email = offer.contact_email
        elif offer.apply_method == Offer.ApplyMethod.EXTERNAL:
            offer.apply_url = f"https://{organisation.slug}.example.org/jobs/{i + 1}/"
        offer.search_text = search.search_text(offer.title, *(getattr(offer, name) for name in Offer.SECTION_FIELDS))
        self.schedule(offer, state)
        self.pay(offer, language, state != DRAFT or rng.random() < 0.5)
        self.contract_dates(offer, group)

        # Mostly at home; a few abroad (Luxembourg, the Netherlands, Germany).
        place_country = organisation.country if rng.random() < 0.95 else rng.choice(["LU", "NL", "DE"])
        cities = CITIES[place_country]
        places = []
        for position, (locality, postal_code, region) in enumerate(
            rng.sample(cities, min(len(cities), rng.choice([1, 1, 1, 2])))
        ):
            places.append(
                Place(
                    kind=Place.Kind.SEAT if position == 0 else rng.choice([Place.Kind.CONSTITUENCY, Place.Kind.OFFICE]),
                    name=group.institution.seat.split(",")[0] if group and position == 0 else "",
                    street_address=f"Rue de la Loi {rng.randint(1, 200)}",
                    postal_code=postal_code,
                    locality=locality,
                    region=region,
                    country=place_country,
                    position=position,
                )
            )
        asked = rng.sample(["fr", "nl", "en", "de"], rng.choice([0, 1, 1, 2, 2, 3]))
        languages = [
            RequiredLanguage(
                language=code,
                level=rng.choice(RequiredLanguage.Level.values),
                skills=rng.choice(["", "écrit et oral", "mondeling en schriftelijk", "reading"]),
            )
            for code in asked
        ]
        benefits = [
            Benefit(kind=kind, detail=rng.choice(["", "8 € par jour", "part patronale 50 %", "30 jours par an"]))
            for kind in rng.sample(Benefit.Kind.values, rng.randint(0, 4))
        ]
        return offer, state, places, languages, benefits

    def schedule(self, offer: Offer, state: str):
        """Status, publication, deadline and the selection calendar of an offer in `state`."""
        rng, now = self.rng, self.now
        if state in (OPEN, SCHEDULED_LIVE):
            published = now - timedelta(days=rng.uniform(0.5, 45))
            deadline = self.today + timedelta(days=rng.randint(1, 60))
        elif state == SCHEDULED:
            published = now + timedelta(days=rng.uniform(1, 14))
            deadline = timezone.localdate(published) + timedelta(days=rng.randint(14, 45))
        elif state == DRAFT:
            published = None
            deadline = self.today + timedelta(days=rng.randint(14, 60)) if rng.random() < 0.7 else None
        else:
            published = now - timedelta(days=rng.uniform(30, DAYS))
            latest = min(timezone.localdate(published) + timedelta(days=rng.randint(14, 60)), self.today)
            deadline = latest - timedelta(days=1)
        offer.published_at = published
        offer.deadline = local(deadline, *rng.choice([(12, 0), (23, 59)])) if deadline else None
        offer.status = {
            OPEN: OfferStatus.PUBLISHED, EXPIRED: OfferStatus.PUBLISHED, CLOSED: OfferStatus.CLOSED,
            DRAFT: OfferStatus.DRAFT, SCHEDULED: OfferStatus.SCHEDULED, SCHEDULED_LIVE: OfferStatus.SCHEDULED,
            ARCHIVED: OfferStatus.ARCHIVED,
        }[state]  # fmt: skip
        if state in (CLOSED, ARCHIVED):
            offer.closed_at = min(offer.deadline + timedelta(days=rng.uniform(0, 10)), now)
        if deadline and rng.random() < 0.7:
            offer.shortlist_on = deadline + timedelta(days=rng.randint(3, 10))
            offer.written_test_from = offer.shortlist_on + timedelta(days=rng.randint(3, 7))
            offer.written_test_to = offer.written_test_from + timedelta(days=rng.choice([0, 0, 1]))
            offer.interviews_from = offer.written_test_to + timedelta(days=rng.randint(5, 14))
            offer.interviews_to = offer.interviews_from + timedelta(days=rng.randint(0, 3))
            offer.interviews_note = rng.choice(["", "en présentiel", "op de zetel", "online"])

    def pay(self, offer: Offer, language: str, stated: bool):
        """A range, a scale or a stipend, as publishing requires; some drafts have none yet."""
        rng = self.rng
        if not stated:
            return
        if offer.contract_type in (Contract.INTERNSHIP, Contract.APPRENTICESHIP):
            offer.pay_min = offer.pay_max = Decimal(rng.choice([450, 600, 750, 900]))
            offer.pay_basis = Offer.PayBasis.NET
            offer.pay_note = rng.choice(["Indemnité de stage", "Stagevergoeding", "Internship stipend"])
        elif offer.contract_type == Contract.VOLUNTEER:
            offer.pay_min = offer.pay_max = Decimal(rng.choice([100, 150, 200]))
            offer.pay_note = rng.choice(["Défraiement forfaitaire", "Onkostenvergoeding", "Expenses allowance"])
        elif offer.contract_type == Contract.FREELANCE:
            offer.pay_period = Offer.PayPeriod.HOUR
            offer.pay_min = Decimal(rng.randrange(40, 80, 5))
            offer.pay_max = offer.pay_min + Decimal(rng.choice([0, 10, 20]))
        elif rng.random() < 0.25:
            offer.pay_scale = rng.choice(WORDS[language]["scale"])
        else:
            offer.pay_min = Decimal(rng.randrange(2200, 4200, 50))
            offer.pay_max = offer.pay_min + Decimal(rng.choice([0, 200, 400, 800]))
            offer.pay_basis = Offer.PayBasis.NET if rng.random() < 0.1 else Offer.PayBasis.GROSS

    def contract_dates(self, offer: Offer, group):
        rng = self.rng
        anchor = timezone.localdate(offer.deadline) if offer.deadline else self.today
        precision = rng.choice(Offer.StartPrecision.values)
        offer.start_precision = precision
        if precision != Offer.StartPrecision.ASAP:
            offer.start_date = anchor + timedelta(days=rng.randint(20, 80))
            if precision == Offer.StartPrecision.MONTH:
                offer.start_date = offer.start_date.replace(day=1)
        if offer.contract_type == Contract.FIXED_TERM and group and rng.random() < 0.5:
            offer.ends_with_term = True
        elif offer.contract_type in (Contract.FIXED_TERM, Contract.INTERNSHIP):
            months = rng.choice([3, 4, 6]) if offer.contract_type == Contract.INTERNSHIP else rng.choice([6, 12, 18])
            offer.duration = f"{months} mois" if offer.language == "fr" else f"{months} maanden"
            if offer.start_date:
                offer.end_date = offer.start_date + timedelta(days=30 * months)

    def paragraphs(self, sentences: list[str], count: int, organisation: str, topics: list[str]) -> str:
        chosen = [self.fill(s, organisation, topics) for s in self.rng.sample(sentences, len(sentences))]
        size = max(1, len(chosen) // count)
        return "\n\n".join(" ".join(chosen[n * size : (n + 1) * size]) for n in range(count))

    def bullets(self, items: list[str], count: int, organisation: str, topics: list[str]) -> str:
        return "\n".join(
            f"- {self.fill(item, organisation, topics)}" for item in self.rng.sample(items, min(count, len(items)))
        )

    @staticmethod
    def fill(text: str, organisation: str, topics: list[str]) -> str:
        return text.format(org=organisation, topic=topics[0], topic2=topics[1])

    # Applications

    def write_cv(self):
        storage = Document._meta.get_field("file").storage
        if not storage.exists(CV_NAME):
            storage.save(CV_NAME, ContentFile(cv_pdf()))
        self.cv_size = storage.size(CV_NAME)

    def make_applications(self, offers: list[tuple], total: int):
        """bench-big's share first, then the others', CHUNK at a time."""
        rng = self.rng
        big_total = min(BIG_SHARE, total // 10)
        self.notices = {}
        self.name_slugs = {name: slugify(name) for name in FIRST_NAMES + LAST_NAMES}
        shares = []
        for is_big in (True, False):
            share_offers = [offer for offer in offers if (offer[0] is self.big) == is_big]
            weights = accumulate(rng.lognormvariate(0, 1) for _ in share_offers)  # some offers draw crowds
            organisations = [self.big] if is_big else [o for o in self.organisations if o is not self.big]
            taking = {
                Kind.SPONTANEOUS: [o for o in organisations if o.accepts_spontaneous_applications],
                Kind.INTERNSHIP: [o for o in organisations if o.accepts_internship_requests],
            }
            shares.append((share_offers, list(weights), taking))
        done = 0
        produce = partial(self.application_chunks, shares, big_total, total)
        # On PostgreSQL the server writes while a thread makes the next rows; SQLite writes in this process,
        # where a second thread would only contend with the first for Python's lock (measured: slower).
        background = made_in_background(produce) if connection.vendor == "postgresql" else nullcontext(produce())
        with background as chunks:
            for rows in chunks:
                for model, objects in rows.items():
                    model.objects.bulk_create(objects, batch_size=1000)
                done += len(rows[Application])
                if done % 50_000 == 0 or done == total:
                    self.progress(f"{done:,} / {total:,} applications made")

    def application_chunks(self, shares: list, big_total: int, total: int):
        """The rows of the applications, CHUNK applications at a time; touches no database."""
        for start in range(0, total, CHUNK):
            rows = {Application: [], StatusChange: [], Document: []}
            for i in range(start, min(total, start + CHUNK)):
                index = i if i < big_total else i - big_total
                share = shares[0] if i < big_total else shares[1]
                self.application(i, index, *share, rows)
            yield rows

    def application(self, i: int, index: int, offers, weights, taking, rows: dict):
        rng, now = self.rng, self.now
        kind = pick(index, KINDS, rng)
        if kind == Kind.OFFER and offers:
            organisation, offer_id, language, opened, closed = rng.choices(offers, cum_weights=weights)[0]
            # More applications early after publication, fewer later.
            received = opened + (closed - opened) * rng.random() ** 1.4
        else:
            kind = kind if kind != Kind.OFFER else Kind.SPONTANEOUS
            organisation = rng.choice(taking[kind])
            offer_id, language = None, organisation.language
            received = now - timedelta(days=rng.uniform(0, DAYS))
        if rng.random() < 0.1:
            language = rng.choice(["fr", "nl", "en"])
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        application = Application(
            id=random_uuid(rng),
            kind=kind,
            organisation=organisation,
            offer_id=offer_id,
            first_name=first_name,
            last_name=last_name,
            email=f"{self.name_slugs[first_name]}.{self.name_slugs[last_name]}.{i + 1}@example.org",
            phone=f"+32 47{rng.randint(0, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
            if rng.random() < 0.6
            else "",
            message=WORDS[language]["message"].format(topic=rng.choice(WORDS[language]["topics"]))
            if rng.random() < 0.3
            else "",
            language=language,
            privacy_notice=self.notice(organisation, language),
            consents_to_political_data=True,
            consents_to_talent_pool=rng.random() < 0.4,
            is_discreet=rng.random() < 0.03,
            submission_key=random_uuid(rng),
            token_hash=hash_token(f"{rng.getrandbits(256):064x}"),
            created_at=received,
            status_changed_at=received,
            last_contact_at=received,
        )
        if kind == Kind.INTERNSHIP:
            application.school = rng.choice(SCHOOLS)
            application.study_programme = rng.choice(PROGRAMMES)
            application.period_start = timezone.localdate(received) + timedelta(days=rng.randint(40, 120))
            application.period_end = application.period_start + timedelta(weeks=rng.choice([8, 12, 15]))
            application.needs_agreement = rng.random() < 0.8
            application.interests = rng.choice(WORDS[language]["topics"])
        application.plan(now=received)
        changes = self.move_along(application, index)
        application.erase_after = application.erasure_date()
        rows[Application].append(application)
        rows[StatusChange] += changes
        if application.erase_after <= self.today:
            self.erase(application, changes)
        else:
            rows[Document].append(
                Document(
                    id=random_uuid(rng),
                    application_id=application.pk,
                    kind=Document.Kind.CV,
                    file=CV_NAME,
                    original_name=f"CV {first_name} {last_name}.pdf",
                    content_type="application/pdf",
                    size=self.cv_size,
                    uploaded_at=received,
                    # The bench's own PDF, the same for everyone: no malware to look for.
                    scan_status=Document.ScanStatus.CLEAN,
                    scanned_at=received + SCAN_DELAY,  # record_scan() stamps its verdict
                )
            )

    def move_along(self, application: Application, index: int) -> list[StatusChange]:
        """The history of `application`, as move_to() records it, the steps a few days apart before now."""
        rng, now = self.rng, self.now
        received = application.created_at
        statuses = list(Status)
        if index < len(statuses):
            path = EVERY_STATUS[statuses[index]]
            gap = (now - received) / (len(path) + 1)
            moments = [received + gap * (n + 1) for n in range(len(path))]
        else:
            path = rng.choices(PATHS, cum_weights=PATH_WEIGHTS)[0]
            moments, when = [], received
            for _status in path:
                when += timedelta(days=rng.uniform(2, 8), hours=rng.uniform(0, 8))
                if when >= now:
                    break
                moments.append(when)
        recruiter = self.recruiters[application.organisation_id]
        changes = []
        for status, when in zip(path, moments, strict=False):
            by = None if status == Status.WITHDRAWN else recruiter  # the candidate withdraws
            changes.append(
                StatusChange(
                    application_id=application.pk,
                    from_status=application.status,
                    to_status=status,
                    changed_by=by,
                    changed_at=when,
                    note="" if rng.random() < 0.9 else "Profil intéressant",
                )
            )
            application.status = status
            application.status_changed_at = when
            if by is not None and application.answered_at is None and status not in Application.WAITING_STATUSES:
                application.answered_at = when
        return changes

    def erase(self, application: Application, changes: list[StatusChange]):
        """What Application.erase() did when the nightly erase_expired_applications ran on the erase date."""
        for field in (
            "first_name", "last_name", "email", "phone", "message", "school", "study_programme", "interests",
        ):  # fmt: skip
            setattr(application, field, "")
        application.period_start = application.period_end = application.needs_agreement = None
        application.token_hash = None
        application.erased_at = min(local(application.erase_after, 3, 30), self.now)
        for change in changes:
            change.note = ""

    def notice(self, organisation: Organisation, language: str) -> str:
        """The privacy notice as the form showed it, in the language of the page."""
        key = (organisation.pk, language)
        if key not in self.notices:
            with translation.override(language if language in dict(settings.LANGUAGES) else "fr"):
                self.notices[key] = privacy_notice(organisation)
        return self.notices[key]
