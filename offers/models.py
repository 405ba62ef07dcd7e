import hashlib
import re
from datetime import UTC, datetime, timedelta
from functools import cached_property, lru_cache
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connection, models, transaction
from django.db.models import Q, Sum
from django.db.models.query import ValuesListIterable
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from jobboard.dates import format_date
from jobboard.links import slug_url
from offers import search, titles
from offers.caching import PublicContent, forget_public_pages
from offers.images import WebImageField
from offers.markdown import render_markdown


class Country(models.TextChoices):
    BELGIUM = "BE", _("Belgium")
    FRANCE = "FR", _("France")
    LUXEMBOURG = "LU", _("Luxembourg")
    NETHERLANDS = "NL", _("Netherlands")
    GERMANY = "DE", _("Germany")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")


def unique_slug(model, text: str, max_length: int = 80) -> str:
    """A slug for `text` that no row of `model` uses yet."""
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, counter = base, 2
    while model.objects.filter(slug=slug).exists():
        suffix = f"-{counter}"
        slug = base[: max_length - len(suffix)] + suffix
        counter += 1
    return slug


hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour such as #1a7f37."))


def relative_luminance(hex_value: str) -> float:
    def channel(component: str) -> float:
        c = int(component, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(hex_value[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(hex_value: str) -> float:
    return 1.05 / (relative_luminance(hex_value) + 0.05)


class GenderMention(models.TextChoices):
    BELGIUM = "h/f/x", _("h/f/x (Belgium)")
    FRANCE = "H/F", _("H/F (France)")
    FLANDERS = "m/v/x", _("m/v/x (Flanders)")


class Organisation(PublicContent, models.Model):
    """The employer and the tenant: each recruiter works for one or more of these."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Political party")
        YOUTH_WING = "youth", _("Youth wing")
        FOUNDATION = "foundation", _("Foundation or study centre")
        POLITICAL_GROUP = "group", _("Political group (own payroll)")
        OTHER = "other", _("Other organisation")

    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PARTY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        help_text=_("For a youth wing or a foundation: the party it belongs to."),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    website = models.URLField(_("website"), blank=True)
    logo = WebImageField(_("logo"), upload_to="logos/", blank=True, max_size=(400, 400), keep_transparency=True)
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        validators=[hex_colour],
        help_text=_("Used on the organisation's pages; it must be dark enough for white text (contrast 4.5:1)."),
    )
    presentation = models.TextField(_("presentation"), blank=True, help_text=_("Markdown."))
    working_with_us = models.TextField(_("working with us"), blank=True, help_text=_("Markdown."))
    candidate_expectations = models.TextField(_("what we expect from candidates"), blank=True, help_text=_("Markdown."))
    gender_mention = models.CharField(
        _("gender mention on titles"),
        max_length=5,
        choices=GenderMention.choices,
        blank=True,
        help_text=_("Added to offer titles that do not carry one, as the country's usage has it."),
    )
    accepts_spontaneous_applications = models.BooleanField(_("accepts spontaneous applications"), default=False)
    accepts_internship_requests = models.BooleanField(_("accepts internship requests"), default=False)
    internship_requests_email = models.EmailField(
        _("internship requests by e-mail to"),
        blank=True,
        help_text=_("Candidates are asked to write to this address instead of using the site's form."),
    )
    applications_email = models.EmailField(
        _("address for applications"),
        blank=True,
        help_text=_("Where notices of new applications are sent, besides the recruiters' own addresses."),
    )
    recruiters_can_publish = models.BooleanField(
        _("recruiters may publish"),
        default=False,
        help_text=_("Otherwise recruiters prepare offers and an organisation admin publishes them."),
    )
    requires_two_factor = models.BooleanField(
        _("requires two-factor authentication"),
        default=False,
        help_text=_(
            "Staff of the organisation must confirm each login with a code from an authenticator app; "
            "those who have not set one up are asked to before they can do anything else."
        ),
    )
    answer_within_days = models.PositiveSmallIntegerField(
        _("answer applicants within (days)"),
        default=21,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Applications without an answer after this delay are flagged."),
    )
    keep_after_outcome_months = models.PositiveSmallIntegerField(
        _("keep applications after the outcome (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Personal data is erased this long after a rejection or a withdrawal."),
    )
    talent_pool_months = models.PositiveSmallIntegerField(
        _("keep the talent pool (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("For candidates who agreed to be considered for other positions: months after the last contact."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("offers:organisation", self.slug)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    # Pages carry no inline style (CONTENT_SECURITY_POLICY): the accent colour reaches them as a class
    # defined in the organisation's own small stylesheet (offers.views.accent_stylesheet).
    @property
    def accent_class(self) -> str:
        """The class that gives an element the organisation's accent colour; empty without a valid colour."""
        return f"accent-{self.slug}" if hex_colour.regex.fullmatch(self.accent_colour) else ""

    def accent_css(self) -> str:
        return f".{self.accent_class} {{ --jb-accent: {self.accent_colour}; }}\n" if self.accent_class else ""

    @property
    def accent_version(self) -> str:
        """Changes with the stylesheet's content: its ETag, and the query string that lets browsers keep it."""
        return hashlib.sha256(self.accent_css().encode()).hexdigest()[:16]

    @property
    def accent_stylesheet_url(self) -> str:
        return f"{slug_url('accent_stylesheet', self.slug)}?v={self.accent_version}"

    def clean(self):
        if self.accent_colour and not hex_colour.regex.match(self.accent_colour):
            return  # the field validator reports it
        if self.accent_colour and contrast_with_white(self.accent_colour) < 4.5:
            raise ValidationError(
                {"accent_colour": _("This colour is too light: white text on it would be hard to read.")}
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organisation cannot be its own parent.")})
        if self.internship_requests_email and not self.accepts_internship_requests:
            raise ValidationError(
                {"internship_requests_email": _("Tick “accepts internship requests” too, or leave this empty.")}
            )

    @property
    def takes_internship_requests_by_form(self) -> bool:
        """Otherwise the organisation takes none, or only by e-mail (`internship_requests_email`)."""
        return self.accepts_internship_requests and not self.internship_requests_email

    def presentation_html(self):
        return render_markdown(self.presentation)

    def working_with_us_html(self):
        return render_markdown(self.working_with_us)

    def candidate_expectations_html(self):
        return render_markdown(self.candidate_expectations)


class Membership(models.Model):
    """A staff user working for an organisation, with their role there."""

    class Role(models.TextChoices):
        RECRUITER = "recruiter", _("Recruiter")
        ADMIN = "admin", _("Organisation admin")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.RECRUITER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="offers_membership_no_duplicates"),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


def organisations_of(user):
    """The organisations whose data `user` may see in the staff admin."""
    if user.is_superuser:
        return Organisation.objects.all()
    if not (user.is_active and user.is_staff):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def organisations_requiring_two_factor(user):
    """The user's organisations that require two-factor authentication of their staff.

    The one rule for "must this user use 2FA" (the admin's gate, the enrolment pages): any organisation they
    are a member of that requires it. Superusers count their memberships, like anyone, not every organisation."""
    return Organisation.objects.filter(memberships__user=user, requires_two_factor=True)


def may_publish(user, organisation) -> bool:
    """Organisation admins publish; recruiters too where the organisation lets them."""
    if user.is_superuser:
        return True
    role = Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True).first()
    return role == Membership.Role.ADMIN or (role == Membership.Role.RECRUITER and organisation.recruiters_can_publish)


class Institution(PublicContent, models.Model):
    """An assembly where political groups sit: a council, a parliament."""

    class Level(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal")
        PROVINCIAL = "provincial", _("Provincial or departmental")
        REGIONAL = "regional", _("Regional or community")
        NATIONAL = "national", _("National or federal")
        EUROPEAN = "european", _("European")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    region = models.CharField(_("region"), max_length=100, blank=True)
    seat = models.CharField(
        _("seat"), max_length=150, blank=True, help_text=_("Building and city, e.g. Hôtel de Région, Nantes.")
    )
    website = models.URLField(_("website"), blank=True)
    term_started_on = models.DateField(_("current term started on"), null=True, blank=True)
    term_ends_year = models.PositiveSmallIntegerField(
        _("current term ends in"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year of the next election; contracts tied to the legislature end then."),
    )

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PoliticalGroup(PublicContent, models.Model):
    """A group of elected members in one institution, possibly from several parties."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="groups"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("administered by"),
        help_text=_("The organisation whose recruiters manage this group's offers."),
        on_delete=models.PROTECT,
        related_name="administered_groups",
    )
    president = models.CharField(_("president"), max_length=150, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("elected members"), null=True, blank=True, help_text=_("Empty if unknown.")
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    website = models.URLField(_("website"), blank=True)
    parties = models.ManyToManyField(
        Organisation, through="GroupComposition", related_name="member_of_groups", blank=True
    )

    class Meta:
        verbose_name = _("political group")
        verbose_name_plural = _("political groups")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.institution})"

    def get_absolute_url(self):
        return slug_url("offers:group", self.slug)

    def description_html(self):
        return render_markdown(self.description)

    def composition_summary(self, parts=None) -> str:
        """'14 elected members from 3 parties': from `parts`, or the prefetched `composition`. Without
        the number of members, 'Elected members from 3 parties' rather than a number made up."""
        party_count = sum(1 for part in (self.composition.all() if parts is None else parts) if part.party_id)
        if self.seats is None:
            if not party_count:
                return gettext("Elected members")
            return ngettext("Elected members from %(n)d party", "Elected members from %(n)d parties", party_count) % {
                "n": party_count
            }
        members = ngettext("%(n)d elected member", "%(n)d elected members", self.seats) % {"n": self.seats}
        if not party_count:
            return members
        parties = ngettext("from %(n)d party", "from %(n)d parties", party_count) % {"n": party_count}
        return f"{members} {parties}"

    def clean(self):
        super().clean()
        if self.pk and self.seats is not None:
            known = self.composition.aggregate(total=Sum("seats"))["total"] or 0
            if known > self.seats:
                raise ValidationError({"seats": _("The parties' seats add up to more than the group's members.")})


class GroupComposition(PublicContent, models.Model):
    """How many of a group's seats a party holds; no party means non-affiliated members."""

    group = models.ForeignKey(PoliticalGroup, on_delete=models.CASCADE, related_name="composition")
    party = models.ForeignKey(
        Organisation,
        verbose_name=_("party"),
        help_text=_("Leave empty for non-affiliated members."),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_seats",
    )
    seats = models.PositiveSmallIntegerField(_("seats"), null=True, blank=True, help_text=_("Empty if unknown."))

    class Meta:
        verbose_name = _("party in the group")
        verbose_name_plural = _("composition")
        ordering = ["-seats", "party__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "party"], name="offers_composition_one_row_per_party"),
            models.UniqueConstraint(
                fields=["group"], condition=Q(party__isnull=True), name="offers_composition_one_non_affiliated_row"
            ),
        ]

    def __str__(self):
        who = self.party.display_name if self.party_id else _("Non-affiliated")
        return f"{who}: {self.seats if self.seats is not None else '?'}"


class OfferQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one public-visibility rule: published (or scheduled) offers whose
        publication time has come, and closed ones, which stay readable."""
        return self.filter(
            status__in=[Offer.Status.SCHEDULED, Offer.Status.PUBLISHED, Offer.Status.CLOSED],
            published_at__lte=now or timezone.now(),
        )

    def open(self, now=None):
        """Public offers that still take applications: published (or scheduled) and their time come,
        not closed, deadline not passed. Written out rather than narrowing published(): with both
        status conditions, SQLite searched the index with published()'s wider one, and counting the
        open offers took 1.2 ms instead of 0.5."""
        now = now or timezone.now()
        return self.filter(
            status__in=[Offer.Status.SCHEDULED, Offer.Status.PUBLISHED],
            published_at__lte=now,
            deadline__gt=now,
        )

    def closing_within(self, days: int):
        return self.open().filter(deadline__lte=timezone.now() + timedelta(days=days))

    def for_user(self, user):
        """The one staff-visibility rule: offers of the user's organisations."""
        return self.filter(organisation__in=organisations_of(user))

    IDS_COUNTED = 1000  # see with_ids_in()
    IDS_LOOKED_UP = 300

    def with_ids_in(self, ids, *, at_most: int | None = None):
        """Offers whose id is among `ids` (a query of ids), of which there are `at_most` if known. On SQLite,
        compared as `+id`: not through the primary key's index, which made SQLite fetch each offer's row
        (7,000 rows of a few kilobytes for a common word), but in the list's covering indexes, checked
        against the ids found once. Fewer ids are looked up by the primary key instead:

        - up to IDS_COUNTED (the offers of a place), their count: 0.3 ms for a town's 66 offers where
          checking the 4,000 open offers took 1.1, and the same for a city's 350;
        - up to IDS_LOOKED_UP, their page too, sorted afterwards: 0.6 ms for a town's 66 where reading the
          newest first until twenty of them took 1.1; for a city's 350, 2.4 ms instead of 0.8."""
        if connection.vendor != "sqlite" or (at_most is not None and at_most <= self.IDS_LOOKED_UP):
            return self.filter(pk__in=ids)
        column = UnindexedInOrder("pk") if at_most is not None and at_most <= self.IDS_COUNTED else Unindexed("pk")
        return self.alias(unindexed_pk=column).filter(unindexed_pk__in=ids)

    def for_organisation_page(self, organisation):
        """Offers of the organisation, of its youth wing or foundation, and of the
        groups it has members in: what its careers page lists."""
        return self.filter(
            Q(organisation=organisation)
            | Q(organisation__parent=organisation)
            | Q(group__composition__party=organisation)
        ).distinct()

    def for_cards(self):
        """What a card, a feed item or an e-mail shows of an offer: its organisation and group,
        not its long texts (a few kilobytes each, read from disk and sorted for nothing)."""
        return self.select_related("organisation", "group__institution").defer(*Offer.LONG_TEXT_FIELDS)

    def with_card_data(self):
        return self.for_cards().prefetch_related("places")

    def for_card_keys(self):
        """Each offer as the `CardKey` that finds its kept card (`offers.cards`), which then loads the
        offers whose card it has to make: a list page usually needs no more. Tuples, not offers: making
        twenty model instances took a tenth of the list page."""
        keys = self.values_list("pk", "status", "published_at", "deadline")
        keys._iterable_class = CardKeysIterable
        return keys

    def for_offer_page(self, now=None):
        """What an offer's page shows of it, in one query: its organisation, group and institution,
        and as JSON its places, languages, benefits and group's composition (see `Offer.group_parts`),
        which `OfferPageIterable` turns into what prefetch_related() would have given, and the first
        of the organisation's other offers open at `now` (`Offer.other_open_offers`)."""
        other_open_offers = (
            Offer.objects.open(now)
            .filter(organisation=models.OuterRef("organisation"))
            .exclude(pk=models.OuterRef("pk"))
            .order_by("deadline")[: Offer.OTHER_OPEN_OFFERS_SHOWN]
        )
        offers = self.select_related("organisation", "group__institution").annotate(
            group_composition=RelatedRows(
                GroupComposition, link="group", key="group", fields=["party_id", "party__name", "party__slug", "seats"]
            ),
            place_rows=RelatedRows(Place, link="offer", key="pk"),
            language_rows=RelatedRows(RequiredLanguage, link="offer", key="pk"),
            benefit_rows=RelatedRows(Benefit, link="offer", key="pk"),
            other_open_offer_rows=SubqueryRows(
                other_open_offers, fields=["title", "slug", "contract_type", "deadline"]
            ),
        )
        offers._iterable_class = OfferPageIterable
        return offers


class CardKey(NamedTuple):
    pk: int
    is_open: bool


class CardKeysIterable(ValuesListIterable):
    def __iter__(self):
        return card_keys(super().__iter__())


def card_keys(rows):
    """A `CardKey` from each (pk, status, published_at, deadline, …) row: whether the offer is open now."""
    now = timezone.now()
    for pk, status, published_at, deadline, *_extra_columns in rows:
        yield CardKey(pk, Offer.takes_applications(status, published_at, deadline, now))


class Unindexed(models.Func):
    """A column written `+column`: the same value, which SQLite then reads in the index the rest of the
    query is read from, rather than looking it up through the column's own index."""

    template = "+%(expressions)s"


class UnindexedInOrder(Unindexed):
    """`+column` in a query read in an order (a page), the column itself in one that is not (a count)."""

    def as_sql(self, compiler, connection, **extra_context):
        query = compiler.query
        if query.order_by or (query.default_ordering and query.get_meta().ordering):
            return super().as_sql(compiler, connection, **extra_context)
        return compiler.compile(self.source_expressions[0])


class RelatedRows(models.Func):
    """The rows of `model` whose `link` is the query's `key`, as one JSON array of objects of `fields`
    (all its columns by default; `fk__name` for a column of the row a foreign key points to): an
    offer's places, say, in the offer's own query. json_group_array on SQLite, jsonb_agg on PostgreSQL
    (jsonb, which Django reads as text as for a JSONField; json_agg's json would arrive decoded).

    Written out as SQL: a Subquery of JSONObject rows makes the same, but costs about a millisecond
    to build and compile on every request, where this costs some microseconds."""

    output_field = models.JSONField()

    def __init__(self, model, *, link, key, fields=None):
        super().__init__(key)
        self.model, self.link = model, link
        self.fields = fields or [field.attname for field in model._meta.concrete_fields]

    def as_sql(self, compiler, connection, aggregate="JSON_GROUP_ARRAY", build="JSON_OBJECT", **extra_context):
        key, params = compiler.compile(self.source_expressions[0])
        quote = connection.ops.quote_name
        meta = self.model._meta
        # Aliases of their own: a table the outer query reads too must not take over its columns.
        row = quote("related")
        tables, pairs = {row: f"{quote(meta.db_table)} {row}"}, []
        for path in self.fields:
            name, _, joined_name = path.partition("__")
            field = meta.get_field(name)
            if joined_name:  # a left join, for the foreign key may be empty
                joined, alias = field.related_model._meta, quote(f"related_{name}")
                tables[alias] = (
                    f"LEFT JOIN {quote(joined.db_table)} {alias}"
                    f" ON {alias}.{quote(joined.pk.column)} = {row}.{quote(field.column)}"
                )
                pairs.append(f"'{path}', {alias}.{quote(joined.get_field(joined_name).column)}")
            else:
                pairs.append(f"'{path}', {row}.{quote(field.column)}")
        link = f"{row}.{quote(meta.get_field(self.link).column)}"
        sql = f"(SELECT {aggregate}({build}({', '.join(pairs)})) FROM {' '.join(tables.values())} WHERE {link} = {key})"
        return sql, params

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, aggregate="JSONB_AGG", build="JSONB_BUILD_OBJECT", **extra_context)


class SubqueryRows(models.Func):
    """The rows of `queryset`, a query correlated with the outer one (OuterRef), as one JSON array of
    objects of `fields`, in the queryset's order: the few other offers an offer's page lists, say, in
    the offer's own query rather than in one more. The subquery stays the ORM's, public-visibility
    rule included; only the array around it is written here, as `RelatedRows` writes it."""

    output_field = models.JSONField()

    def __init__(self, queryset, *, fields):
        super().__init__(models.Subquery(queryset.values(*fields)))
        self.fields = fields

    def as_sql(self, compiler, connection, aggregate="JSON_GROUP_ARRAY", build="JSON_OBJECT", **extra_context):
        rows, params = compiler.compile(self.source_expressions[0])  # "(SELECT …)", its columns named as `fields`
        quote = connection.ops.quote_name
        pairs = ", ".join(f"'{name}', {quote('row')}.{quote(name)}" for name in self.fields)
        return f"(SELECT {aggregate}({build}({pairs})) FROM {rows} {quote('row')})", params

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, aggregate="JSONB_AGG", build="JSONB_BUILD_OBJECT", **extra_context)


class OfferPageIterable(models.query.ModelIterable):
    """The offers of `OfferQuerySet.for_offer_page()`, their places, languages and benefits put where
    prefetch_related() puts them: `offer.places.all()` and the others then cost no query."""

    def __iter__(self):
        db = self.queryset.db
        for offer in super().__iter__():
            cache = offer.__dict__.setdefault("_prefetched_objects_cache", {})
            # In their models' order (Meta.ordering; the primary key for the languages, which have none).
            for name, model, rows, order in (
                ("places", Place, offer.place_rows, lambda place: (place.position, place.pk)),
                ("languages", RequiredLanguage, offer.language_rows, lambda language: language.pk),
                ("benefits", Benefit, offer.benefit_rows, lambda benefit: benefit.pk),
            ):
                fields = model._meta.concrete_fields
                objects = sorted(
                    (model.from_db(db, None, [row[field.attname] for field in fields]) for row in rows or []),
                    key=order,
                )
                for obj in objects:
                    model.offer.field.set_cached_value(obj, offer)
                cache[name] = KnownRows.of(offer, model, objects, db)
            yield offer


class KnownRows(models.QuerySet):
    """Rows of `model` read already for `offer`, as prefetch_related() leaves them: iterating, counting
    or indexing reads them; refining them (filter, order_by, all…) asks the database for the offer's
    rows, as the related manager's queryset would. Building that queryset for each of an offer's
    relations took a tenth of its page."""

    @classmethod
    def of(cls, offer, model, objects, db) -> "KnownRows":
        rows = cls(model=model, using=db)
        rows.offer, rows._result_cache, rows._prefetch_done = offer, objects, True
        return rows

    def _chain(self):
        return self.model._default_manager.using(self.db).filter(offer=self.offer)._chain()


def json_datetime(text: str) -> datetime:
    """A datetime column's value as JSON gave it: SQLite's text (in UTC, without its zone), PostgreSQL's
    ISO 8601 with its offset."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def choice_label(choices: type[models.Choices], value, language: str = ""):
    """What get_FOO_display() shows, at a fraction of its cost: to find one label, it hashes (so
    translates) all the field's labels. The value itself when it is no choice, as there. A page that
    shows many passes the active `language` it read once."""
    return choice_labels(choices, language or get_language()).get(value, value)


@lru_cache(maxsize=256)
def choice_labels(choices: type[models.Choices], language: str) -> dict:
    """Each choice's label, translated; `language` (the active one) is only there to be part of the key."""
    return {choice.value: str(choice.label) for choice in choices}


@receiver(setting_changed)
def forget_choice_labels(*, setting, **kwargs):
    """The labels follow the catalogues (tests switch them)."""
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        choice_labels.cache_clear()


CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "CHF": "CHF"}


def money(amount) -> str:
    """An amount with the active language's grouping, and no decimals when whole."""
    places = 0 if amount == amount.to_integral_value() else 2
    return number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)


