"""The recruiting dashboard: what the admin's index shows about the user's organisations.

Each function takes `organisations`, the organisations shown (a queryset the
caller has already limited to the user's, see `organisations_of`), and returns
plain data in a fixed number of queries whatever the number of applications:
counting and grouping happen in the database. The charts are SVG drawn by the
templates (admin/applications/_dashboard*.html) from the geometry computed
here, in viewBox units; colour is never their only cue (patterns, numbers
written in or beside each bar, and a table of the same figures).
"""

import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application, StatusChange
from offers.models import Offer, date_span

DAYS = 60
LAST_CLOSED_OFFERS = 5
CALENDAR_WEEKS = 6

Status = Application.Status
Kind = Application.Kind

# Each series: a colour with at least 4.5:1 against white (white numbers are
# written on it; graphics need 3:1) and its own pattern, so that neither colour
# vision nor a greyscale print is needed to tell the series apart.
STATUS_STYLES = {
    Status.RECEIVED: ("#5f6368", "diagonal"),
    Status.IN_REVIEW: ("#2f6fb0", "antidiagonal"),
    Status.SHORTLISTED: ("#0f7173", "solid"),
    Status.WRITTEN_TEST: ("#7a5195", "dots"),
    Status.INTERVIEW: ("#8c4a00", "horizontal"),
    Status.OFFER_MADE: ("#3d6b1f", "vertical"),
    Status.HIRED: ("#1b5e20", "grid"),
    Status.REJECTED: ("#b3261e", "crosshatch"),
    Status.WITHDRAWN: ("#ad1457", "rings"),
}
KIND_STYLES = {
    Kind.OFFER: ("#1d4e89", "solid"),
    Kind.SPONTANEOUS: ("#8c4a00", "diagonal"),
    Kind.INTERNSHIP: ("#7a5195", "dots"),
}
# The funnel's stages: an application has reached one if it is, or ever was, at it or past it.
PIPELINE = [
    Status.RECEIVED,
    Status.IN_REVIEW,
    Status.SHORTLISTED,
    Status.WRITTEN_TEST,
    Status.INTERVIEW,
    Status.OFFER_MADE,
    Status.HIRED,
]
FUNNEL = [
    ("received", _("Received"), None),
    ("shortlisted", _("Shortlisted"), Status.SHORTLISTED),
    ("interview", _("Interview"), Status.INTERVIEW),
    ("hired", _("Hired"), Status.HIRED),
]

# Geometry, in viewBox units.
OFFER_BAR_WIDTH = 520  # the longest stacked bar; its total is written after it
DAY_WIDTH = 10
DAY_BAR_WIDTH = 8
DAILY_HEIGHT = 160
SPARK_HEIGHT = 32
FUNNEL_BAR_WIDTH = 400
FUNNEL_LABEL_WIDTH = 130
FUNNEL_ROW = 30
FUNNEL_BAR = 22
MIN_LABELLED_WIDTH = 18  # narrower segments carry their number in their tooltip and the table only


@dataclass
class Pattern:
    id: str
    colour: str
    kind: str
    label: str


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    pattern: str
    label: str
    count: int
    show_count: bool = False

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2

    @property
    def text_y(self) -> float:
        return self.y + self.height / 2


@dataclass
class Tick:
    value: int
    y: float


@dataclass
class Day:
    day: date
    total: int
    by_kind: list[int]
    by_offer: list[int]
    x: float
    rects: list[Rect] = field(default_factory=list)
    labelled: bool = False
    description: str = ""

    @property
    def centre(self) -> float:
        return self.x + DAY_BAR_WIDTH / 2


def status_patterns() -> list[Pattern]:
    return [Pattern(f"dash-status-{status.value}", *STATUS_STYLES[status], status.label) for status in Status]


def kind_patterns() -> list[Pattern]:
    return [Pattern(f"dash-kind-{kind.value}", *KIND_STYLES[kind], kind.label) for kind in Kind]


