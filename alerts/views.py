"""Subscribing to an alert from the offer list, confirming it, unsubscribing from it.

The pages never show the subscriber's address, and say the same whether or not
it was known: only its mailbox learns what happened."""

import logging

from django.core import signing
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from alerts import emails
from alerts.forms import HONEYPOT, AlertForm, normalise_query
from alerts.models import CONFIRM_SALT, CONFIRMATION_PERIOD, UNSUBSCRIBE_SALT, Alert, alert_for
from applications import ratelimit

logger = logging.getLogger(__name__)


# No CSRF token: the offer list carries this form and is cached whole for anonymous visitors,
# so one visitor's token would reach others. A forged subscription only makes the address's
# owner receive a confirmation request, which anyone can cause by posting the form themselves.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request):
    if request.method == "POST":
        retry_after = ratelimit.hit(request, scope="alerts")
        if retry_after is not None:
            response = render(request, "alerts/rate_limited.html", status=429)
            response["Retry-After"] = str(retry_after)
            return response
        if request.POST.get(HONEYPOT):
            # Only a robot fills it in: it is told it succeeded and nothing is kept.
            logger.info("Alert form trap filled in from %s; nothing stored.", request.META.get("REMOTE_ADDR"))
            return redirect("alerts:check_mailbox")
        form = AlertForm(request.POST)
        if form.is_valid():
            return store(request, form)
    else:
        form = AlertForm(initial={"query": request.GET.urlencode()})
    search = Alert(query=normalise_query(form["query"].value() or ""))
    context = {"form": form, "search": search.search_summary(), "list_url": search.list_url()}
    return render(request, "alerts/subscribe.html", context, status=400 if form.is_bound else 200)


def store(request, form):
    language = translation.get_language()
    alert, created = Alert.objects.get_or_create(
        email=form.cleaned_data["email"],
        query=form.cleaned_data["query"],
        frequency=form.cleaned_data["frequency"],
        defaults={"language": language},
    )
    try:
        if alert.confirmed_at:
            emails.send_already_subscribed(alert)
        else:
            if not created:
                alert.ask_again(language)
            emails.send_confirmation(alert)
    except Exception:  # any failure of the mail server: the same page for everyone, and retrying works
        logger.exception("The confirmation e-mail of alert %s could not be sent.", alert.pk)
        response = render(request, "alerts/not_sent.html", status=503)
        response["Retry-After"] = "300"
        return response
    return redirect("alerts:check_mailbox")


@require_GET
def check_mailbox(request):
    return render(request, "alerts/check_mailbox.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The confirmation e-mail's link: a page with a button, so that a link scanner does not confirm."""
    try:
        alert = alert_for(token, CONFIRM_SALT, max_age=CONFIRMATION_PERIOD)
    except signing.SignatureExpired:
        return link_refused(request, "expired", status=410)
    except signing.BadSignature:
        return link_refused(request, "invalid", status=400)
    if alert is None:
        return link_refused(request, "gone", status=404)
    if request.method == "POST":
        alert.confirm()
        return private(redirect("alerts:confirm", token))
    return private(render(request, "alerts/confirm.html", {"alert": alert, "search": alert.search_summary()}))


# RFC 8058: mail clients POST here for one click, with neither a CSRF token nor cookies.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        alert = alert_for(token, UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return link_refused(request, "invalid", status=400)
    if request.method == "POST":
        if alert is not None:
            alert.delete()
        return private(render(request, "alerts/unsubscribed.html"))
    search = alert.search_summary() if alert else []
    return private(render(request, "alerts/unsubscribe.html", {"alert": alert, "search": search}))


def link_refused(request, reason, status):
    return private(render(request, "alerts/link_refused.html", {"reason": reason}, status=status))


def private(response):
    # The token is in the URL: no cache or index may keep the page. The site's Referrer-Policy
    # (same-origin) keeps it from other sites; "no-referrer" would make browsers post the
    # confirmation with "Origin: null", which the CSRF check refuses.
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response
