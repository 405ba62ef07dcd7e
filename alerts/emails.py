"""E-mails to alert subscribers: each to one address (`to` only), in the alert's language,
with absolute links from SITE_URL.

The confirmation goes at once, from the subscription. New offers go from
`send_alerts` through `send_new_offers`, which sends first and records after,
in one transaction per alert: a failing mail server leaves nothing recorded,
and the next run sends the same offers.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from alerts.models import MAX_OFFERS_PER_EMAIL, Alert


def send_confirmation(alert):
    """The double opt-in: nothing is sent to the alert until its link is followed."""
    with translation.override(alert.language):
        link = absolute(reverse("alerts:confirm", args=[alert.confirmation_token()]))
        message = build(alert, "alert_confirm", {"link": link}, with_unsubscribe=False)
    message.send()


def send_already_subscribed(alert):
    """To someone who subscribes again to an alert they confirmed: the page said the same as for a new one."""
    with translation.override(alert.language):
        message = build(alert, "alert_exists", {})
    message.send()


def send_new_offers(alert_pk, now) -> int:
    """Send the alert the matching offers it has not had yet, then record them; how many went.

    The alert's row stays locked meanwhile, so two runs at once cannot both send
    it, and a run skips an alert another one is busy with."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update(skip_locked=True).confirmed().filter(pk=alert_pk).first()
        if alert is None or not alert.is_due(now):
            return 0
        offers = list(alert.new_offers()[:MAX_OFFERS_PER_EMAIL])
        if offers:
            new_offers_message(alert, offers).send()
        alert.record_sent(offers, now)
    return len(offers)


def new_offers_message(alert, offers) -> EmailMultiAlternatives:
    with translation.override(alert.language):
        links = [{"offer": offer, "link": absolute(offer.get_absolute_url())} for offer in offers]
        return build(alert, "alert_offers", {"offers": links, "count": len(offers)}, html=True)


def build(alert, name, context, with_unsubscribe=True, html=False) -> EmailMultiAlternatives:
    """The e-mail `name` to the alert's address, rendered in the active language."""
    context = {
        "alert": alert,
        "search": alert.search_summary(),
        "list_link": absolute(alert.list_url()),
        **context,
    }
    headers = {"Auto-Submitted": "auto-generated"}
    if with_unsubscribe:
        context["unsubscribe_link"] = absolute(reverse("alerts:unsubscribe", args=[alert.unsubscribe_token()]))
        # RFC 8058: mail clients show an unsubscribe button that POSTs to this address.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_link']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    body = render_to_string(f"emails/{name}_body.txt", context).strip() + "\n"
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [alert.email], headers=headers)
    if html:
        message.attach_alternative(render_to_string(f"emails/{name}_body.html", context), "text/html")
    return message


def absolute(path: str) -> str:
    return settings.SITE_URL + path