def changelist_url(**params) -> str:
    url = reverse("admin:applications_application_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def start_of(day: date) -> datetime:
    """Midnight at the start of `day`, local time (Europe/Brussels)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… that is at least `value`, for an axis's top (ticks every fifth)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def stack(counts, patterns, labels, scale: float, *, vertical=False, base=0.0, thickness=0.0, gap=1.5):
    """The rectangles of one stacked bar: one per non-zero count, in order, `scale` units per application,
    with a white gap between them (each touches only white, against which its colour has the contrast).
    Horizontal bars start at x=0 and are `thickness` high from y=`base`; vertical ones stand on the daily
    chart's baseline, `thickness` wide from x=`base`."""
    rects, position = [], 0.0
    for key, label, count in zip(patterns, labels, counts, strict=True):
        if not count:
            continue
        length = count * scale
        drawn = round(max(length - gap, 1), 2)
        if vertical:
            rect = Rect(base, round(DAILY_HEIGHT - position - drawn, 2), thickness, drawn, key, label, count)
        else:
            rect = Rect(
                round(position, 2), base, drawn, thickness, key, label, count, show_count=drawn >= MIN_LABELLED_WIDTH
            )
        rects.append(rect)
        position += length
    return rects


# Open offers


def summary(total: int, rects) -> str:
    """A stacked bar in words, for its accessible name."""
    if not total:
        return gettext("No application yet.")
    parts = ", ".join(f"{rect.label}: {rect.count}" for rect in rects)
    return ngettext("%(count)s application (%(parts)s).", "%(count)s applications (%(parts)s).", total) % {
        "count": total,
        "parts": parts,
    }


def open_offers(organisations) -> dict:
    """Each open offer: its applications per status as a stacked bar, days to its deadline, and how many
    wait for an answer past the organisation's delay, with links to those lists. One query."""
    offers = (
        Offer.objects.open()
        .filter(organisation__in=organisations)
        .select_related("organisation")
        .annotate(
            total=Count("applications"),
            awaiting=Count(
                "applications", filter=Q(applications__in=Application.objects.awaiting_answer().values("pk"))
            ),
            **{
                f"count_{status.value}": Count("applications", filter=Q(applications__status=status))
                for status in Status
            },
        )
        .order_by("deadline", "title", "pk")
    )
    offers = list(offers)
    scale = OFFER_BAR_WIDTH / max([offer.total for offer in offers] + [1])
    keys = [f"dash-status-{status.value}" for status in Status]
    rows = []
    for offer in offers:
        counts = [getattr(offer, f"count_{status.value}") for status in Status]
        rects = stack(counts, keys, [status.label for status in Status], scale, thickness=20, base=4)
        rows.append(
            {
                "offer": offer,
                "total": offer.total,
                "cells": [
                    (count, changelist_url(offer__id__exact=offer.pk, status__exact=status))
                    for status, count in zip(Status, counts, strict=True)
                ],
                "summary": summary(offer.total, rects),
                "days_left": offer.days_left,
                "awaiting": offer.awaiting,
                "url": changelist_url(offer__id__exact=offer.pk),
                "awaiting_url": changelist_url(offer__id__exact=offer.pk, awaiting="yes"),
                "rects": rects,
                "total_x": offer.total * scale + 6,
            }
        )
    return {"rows": rows, "statuses": [status.label for status in Status]}


# Applications per day


def per_day(organisations, open_rows, today: date) -> dict:
    """Applications received on each of the last DAYS days, by kind and for each open offer. One query."""
    first = today - timedelta(days=DAYS - 1)
    counts = (
        Application.objects.filter(organisation__in=organisations, created_at__gte=start_of(first))
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
        .values("day", "kind", "offer_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    kinds = list(Kind)
    offer_ids = [row["offer"].pk for row in open_rows]
    days = {}
    for n in range(DAYS):
        day = first + timedelta(days=n)
        days[day] = Day(day, 0, [0] * len(kinds), [0] * len(offer_ids), x=n * DAY_WIDTH + 1)
    for row in counts:
        day = days.get(row["day"])
        if day is None:  # later than today: a clock running ahead
            continue
        day.total += row["count"]
        day.by_kind[kinds.index(row["kind"])] += row["count"]
        if row["offer_id"] in offer_ids:
            day.by_offer[offer_ids.index(row["offer_id"])] += row["count"]
    days = list(days.values())

    top = nice_ceiling(max(day.total for day in days) or 1)
    scale = DAILY_HEIGHT / top
    keys = [f"dash-kind-{kind.value}" for kind in kinds]
    labels = [kind.label for kind in kinds]
    for n, day in enumerate(days):
        day.rects = stack(day.by_kind, keys, labels, scale, vertical=True, base=day.x, thickness=DAY_BAR_WIDTH, gap=1)
        day.labelled = (DAYS - 1 - n) % 7 == 0  # a label a week, ending on today
        parts = ", ".join(f"{label} {count}" for label, count in zip(labels, day.by_kind, strict=True) if count)
        day.description = f"{date_format(day.day, 'l j F')}: {day.total}" + (f" ({parts})" if parts else "")
    by_kind = [(label, sum(day.by_kind[n] for day in days)) for n, label in enumerate(labels)]
    total = sum(day.total for day in days)
    busiest = max(days, key=lambda day: day.total)
    description = gettext("From %(first)s to %(last)s: %(total)s in all (%(kinds)s).") % {
        "first": date_format(first),
        "last": date_format(today),
        "total": total,
        "kinds": ", ".join(f"{label} {count}" for label, count in by_kind),
    }
    if total:
        description += " " + gettext("The most on %(day)s: %(count)s.") % {
            "day": date_format(busiest.day),
            "count": busiest.total,
        }

    # A small chart for each open offer, all on one scale so that they compare.
    spark_top = max([count for day in days for count in day.by_offer] + [1])
    sparks = []
    for index, row in enumerate(open_rows):
        bars = []
        for day in days:
            if count := day.by_offer[index]:
                height = round(count * SPARK_HEIGHT / spark_top, 2)
                label = f"{date_format(day.day, 'l j F')}: {count}"
                bars.append(Rect(day.x, SPARK_HEIGHT - height, DAY_BAR_WIDTH, height, "", label, count))
        offer_total = sum(day.by_offer[index] for day in days)
        sparks.append(
            {
                "offer": row["offer"],
                "total": offer_total,
                "bars": bars,
                "description": ngettext(
                    "%(offer)s: %(count)s application in the last %(days)s days.",
                    "%(offer)s: %(count)s applications in the last %(days)s days.",
                    offer_total,
                )
                % {"offer": row["offer"], "count": offer_total, "days": DAYS},
            }
        )
    return {
        "days": days,
        "total": total,
        "by_kind": by_kind,
        "kinds": labels,
        "description": description,
        "ticks": [Tick(value, DAILY_HEIGHT - value * scale) for value in range(0, top + 1, max(top // 5, 1))],
        "sparks": sparks,
        "spark_top": spark_top,
        "spark_height": SPARK_HEIGHT,
        "width": DAYS * DAY_WIDTH,
        "height": DAILY_HEIGHT,
        "day_width": DAY_WIDTH,
    }


# The last closed offers


def reached(stage) -> Q:
    """Applications that are, or ever were, at `stage` of the pipeline or past it."""
    later = PIPELINE[PIPELINE.index(stage) :]
    return Q(status__in=later) | Q(Exists(StatusChange.objects.filter(application=OuterRef("pk"), to_status__in=later)))


def closed_offers(organisations, now: datetime):
    """Offers that have stopped taking applications, the last closed first."""
    ended = Q(status__in=[Offer.Status.CLOSED, Offer.Status.ARCHIVED]) | Q(
        status__in=[Offer.Status.SCHEDULED, Offer.Status.PUBLISHED], deadline__lte=now
    )
    return (
        Offer.objects.filter(organisation__in=organisations, published_at__isnull=False)
        .filter(ended)
        .annotate(ended_at=Coalesce("closed_at", "deadline"))
        .order_by("-ended_at", "-pk")
    )


def outcomes(organisations, now: datetime) -> dict:
    """The funnel of the last LAST_CLOSED_OFFERS closed offers, the median time to a first answer and the
    share of their candidates who got one. Three queries."""
    offers = list(closed_offers(organisations, now).select_related("organisation")[:LAST_CLOSED_OFFERS])
    applications = Application.objects.filter(offer__in=[offer.pk for offer in offers])
    counts = {
        row["offer_id"]: row
        for row in applications.values("offer_id")
        .annotate(
            received=Count("pk"),
            **{key: Count("pk", filter=reached(stage)) for key, _label, stage in FUNNEL if stage},
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
        )
        .order_by()
    }
    empty = {key: 0 for key, _label, _stage in FUNNEL} | {"answered": 0}
    rows = [{"offer": offer, **{key: counts.get(offer.pk, empty)[key] for key in empty}} for offer in offers]
    totals = {key: sum(row[key] for row in rows) for key in empty}

    # A bounded list: the applications of a few offers. Python's median gives the same on every database.
    answers = applications.exclude(answered_at=None).values_list("created_at", "answered_at")
    waits = [answered - created for created, answered in answers]
    median = statistics.median(waits) if waits else None

    received = totals["received"]
    scale = FUNNEL_BAR_WIDTH / max(received, 1)
    stages = []
    for n, (key, label, _stage) in enumerate(FUNNEL):
        count = totals[key]
        width = round(max(count * scale, 1), 2)
        stages.append(
            {
                "label": label,
                "count": count,
                "percent": round(100 * count / received) if received else None,
                "width": width,
                "y": n * FUNNEL_ROW,
                "text_y": n * FUNNEL_ROW + FUNNEL_BAR / 2,
                "count_x": FUNNEL_LABEL_WIDTH + width + 6,
            }
        )
    description = ", ".join(
        f"{stage['label']} {stage['count']}" + (f" ({stage['percent']} %)" if stage["percent"] is not None else "")
        for stage in stages
    )
    return {
        "rows": rows,
        "totals": totals,
        "stages": stages,
        "description": description,
        "median": duration_text(median) if median is not None else None,
        "answered_percent": round(100 * totals["answered"] / received) if received else None,
        "height": len(FUNNEL) * FUNNEL_ROW,
        "bar_height": FUNNEL_BAR,
        "label_width": FUNNEL_LABEL_WIDTH,
    }


def duration_text(duration: timedelta) -> str:
    """'3.5 days', or hours under two days."""
    hours = duration.total_seconds() / 3600
    if hours < 48:
        return ngettext("%(count)s hour", "%(count)s hours", round(hours)) % {"count": round(hours)}
    days = hours / 24
    return ngettext("%(count)s day", "%(count)s days", math.ceil(days)) % {"count": number_format(days, 1)}


# The selection calendar


def calendar(organisations, today: date) -> list[dict]:
    """Deadlines, shortlisting, written tests, interviews and starts of the next CALENDAR_WEEKS weeks,
    grouped by week, in date order. One query."""
    last = today + timedelta(weeks=CALENDAR_WEEKS)

    def span_overlaps(step: str) -> Q:
        return Q(**{f"{step}_from__lte": last}) & (
            Q(**{f"{step}_to__gte": today}) | Q(**{f"{step}_to__isnull": True, f"{step}_from__gte": today})
        )

    offers = Offer.objects.filter(
        Q(deadline__gte=start_of(today), deadline__lt=start_of(last + timedelta(days=1)))
        | Q(shortlist_on__range=(today, last))
        | span_overlaps("written_test")
        | span_overlaps("interviews")
        | Q(start_date__range=(today, last)),
        organisation__in=organisations,
        status__in=[Offer.Status.SCHEDULED, Offer.Status.PUBLISHED, Offer.Status.CLOSED],
    ).select_related("organisation")

    entries = []
    for offer in offers:
        if offer.deadline and today <= timezone.localdate(offer.deadline) <= last:
            local = timezone.localtime(offer.deadline)
            entries.append((local.date(), 0, _("Application deadline"), offer, date_format(local, "TIME_FORMAT")))
        if offer.shortlist_on and today <= offer.shortlist_on <= last:
            entries.append((offer.shortlist_on, 1, _("Shortlisting"), offer, None))
        for order, step, label in ((2, "written_test", _("Written test")), (3, "interviews", _("Interviews"))):
            start, end = getattr(offer, f"{step}_from"), getattr(offer, f"{step}_to")
            if start and start <= last and (end or start) >= today:
                span = date_span(start, end, getattr(offer, f"{step}_note"))
                entries.append((start, order, label, offer, span))
        if offer.start_date and today <= offer.start_date <= last:
            entries.append((offer.start_date, 4, _("Start"), offer, offer.start_display()))
    entries.sort(key=lambda entry: (entry[0], entry[1], entry[3].title))

    weeks = []
    for day, _order, label, offer, detail in entries:
        monday = day - timedelta(days=day.weekday())
        if not weeks or weeks[-1]["monday"] != monday:
            weeks.append({"monday": monday, "entries": []})
        weeks[-1]["entries"].append({"day": day, "label": label, "offer": offer, "detail": detail})
    return weeks


def build(organisations, now: datetime | None = None) -> dict:
    """Everything the dashboard shows for `organisations`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    offers = open_offers(organisations)
    return {
        "patterns": status_patterns() + kind_patterns(),
        "status_patterns": status_patterns(),
        "kind_patterns": kind_patterns(),
        "open_offers": offers,
        "per_day": per_day(organisations, offers["rows"], today),
        "outcomes": outcomes(organisations, now),
        "calendar": calendar(organisations, today),
        "days": DAYS,
        "last_closed_offers": LAST_CLOSED_OFFERS,
        "calendar_weeks": CALENDAR_WEEKS,
    }