def date_span(start, end, note="") -> str:
    text = format_date(start)
    if end and end != start:
        text = gettext("%(start)s to %(end)s") % {"start": text, "end": format_date(end)}
    return f"{text} ({note})" if note else text


# Pay described only by such words is no pay information (EU Directive 2023/970).
VAGUE_PAY = re.compile(
    r"comp[ée]titi|attracti|negotia|n[ée]gocia|selon (le )?profil|according to (profile|experience)"
    r"|to be (discussed|agreed)|[àa] discuter|marktconform|competitief|bespreekbaar|nader te bepalen",
    re.IGNORECASE,
)


# The list's filters on the offer's own columns, carried by the two indexes it reads (Offer.Meta)
# so that it never reads the offers' rows, a few kilobytes each with their texts: counting the
# open offers in one language read 4,000 of them, 10 ms on SQLite.
LIST_FILTER_FIELDS = ["contract_type", "language", "remote_policy", "organisation", "group", "countries"]


class Offer(PublicContent, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class ContractType(models.TextChoices):
        PERMANENT = "permanent", _("Permanent contract")
        FIXED_TERM = "fixed_term", _("Fixed-term contract")
        INTERNSHIP = "internship", _("Internship")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        VOLUNTEER = "volunteer", _("Volunteer")
        FREELANCE = "freelance", _("Freelance")

    class WorkingTime(models.TextChoices):
        FULL_TIME = "full_time", _("Full time")
        PART_TIME = "part_time", _("Part time")

    class RemotePolicy(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        PARTIAL = "partial", _("Partly remote")
        FULL = "full", _("Fully remote")

    class Travel(models.TextChoices):
        NONE = "none", _("No travel")
        OCCASIONAL = "occasional", _("Occasional travel")
        FREQUENT = "frequent", _("Frequent travel")

    class StartPrecision(models.TextChoices):
        DAY = "day", _("On this day")
        MONTH = "month", _("In this month")
        ASAP = "asap", _("As soon as possible")

    class PayPeriod(models.TextChoices):
        HOUR = "hour", _("per hour")
        MONTH = "month", _("per month")
        YEAR = "year", _("per year")

    class PayBasis(models.TextChoices):
        GROSS = "gross", _("gross")
        NET = "net", _("net")

    class ApplyMethod(models.TextChoices):
        BOARD = "board", _("The board's application form")
        EMAIL = "email", _("By e-mail")
        EXTERNAL = "external", _("On another website")

    # What and who
    title = models.CharField(
        _("title"), max_length=200, help_text=_("As written, inclusive forms included (chargé·e, h/f/x).")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="offers"
    )
    group = models.ForeignKey(
        PoliticalGroup,
        verbose_name=_("recruiting group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
    )
    employer_of_record = models.CharField(
        _("employer of record"),
        max_length=200,
        blank=True,
        help_text=_("Who signs the contract, when it is not the organisation (e.g. the council, for group staff)."),
    )
    reporting_line = models.CharField(_("reports to"), max_length=200, blank=True)
    language = models.CharField(
        _("language of the offer"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )

    # Contract
    contract_type = models.CharField(_("contract"), max_length=16, choices=ContractType.choices)
    contract_detail = models.CharField(
        _("contract detail"),
        max_length=200,
        blank=True,
        help_text=_("e.g. group staff contract, internship agreement."),
    )
    working_time = models.CharField(
        _("working time"), max_length=10, choices=WorkingTime.choices, default=WorkingTime.FULL_TIME
    )
    working_time_percent = models.PositiveSmallIntegerField(
        _("share of full time (%)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    duration = models.CharField(_("duration"), max_length=100, blank=True, help_text=_("e.g. 4 to 6 months."))
    start_date = models.DateField(_("start"), null=True, blank=True)
    start_precision = models.CharField(
        _("start precision"), max_length=5, choices=StartPrecision.choices, default=StartPrecision.DAY
    )
    start_note = models.CharField(
        _("start detail"), max_length=150, blank=True, help_text=_("e.g. January or February.")
    )
    end_date = models.DateField(_("end"), null=True, blank=True)
    ends_with_term = models.BooleanField(
        _("ends with the legislature"),
        default=False,
        help_text=_("The contract ends with the mandate or the legislature."),
    )

    # Where
    travel = models.CharField(_("travel"), max_length=10, choices=Travel.choices, default=Travel.NONE)
    travel_detail = models.CharField(_("travel detail"), max_length=200, blank=True)
    remote_policy = models.CharField(
        _("remote work"), max_length=8, choices=RemotePolicy.choices, default=RemotePolicy.ON_SITE
    )
    remote_days_per_week = models.DecimalField(
        _("remote days per week"), max_digits=2, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )  # fmt: skip
    remote_detail = models.CharField(_("presence and remote detail"), max_length=300, blank=True)

    # Sections (Markdown)
    context = models.TextField(_("context"), blank=True, help_text=_("Markdown."))
    missions = models.TextField(_("missions"), blank=True, help_text=_("Markdown."))
    profile = models.TextField(_("profile"), blank=True, help_text=_("Markdown."))
    what_we_offer = models.TextField(_("what we offer"), blank=True, help_text=_("Markdown."))

    # Pay
    pay_min = models.DecimalField(_("pay from"), max_digits=9, decimal_places=2, null=True, blank=True)
    pay_max = models.DecimalField(_("pay up to"), max_digits=9, decimal_places=2, null=True, blank=True)
    pay_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    pay_period = models.CharField(_("pay period"), max_length=5, choices=PayPeriod.choices, default=PayPeriod.MONTH)
    pay_basis = models.CharField(_("gross or net"), max_length=5, choices=PayBasis.choices, default=PayBasis.GROSS)
    pay_scale = models.CharField(
        _("pay scale or grade"), max_length=200, blank=True, help_text=_("e.g. the Chamber's scales, grade A1.")
    )
    pay_note = models.CharField(_("pay detail"), max_length=300, blank=True)

    # Selection calendar
    deadline = models.DateTimeField(_("application deadline"), null=True, blank=True)
    shortlist_on = models.DateField(_("shortlisting"), null=True, blank=True)
    written_test_from = models.DateField(_("written test from"), null=True, blank=True)
    written_test_to = models.DateField(_("written test until"), null=True, blank=True)
    written_test_note = models.CharField(_("written test detail"), max_length=200, blank=True)
    interviews_from = models.DateField(_("interviews from"), null=True, blank=True)
    interviews_to = models.DateField(_("interviews until"), null=True, blank=True)
    interviews_note = models.CharField(_("interviews detail"), max_length=200, blank=True)

    # How to apply and whom to ask
    apply_method = models.CharField(
        _("how to apply"), max_length=8, choices=ApplyMethod.choices, default=ApplyMethod.BOARD
    )
    apply_email = models.EmailField(_("application e-mail"), blank=True)
    apply_url = models.URLField(_("application page"), blank=True)
    asks_for_cv = models.BooleanField(_("CV asked"), default=True)
    asks_for_letter = models.BooleanField(_("cover letter asked"), default=True)
    other_documents = models.CharField(_("other documents asked"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_role = models.CharField(_("contact's role"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    recruiters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recruiters in charge"),
        blank=True,
        related_name="offers_in_charge",
        help_text=_("Only they see the identity of candidates who ask for a discreet application."),
    )

    # The countries of its places ("BE FR"), kept by Place (refresh_offer_countries): the list's country
    # filter reads it in its covering indexes, where asking each open offer's places took most of the page.
    countries = models.CharField(max_length=60, editable=False, default="")

    # Derived from the title and sections on save, and by the database: see offers/search.py.
    search_text = models.TextField(editable=False, default="")
    search_vector = models.GeneratedField(
        expression=search.KeysVector("search_text"), output_field=SearchVectorField(), db_persist=True
    )

    # Publication
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    SECTION_FIELDS = ("context", "missions", "profile", "what_we_offer")
    SEARCH_FIELDS = ("search_text", "search_vector")
    LONG_TEXT_FIELDS = (*SECTION_FIELDS, *SEARCH_FIELDS)
    OTHER_OPEN_OFFERS_SHOWN = 5  # on an offer's page

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-published_at", "-pk"]
        indexes = [
            # The public rule (published, open) and the list's filters: counted from the index alone. The
            # deadline before the publication: the open offers are then read from the first one still open,
            # not from the first ever published (five in eight on the benchmark's board, more as years pass).
            models.Index(fields=["status", "deadline", "published_at", *LIST_FILTER_FIELDS], name="offers_offer_open"),
            models.Index(fields=["deadline"], name="offers_offer_deadline"),
            # The sitemap index's date, the latest change: read from the index's end, not from every offer.
            models.Index(fields=["updated_at"], name="offers_offer_updated"),
            # The list, newest first: read in order, filtered and stopped at the page's end in the index.
            models.Index(
                fields=["-published_at", "-id", "status", "deadline", *LIST_FILTER_FIELDS], name="offers_offer_newest"
            ),
            # The open offers of a group (also of a level: of its groups) or of an organisation (its page, the
            # other offers on an offer's page): read alone, where the indexes above read every open offer
            # and the foreign key's own index read each offer's row, closed ones too. Counting a level's
            # offers on the benchmark's board: SQLite 0.84 -> 0.11 ms, PostgreSQL 2.1 -> 0.56 ms.
            models.Index(fields=["group", "status", "deadline", "published_at"], name="offers_offer_group_open"),
            models.Index(
                fields=["organisation", "status", "deadline", "published_at"], name="offers_offer_organisation_open"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True) | Q(pay_min__lte=models.F("pay_max")),
                name="offers_offer_pay_min_lte_max",
            ),
            models.CheckConstraint(
                condition=(Q(pay_min__isnull=True) | Q(pay_min__gte=0)) & (Q(pay_max__isnull=True) | Q(pay_max__gte=0)),
                name="offers_offer_pay_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(working_time="full_time") | Q(working_time_percent__isnull=False),
                name="offers_offer_part_time_has_share",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "published", "closed"]) | Q(published_at__isnull=False),
                name="offers_offer_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = search.search_text(self.title, *(getattr(self, name) for name in self.SECTION_FIELDS))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", *self.SECTION_FIELDS} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("offers:detail", self.slug)

    @cached_property
    def other_open_offers(self) -> list[tuple[str, str, str, datetime]]:
        """(title, slug, contract type, deadline) of the organisation's other open offers, from
        `for_offer_page()`, soonest deadline first."""
        rows = [
            (row["title"], row["slug"], row["contract_type"], json_datetime(row["deadline"]))
            for row in self.other_open_offer_rows or []  # no row: NULL on PostgreSQL
        ]
        # Sorted again: a JSON aggregate keeps its subquery's order in practice, not by any standard.
        return sorted(rows, key=lambda row: row[3])

    @cached_property
    def group_parts(self) -> list["GroupComposition"]:
        """The group's composition, from `for_offer_page()`, largest share first."""
        parts = [
            GroupComposition(
                group=self.group,
                party=Organisation(pk=row["party_id"], name=row["party__name"], slug=row["party__slug"])
                if row["party_id"]
                else None,
                seats=row["seats"],
            )
            for row in self.group_composition or []
        ]
        return sorted(
            parts, key=lambda part: (part.seats is None, -(part.seats or 0), part.party.name if part.party else "")
        )

    @property
    def group_composition_summary(self) -> str:
        return self.group.composition_summary(self.group_parts)

    # Reading

    @property
    def display_title(self) -> str:
        """The title as written, with the organisation's gender mention if it has none."""
        mention = self.organisation.gender_mention
        if mention and not titles.has_gender_mention(self.title):
            return f"{self.title} ({mention})"
        return self.title

    @property
    def spoken_title(self) -> str:
        """The title as screen readers should say it: inclusive words in full."""
        return titles.spoken(self.title)

    @property
    def is_open(self) -> bool:
        """Takes applications now: published, its time come, deadline not passed."""
        return self.takes_applications(self.status, self.published_at, self.deadline, timezone.now())

    @classmethod
    def takes_applications(cls, status, published_at, deadline, now) -> bool:
        """`is_open` from the columns it reads (`OfferQuerySet.open` in Python)."""
        return (
            status in (cls.Status.SCHEDULED, cls.Status.PUBLISHED)
            and published_at is not None
            and published_at <= now
            and deadline is not None
            and deadline > now
        )

    @property
    def is_live(self) -> bool:
        """Visible on the public site (open or closed)."""
        return (
            self.status in (self.Status.SCHEDULED, self.Status.PUBLISHED, self.Status.CLOSED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def effective_status(self) -> str:
        """The status as the public sees it now, deadlines and schedules applied."""
        if self.status == self.Status.SCHEDULED and self.is_live:
            return self.Status.PUBLISHED if self.is_open else self.Status.CLOSED
        if self.status == self.Status.PUBLISHED and not self.is_open:
            return self.Status.CLOSED
        return self.status

    def get_effective_status_display(self) -> str:
        return self.Status(self.effective_status).label

    @property
    def days_left(self) -> int | None:
        if not self.deadline:
            return None
        return (timezone.localdate(self.deadline) - timezone.localdate()).days

    @property
    def is_internship(self) -> bool:
        return self.contract_type == self.ContractType.INTERNSHIP

    @property
    def has_pay(self) -> bool:
        return self.pay_min is not None or self.pay_max is not None or bool(self.pay_scale.strip())

    def sections(self) -> list[tuple[str, str]]:
        """(heading, sanitised HTML) of each section that has content."""
        return [
            (str(self._meta.get_field(name).verbose_name), render_markdown(getattr(self, name)))
            for name in self.SECTION_FIELDS
            if getattr(self, name).strip()
        ]

    def places_display(self) -> str:
        return " / ".join(place.locality for place in self.places.all())

    def working_time_display(self) -> str:
        if self.working_time == self.WorkingTime.PART_TIME and self.working_time_percent:
            return gettext("Part time (%(percent)s %%)") % {"percent": self.working_time_percent}
        return choice_label(self.WorkingTime, self.working_time)

    def pay_summary(self) -> str:
        """The pay in one line: '2 400 – 2 600 € net per month', or the scale."""
        symbol = CURRENCY_SYMBOLS.get(self.pay_currency, self.pay_currency)
        low, high = self.pay_min, self.pay_max
        if low is None and high is None:
            return self.pay_scale
        if low is not None and high is not None and low != high:
            amount = gettext("%(low)s – %(high)s %(currency)s") % {
                "low": money(low),
                "high": money(high),
                "currency": symbol,
            }
        elif low is None:
            amount = gettext("up to %(amount)s %(currency)s") % {"amount": money(high), "currency": symbol}
        elif high is None:
            amount = gettext("from %(amount)s %(currency)s") % {"amount": money(low), "currency": symbol}
        else:
            amount = f"{money(low)} {symbol}"
        return f"{amount} {choice_label(self.PayBasis, self.pay_basis)} {choice_label(self.PayPeriod, self.pay_period)}"

    def start_display(self) -> str:
        if self.start_precision == self.StartPrecision.ASAP:
            text = str(self.StartPrecision.ASAP.label)
        elif self.start_date and self.start_precision == self.StartPrecision.MONTH:
            text = format_date(self.start_date, "YEAR_MONTH_FORMAT")
        elif self.start_date:
            text = format_date(self.start_date)
        else:
            text = ""
        return ", ".join(part for part in (text, self.start_note) if part)

    def end_display(self) -> str:
        if self.ends_with_term:
            year = self.group.institution.term_ends_year if self.group_id else None
            if year:
                return gettext("Until the end of the legislature (%(year)s)") % {"year": year}
            return gettext("Until the end of the legislature")
        return format_date(self.end_date) if self.end_date else ""

    def remote_display(self) -> str:
        text = choice_label(self.RemotePolicy, self.remote_policy)
        if self.remote_days_per_week:
            days = ngettext("%(days)s day a week", "%(days)s days a week", int(self.remote_days_per_week))
            text = f"{text} · {days % {'days': floatformat(self.remote_days_per_week, -1)}}"
        return text

    def selection_calendar(self) -> list[tuple[str, str]]:
        """(step, when) for each known step of the selection, in order."""
        steps = []
        if self.deadline:
            steps.append(
                (gettext("Application deadline"), format_date(timezone.localtime(self.deadline), "DATETIME_FORMAT"))
            )
        if self.shortlist_on:
            steps.append((gettext("Shortlisting"), format_date(self.shortlist_on)))
        if self.written_test_from:
            written_test = date_span(self.written_test_from, self.written_test_to, self.written_test_note)
            steps.append((gettext("Written test"), written_test))
        if self.interviews_from:
            steps.append(
                (gettext("Interviews"), date_span(self.interviews_from, self.interviews_to, self.interviews_note))
            )
        if start := self.start_display():
            steps.append((gettext("Start"), start))
        return steps

    def documents_asked(self) -> list[str]:
        documents = []
        if self.asks_for_cv:
            documents.append(gettext("CV"))
        if self.asks_for_letter:
            documents.append(gettext("Cover letter"))
        if self.other_documents:
            documents.append(self.other_documents)
        return documents

    # Validation

    def clean(self):
        errors = {}
        if self.pay_min is not None and self.pay_max is not None and self.pay_min > self.pay_max:
            errors["pay_max"] = _("The upper end of the pay must not be below its lower end.")
        if self.pay_scale and VAGUE_PAY.search(self.pay_scale):
            errors["pay_scale"] = _(
                "Name the pay scale or grade itself; words such as “competitive” or “according to profile” "
                "are no pay information."
            )
        if self.working_time == self.WorkingTime.PART_TIME and not self.working_time_percent:
            errors["working_time_percent"] = _("Say what share of full time this part-time job is.")
        if self.working_time == self.WorkingTime.FULL_TIME and self.working_time_percent:
            errors["working_time_percent"] = _("A full-time job has no share; choose part time.")
        for start, end, message in (
            ("written_test_from", "written_test_to", _("The written test cannot end before it starts.")),
            ("interviews_from", "interviews_to", _("The interviews cannot end before they start.")),
            ("start_date", "end_date", _("The contract cannot end before it starts.")),
        ):
            if getattr(self, start) and getattr(self, end) and getattr(self, end) < getattr(self, start):
                errors[end] = message
        if self.apply_method == self.ApplyMethod.EMAIL and not self.apply_email:
            errors["apply_email"] = _("Give the address applications are sent to.")
        if self.apply_method == self.ApplyMethod.EXTERNAL and not self.apply_url:
            errors["apply_url"] = _("Give the page where candidates apply.")
        if self.group_id and self.organisation_id and self.group.organisation_id != self.organisation_id:
            errors["group"] = _("This group is administered by another organisation.")
        if self.ends_with_term and not self.group_id:
            errors["ends_with_term"] = _("Only a group's offer can end with the legislature; choose the group.")
        if errors:
            raise ValidationError(errors)

    def publication_problems(self) -> list[str]:
        """What stops this offer from being published, in words for its author."""
        problems = []
        if not self.has_pay:
            problems.append(
                _("State the pay: a range, a pay scale or grade, or the internship stipend (EU pay transparency).")
            )
        elif self.pay_scale and VAGUE_PAY.search(self.pay_scale):
            problems.append(_("The pay scale is too vague to publish."))
        if not self.deadline:
            problems.append(_("Set an application deadline."))
        elif self.deadline <= timezone.now():
            problems.append(_("The application deadline has passed."))
        if self.pk and not self.places.exists():
            problems.append(_("Add at least one place of work."))
        if not (self.missions.strip() or self.context.strip()):
            problems.append(_("Describe the job (context or missions)."))
        return problems

    # State changes

    def publish(self, at=None):
        """Publish now, or schedule for `at` if it lies in the future.

        Only drafts and scheduled offers: a live offer keeps its publication
        time, and a closed one is reopened instead."""
        if self.status not in (self.Status.DRAFT, self.Status.SCHEDULED):
            raise ValidationError(_("Only a draft or a scheduled offer can be published."))
        problems = self.publication_problems()
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        self.published_at = at or now
        self.status = self.Status.SCHEDULED if self.published_at > now else self.Status.PUBLISHED
        self.closed_at = None
        self.save(update_fields=["status", "published_at", "closed_at", "updated_at"])

    def close(self):
        """Stop taking applications; the page stays readable."""
        if self.status not in (self.Status.SCHEDULED, self.Status.PUBLISHED):
            raise ValidationError(_("Only a published or scheduled offer can be closed."))
        self.status = self.Status.CLOSED
        self.closed_at = timezone.now()
        self.save(update_fields=["status", "closed_at", "updated_at"])

    def reopen(self):
        """Take applications again; the deadline must lie ahead."""
        if self.status != self.Status.CLOSED:
            raise ValidationError(_("Only a closed offer can be reopened."))
        if not self.deadline or self.deadline <= timezone.now():
            raise ValidationError(_("Move the deadline into the future before reopening."))
        self.status = self.Status.PUBLISHED
        self.closed_at = None
        self.save(update_fields=["status", "closed_at", "updated_at"])

    def archive(self):
        """Take the offer off the public site for good."""
        self.status = self.Status.ARCHIVED
        self.save(update_fields=["status", "updated_at"])

    @transaction.atomic
    def duplicate(self) -> "Offer":
        """A new draft with the same content, places, languages and benefits."""
        places, languages, benefits = list(self.places.all()), list(self.languages.all()), list(self.benefits.all())
        copy = Offer.objects.get(pk=self.pk)
        copy.pk = None
        copy.title = _("%(title)s (copy)") % {"title": self.title}
        copy.slug = unique_slug(Offer, self.title, max_length=100)
        copy.status = self.Status.DRAFT
        copy.published_at = None
        copy.closed_at = None
        copy.save()
        for related in (*places, *languages, *benefits):
            related.pk = None
            related.offer = copy
            related.save()
        copy.recruiters.set(self.recruiters.all())
        return copy


class PlaceQuerySet(models.QuerySet):
    """Its update() and bulk_create(), which call no save() and send no signal, keep `Offer.countries`
    and forget the cached pages too."""

    def update(self, **kwargs):
        before = dict(self.values_list("pk", "offer_id"))
        rows = super().update(**kwargs)
        after = Place.objects.filter(pk__in=before).values_list("offer_id", flat=True)  # moved to another offer?
        refresh_offer_countries({*before.values(), *after})
        forget_public_pages()
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        refresh_offer_countries(place.offer_id for place in created)
        forget_public_pages()
        return created


class Place(PublicContent, models.Model):
    """A place of work of an offer: the seat, a constituency office…"""

    class Kind(models.TextChoices):
        SEAT = "seat", _("Seat")
        CONSTITUENCY = "constituency", _("Constituency office")
        OFFICE = "office", _("Office")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="places")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SEAT)
    name = models.CharField(_("building"), max_length=150, blank=True, help_text=_("e.g. Hôtel de Région."))
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place of work")
        verbose_name_plural = _("places of work")
        ordering = ["position", "pk"]
        indexes = [
            models.Index(fields=["locality"], name="offers_place_locality"),
            # The list's country filter asks, offer by offer, for a place in the country.
            models.Index(fields=["offer", "country"], name="offers_place_offer_country"),
        ]

    def __str__(self):
        return f"{self.name}, {self.locality}" if self.name else self.locality


def refresh_offer_countries(offer_ids):
    """Set `Offer.countries` of these offers from their places: their countries' codes, sorted, each once."""
    offer_ids = set(offer_ids)
    codes = {offer_id: set() for offer_id in offer_ids}
    for offer_id, country in Place.objects.filter(offer_id__in=offer_ids).values_list("offer_id", "country"):
        codes[offer_id].add(country)
    offers = [Offer(pk=offer_id, countries=" ".join(sorted(found))) for offer_id, found in codes.items()]
    Offer.objects.bulk_update(offers, ["countries"], batch_size=500)


@receiver(post_save, sender=Place)
def keep_offer_countries(instance, **kwargs):
    refresh_offer_countries([instance.offer_id])


@receiver(post_delete, sender=Place)
def keep_offer_countries_after_a_deletion(instance, **kwargs):
    """Also sent by a queryset's delete() and a cascade, which call no Place.delete(): the cached pages
    are forgotten here for them."""
    refresh_offer_countries([instance.offer_id])
    forget_public_pages()


class RequiredLanguage(PublicContent, models.Model):
    class Level(models.TextChoices):
        A1 = "A1", "A1"
        A2 = "A2", "A2"
        B1 = "B1", "B1"
        B2 = "B2", "B2"
        C1 = "C1", "C1"
        C2 = "C2", "C2"
        NATIVE = "native", _("Native or bilingual")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    level = models.CharField(_("CEFR level"), max_length=6, choices=Level.choices)
    skills = models.CharField(_("skills"), max_length=150, blank=True, help_text=_("e.g. written and listening."))

    class Meta:
        verbose_name = _("required language")
        verbose_name_plural = _("required languages")
        constraints = [
            models.UniqueConstraint(fields=["offer", "language"], name="offers_language_once_per_offer"),
        ]

    def __str__(self):
        return f"{self.get_language_display()} {self.get_level_display()}"


class Benefit(PublicContent, models.Model):
    """A benefit counted as pay (meal vouchers, 13th month…) or a work condition."""

    class Kind(models.TextChoices):
        MEAL_VOUCHERS = "meal_vouchers", _("Meal vouchers")
        THIRTEENTH_MONTH = "13th_month", _("13th month")
        HOLIDAY_PAY = "holiday_pay", _("Holiday pay")
        TRANSPORT = "transport", _("Commuting costs refunded")
        HEALTH_INSURANCE = "health", _("Hospitalisation insurance")
        PENSION = "pension", _("Supplementary pension")
        PAID_LEAVE = "leave", _("Paid leave")
        OTHER = "other", _("Other benefit")

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="benefits")
    kind = models.CharField(_("benefit"), max_length=16, choices=Kind.choices)
    detail = models.CharField(
        _("detail"), max_length=200, blank=True, help_text=_("e.g. employer's share 50 %, 30 days a year.")
    )

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["pk"]

    def __str__(self):
        return f"{choice_label(self.Kind, self.kind)} {self.detail}".strip()


class StoryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_user(self, user):
        return self.filter(organisation__in=organisations_of(user))


class Story(PublicContent, models.Model):
    """'Working at …': a member of staff tells what their job is like."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="stories"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    person = models.CharField(_("person"), max_length=100)
    role = models.CharField(_("role"), max_length=150)
    photo = WebImageField(_("photo"), upload_to="stories/", blank=True, max_size=(1200, 900))
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    text = models.TextField(_("text"), help_text=_("Markdown."))
    is_published = models.BooleanField(_("published"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff story")
        verbose_name_plural = _("staff stories")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="offers_story_unique_slug"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("offers:story", args=[self.organisation.slug, self.slug])

    def text_html(self):
        return render_markdown(self.text)
