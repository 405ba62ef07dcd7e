"""Job alerts: a saved search of the offer list, e-mailed to whoever confirmed it.

An alert is the list's query string (reduced by `alerts.forms.normalise_query`)
and the language of the page it was made on. Nothing is sent until the
subscriber confirms through the signed link of the confirmation e-mail; an
unconfirmed alert is deleted after CONFIRMATION_PERIOD. Every offer sent is
recorded in `SentOffer`, so no subscriber gets the same offer twice.
"""

import uuid
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from offers.filters import OfferFilter
from offers.models import Offer
from offers.views import active_filters

CONFIRMATION_PERIOD = timedelta(days=7)
CONFIRM_SALT = "alerts.confirm"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
# The most offers one e-mail lists; the rest go in the next one.
MAX_OFFERS_PER_EMAIL = 50


def alert_for(token: str, salt: str, max_age: timedelta | None = None) -> "Alert | None":
    """The alert a signed link names, or None when it no longer exists.

    Raises signing.BadSignature for a token we did not sign (SignatureExpired,
    its subclass, for one older than `max_age`)."""
    pk = signing.loads(token, salt=salt, max_age=max_age)
    return Alert.objects.filter(pk=pk).first()


class AlertQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def expired(self, now=None):
        """Unconfirmed alerts whose confirmation link has expired: nobody can confirm them any more."""
        now = now or timezone.now()
        return self.filter(confirmed_at__isnull=True, requested_at__lte=now - CONFIRMATION_PERIOD)


class Alert(models.Model):
    class Frequency(models.TextChoices):
        INSTANT = "instant", _("As soon as they are published")
        DAILY = "daily", _("Once a day")
        WEEKLY = "weekly", _("Once a week")

    DIGEST_DAYS = {Frequency.DAILY: 1, Frequency.WEEKLY: 7}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("e-mail"))
    query = models.CharField(
        _("search"), max_length=1000, blank=True, help_text=_("The offer list's filters, as in its address.")
    )
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    requested_at = models.DateTimeField(
        _("confirmation asked"), default=timezone.now, help_text=_("When the last confirmation e-mail was sent.")
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_checked_at = models.DateTimeField(
        _("last served"), null=True, blank=True, help_text=_("When new offers were last looked for and sent.")
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("job alert")
        verbose_name_plural = _("job alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "query", "frequency"], name="alerts_alert_no_duplicates"),
        ]

    def __str__(self):
        # Never the address: this text shows in the admin's log and on deletion pages.
        return f"{self.get_frequency_display()} · {str(self.pk)[:8]}"

    # Links

    def confirmation_token(self) -> str:
        return signing.dumps(str(self.pk), salt=CONFIRM_SALT)

    def unsubscribe_token(self) -> str:
        return signing.dumps(str(self.pk), salt=UNSUBSCRIBE_SALT)

    def list_url(self) -> str:
        """The offer list with this alert's filters, in the active language."""
        return reverse("offers:list") + (f"?{self.query}" if self.query else "")

    # Reading

    def search_filter(self, queryset) -> OfferFilter:
        return OfferFilter(QueryDict(self.query), queryset=queryset)

    def search_summary(self) -> list[str]:
        """The alert's filters in words, as the list shows them ("Contract: Internship"); empty for all offers."""
        offer_filter = self.search_filter(Offer.objects.none())
        if not offer_filter.is_valid():
            return []
        chips = active_filters(SimpleNamespace(GET=offer_filter.data), offer_filter)
        return [gettext("%(label)s: %(value)s") % chip if chip["value"] else str(chip["label"]) for chip in chips]

    def new_offers(self):
        """Open offers that match the search, published since the alert was confirmed, not sent to it yet.

        The list's own filter on `Offer.objects.open()`, so the e-mails and the
        list agree. A search that no longer validates (its organisation has no
        offers left) matches nothing rather than everything."""
        offer_filter = self.search_filter(Offer.objects.open().with_card_data())
        if self.confirmed_at is None or not offer_filter.is_valid():
            return Offer.objects.none()
        already_sent = SentOffer.objects.filter(alert=self, offer=OuterRef("pk"))
        return (
            offer_filter.qs.filter(published_at__gt=self.confirmed_at)
            .exclude(Exists(already_sent))
            .order_by("-published_at", "-pk")
        )

    def is_due(self, now) -> bool:
        """Whether the next e-mail may go now: at every run for instant alerts; for digests, from
        ALERT_DIGEST_HOUR (local time) on the day a day or a week after the last one (or the confirmation)."""
        if self.confirmed_at is None:
            return False
        if self.frequency == self.Frequency.INSTANT:
            return True
        local = timezone.localtime(now)
        if local.hour < settings.ALERT_DIGEST_HOUR:
            return False
        last = timezone.localdate(self.last_checked_at or self.confirmed_at)
        return (local.date() - last).days >= self.DIGEST_DAYS[self.frequency]

    # State changes

    def ask_again(self, language: str):
        """A new subscription to an unconfirmed alert: a fresh confirmation period, in the page's language."""
        self.requested_at = timezone.now()
        self.language = language
        self.save(update_fields=["requested_at", "language"])

    def confirm(self):
        if self.confirmed_at is None:
            self.confirmed_at = timezone.now()
            self.save(update_fields=["confirmed_at"])

    def record_sent(self, offers, now):
        """Remember that `offers` went out, so they never go to this alert again, and when it was served."""
        SentOffer.objects.bulk_create(
            [SentOffer(alert=self, offer=offer, sent_at=now) for offer in offers], ignore_conflicts=True
        )
        self.last_checked_at = now
        self.save(update_fields=["last_checked_at"])


class SentOffer(models.Model):
    """An offer e-mailed to an alert: the database refuses to record it twice."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="sent_offers")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("offer sent to an alert")
        verbose_name_plural = _("offers sent to alerts")
        constraints = [
            models.UniqueConstraint(fields=["alert", "offer"], name="alerts_offer_sent_once"),
        ]

    def __str__(self):
        # Shown on an offer's deletion page: the offer and the alert, never the subscriber.
        return f"{self.offer} → {self.alert}"
