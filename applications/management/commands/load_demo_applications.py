"""Load made-up applications to the demo offers, so the pipeline and the dashboard have something to show.

Each demo offer gets candidates spread between its publication and today (at
most 60 days back), and Ecolo some spontaneous applications and internship
requests. They move along the pipeline through `move_to`, with its history,
by a "demo-recruiter" account that cannot log in. Everyone is at example.org;
nobody sends documents.

The candidates of an offer come from `random.Random(<its slug>)`, so every run
draws the same ones; those already there are kept as they are, and a second
run changes nothing.
"""

from datetime import timedelta
from random import Random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from applications.forms import privacy_notice
from applications.models import Application, StatusChange
from offers.management.commands.load_demo import OFFERS
from offers.models import Offer, Organisation

Kind = Application.Kind
Status = Application.Status

RECRUITER = "demo-recruiter"
DAYS = 60
FIRST_NAMES = [
    "Camille", "Lucas", "Emma", "Noah", "Louise", "Arthur", "Alice", "Jules", "Chloé", "Adam", "Léa", "Hugo",
    "Manon", "Nathan", "Inès", "Mohamed", "Sarah", "Victor", "Lina", "Elias", "Zoé", "Samuel", "Nora", "Théo",
]  # fmt: skip
LAST_NAMES = [
    "Dubois", "Lambert", "Martin", "Peeters", "Janssens", "Dupont", "Leroy", "Claes", "Mertens", "Laurent",
    "Simon", "Lefebvre", "Moreau", "Willems", "Renard", "Benali", "Goossens", "Fontaine", "Wouters", "Petit",
]  # fmt: skip
SCHOOLS = ["UCLouvain", "ULB", "ULiège", "UNamur", "Sciences Po Lille", "Université de Lille"]
PROGRAMMES = ["Master en sciences politiques", "Master en communication", "Bachelier en droit", "Master en journalisme"]
# Who goes how far, once the recruiters have looked: (weight, the statuses they pass through).
OUTCOMES = [
    (40, [Status.IN_REVIEW, Status.REJECTED]),
    (12, [Status.REJECTED]),
    (14, [Status.IN_REVIEW, Status.SHORTLISTED, Status.REJECTED]),
    (10, [Status.IN_REVIEW, Status.SHORTLISTED, Status.INTERVIEW, Status.REJECTED]),
    (6, [Status.IN_REVIEW, Status.SHORTLISTED, Status.WRITTEN_TEST, Status.INTERVIEW, Status.REJECTED]),
    (4, [Status.IN_REVIEW, Status.SHORTLISTED, Status.INTERVIEW, Status.WITHDRAWN]),
    (11, []),  # still waiting
]
HIRED = [Status.IN_REVIEW, Status.SHORTLISTED, Status.INTERVIEW, Status.OFFER_MADE, Status.HIRED]
PATHS = [path for _weight, path in OUTCOMES]
WEIGHTS = [weight for weight, _path in OUTCOMES]


class Command(BaseCommand):
    help = (
        "Load made-up applications to the demo offers and Ecolo's spontaneous and internship requests "
        "(after load_demo); running it again changes nothing."
    )

    def handle(self, *args, **options):
        offers = Offer.objects.filter(slug__in=[data["slug"] for data in OFFERS]).select_related("organisation")
        if not offers:
            raise CommandError("No demo offer: run `manage.py load_demo` first.")
        self.created = self.kept = self.moves = 0
        self.now = timezone.now()
        with transaction.atomic():
            self.recruiter, recruiter_created = self.demo_recruiter()
            for offer in offers.order_by("slug"):
                start = max(offer.published_at, self.now - timedelta(days=DAYS))
                end = min(offer.deadline, self.now)
                self.load(Random(offer.slug), offer.organisation, offer, Kind.OFFER, start, end, (10, 28))
            ecolo = Organisation.objects.filter(slug="ecolo").first()
            if ecolo is not None:
                start = self.now - timedelta(days=DAYS)
                for kind, sizes in ((Kind.SPONTANEOUS, (8, 12)), (Kind.INTERNSHIP, (5, 8))):
                    self.load(Random(f"{ecolo.slug}-{kind}"), ecolo, None, kind, start, self.now, sizes)
        self.stdout.write(
            f"Demo applications: {self.created} created with {self.moves} status changes, "
            f"{self.kept} already there; {RECRUITER} {'created' if recruiter_created else 'already there'}."
        )

    def demo_recruiter(self):
        user, created = get_user_model().objects.get_or_create(
            username=RECRUITER, defaults={"first_name": "Demo", "last_name": "Recruiter", "is_staff": True}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user, created

    def load(self, rng: Random, organisation, offer, kind, start, end, sizes):
        """Draw the candidates of one offer (or kind) from `rng`, and create those not there yet."""
        if end <= start:
            return
        # Everyone is drawn first, so that who they are never depends on who is already there.
        candidates = [
            (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.random(), rng.choices(PATHS, WEIGHTS)[0])
            for _ in range(rng.randint(*sizes))
        ]
        if offer is not None and offer.deadline <= self.now:
            # A closed offer has hired someone: the earliest candidate.
            first = min(range(len(candidates)), key=lambda n: candidates[n][2])
            candidates[first] = (*candidates[first][:3], HIRED)
        applications = Application.objects.filter(organisation=organisation, offer=offer, kind=kind)
        existing = set(applications.values_list("email", flat=True))
        notice = privacy_notice(organisation)
        for n, (first_name, last_name, moment, path) in enumerate(candidates, start=1):
            email = f"{slugify(first_name)}.{slugify(last_name)}.{n}@example.org"
            if email in existing:
                self.kept += 1
                continue
            # More applications early after publication, fewer later.
            received = start + (end - start) * moment**1.4
            application = Application(
                kind=kind,
                organisation=organisation,
                offer=offer,
                first_name=first_name,
                last_name=last_name,
                email=email,
                language="fr",
                privacy_notice=notice,
                consents_to_political_data=True,
                consents_to_talent_pool=rng.random() < 0.4,
                created_at=received,
                status_changed_at=received,
                last_contact_at=received,
            )
            if kind == Kind.INTERNSHIP:
                application.school = rng.choice(SCHOOLS)
                application.study_programme = rng.choice(PROGRAMMES)
                application.period_start = (received + timedelta(days=rng.randint(40, 120))).date()
                application.period_end = application.period_start + timedelta(weeks=rng.choice([8, 12, 15]))
                application.needs_agreement = rng.random() < 0.8
            application.plan(now=received)
            application.save()
            self.created += 1
            self.move_along(rng, application, path)

    def move_along(self, rng: Random, application, path):
        """Take the steps of `path` a few days apart, as long as they fall before today."""
        when = application.created_at
        for status in path:
            when += timedelta(days=rng.uniform(2, 8), hours=rng.uniform(0, 8))
            if when >= self.now:
                break
            was_answered = application.answered_at is not None
            if status == Status.WITHDRAWN:
                change = application.withdraw()
            else:
                change = application.move_to(status, by=self.recruiter)
            # move_to stamps the present; the demo's history happened over the past weeks.
            StatusChange.objects.filter(pk=change.pk).update(changed_at=when)
            application.status_changed_at = when
            if not was_answered and application.answered_at is not None:
                application.answered_at = when
            self.moves += 1
        application.erase_after = application.erasure_date()
        application.save(update_fields=["status_changed_at", "answered_at", "erase_after"])
