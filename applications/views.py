"""The candidate's side: apply, follow an application by its private link, withdraw it, erase it."""

import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import emails, ratelimit, tasks
from applications.documents import clean_filename, megabytes
from applications.forms import (
    DUPLICATE_APPLICATION,
    HONEYPOT,
    EraseForm,
    InternshipRequestForm,
    OfferApplicationForm,
    SpontaneousApplicationForm,
)
from applications.models import Application, AuditEvent, Document, hash_token
from offers.models import Offer, Organisation

logger = logging.getLogger(__name__)

SENT_SESSION_KEY = "applications:sent"
# An offer may ask for three documents; the margin covers the text fields and the multipart envelope.
MAX_DOCUMENTS = 3
REQUEST_MARGIN_BYTES = 1024 * 1024

Status = Application.Status
SHORTLISTED = (
    _("Shortlisted"),
    _("You are among the candidates selected for the next steps; the recruiters will write to you about them."),
)
# What a candidate reads of the recruiters' pipeline: where they stand, without
# the selection's internals (and never the private notes).
CANDIDATE_STATUS = {
    Status.RECEIVED: (_("Received"), _("Your application has arrived and is waiting to be read.")),
    Status.IN_REVIEW: (_("In review"), _("The recruiters are reading your application.")),
    Status.SHORTLISTED: SHORTLISTED,
    Status.WRITTEN_TEST: SHORTLISTED,
    Status.INTERVIEW: SHORTLISTED,
    Status.OFFER_MADE: SHORTLISTED,
    Status.HIRED: (_("Recruited"), _("You have been recruited. Congratulations!")),
    Status.REJECTED: (_("Not retained"), _("Your application was not retained. Thank you for your interest.")),
    Status.WITHDRAWN: (_("Withdrawn"), _("You withdrew your application.")),
}


def request_limit() -> int:
    return MAX_DOCUMENTS * settings.MAX_DOCUMENT_BYTES + REQUEST_MARGIN_BYTES


def submission_endpoint(view):
    """Refuse floods (429) and oversized bodies (413) before anything reads the body, then check CSRF."""
    protected = csrf_protect(view)

    # The CSRF middleware would parse the whole body, files included, to find its token.
    @csrf_exempt
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method == "POST":
            retry_after = ratelimit.hit(request)
            if retry_after is not None:
                response = render(request, "applications/rate_limited.html", status=429)
                response["Retry-After"] = str(retry_after)
                return response
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > request_limit():
                limit = megabytes(settings.MAX_DOCUMENT_BYTES)
                return render(request, "applications/too_large.html", {"limit": limit}, status=413)
        return protected(request, *args, **kwargs)

    return guarded


@submission_endpoint
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    offer = get_object_or_404(
        Offer.objects.published().select_related("organisation"), slug=slug, apply_method=Offer.ApplyMethod.BOARD
    )
    if not offer.is_open:
        return render(request, "applications/closed.html", {"offer": offer}, status=410)
    application = Application(kind=Application.Kind.OFFER, organisation=offer.organisation, offer=offer)
    return application_form(request, OfferApplicationForm, application)


@submission_endpoint
@require_http_methods(["GET", "POST"])
def spontaneous(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug, accepts_spontaneous_applications=True)
    application = Application(kind=Application.Kind.SPONTANEOUS, organisation=organisation)
    return application_form(request, SpontaneousApplicationForm, application)


@submission_endpoint
@require_http_methods(["GET", "POST"])
def internship(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not organisation.takes_internship_requests_by_form:  # none at all, or by e-mail: not read here
        raise Http404("This organisation takes no internship requests with the form.")
    application = Application(kind=Application.Kind.INTERNSHIP, organisation=organisation)
    return application_form(request, InternshipRequestForm, application)


def application_form(request, form_class, application):
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # Only a robot fills it in: it is told it succeeded and nothing is kept.
            logger.info("Application form trap filled in from %s; nothing stored.", request.META.get("REMOTE_ADDR"))
            request.session.pop(SENT_SESSION_KEY, None)
            return redirect("applications:sent")
        if previous := previous_submission(request):
            return confirm(request, previous)
        form = form_class(request.POST, request.FILES, instance=application)
        if form.is_valid():
            return submit(request, form)
    else:
        form = form_class(instance=application)
    return render_form(request, form)


def render_form(request, form):
    context = {
        "form": form,
        "application": form.instance,
        "privacy_notice": form.privacy_notice,
        "notice_digest": form.notice_digest,
        "files_to_attach_again": form.files_to_attach_again() if form.is_bound else [],
    }
    return render(request, "applications/apply.html", context, status=400 if form.is_bound else 200)


def previous_submission(request):
    """The application this very form already stored (a double click, a resent form), if any."""
    key, email = request.POST.get("submission_key", ""), request.POST.get("email", "").strip().lower()
    if "\x00" in email:  # no address has one, and PostgreSQL refuses it in a query
        return None
    try:
        return Application.objects.filter(submission_key=key, email=email, erased_at__isnull=True).first()
    except ValidationError:  # not a UUID
        return None


def submit(request, form):
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    try:
        application = store(form, language)
    except Exception as error:  # whatever failed, the candidate must learn that nothing was kept
        if isinstance(error, IntegrityError) and (response := after_conflict(request, form)):
            return response
        logger.exception("An application to %s could not be stored; the candidate was asked to retry.", form.instance)
        response = render(request, "applications/not_saved.html", status=503)
        response["Retry-After"] = "60"
        return response
    return confirm(request, application)


def after_conflict(request, form):
    """A race the form's checks could not see: the same form sent twice at once, or the same e-mail twice."""
    try:
        if previous := previous_submission(request):
            return confirm(request, previous)
        if form.is_duplicate():
            form.add_error("email", ValidationError(DUPLICATE_APPLICATION, code="duplicate"))
            return render_form(request, form)
    except DatabaseError:
        pass
    return None


def store(form, language: str) -> Application:
    """Save the application, its documents and its e-mails together, or nothing at all.

    Files are not part of the transaction: each one written is deleted again
    when anything fails before the commit. The documents' malware scans, then the
    e-mails, go after the commit; if sending raises then, the application is kept
    and the outbox retries."""
    storage = Document._meta.get_field("file").storage
    written = []
    committed = False

    def mark_committed():
        nonlocal committed
        committed = True

    try:
        with transaction.atomic():
            transaction.on_commit(mark_committed)  # registered first, so it runs before the e-mails
            application = form.save(commit=False)
            application.language = language
            application.privacy_notice = form.privacy_notice
            application.submission_key = form.cleaned_data["submission_key"]
            application.plan()
            token = application.issue_token()
            application.save()
            for kind, upload in form.documents():
                document_type = upload.document_type
                document = Document(
                    application=application,
                    kind=kind,
                    original_name=clean_filename(upload.name),
                    content_type=document_type.mime_type,
                    size=upload.size,
                )
                # The name on disk is random, with the extension of what the file really is.
                name = document.file.field.generate_filename(document, f"document{document_type.extension}")
                written.append(name)  # before writing: a half-written file is deleted too
                name = storage.save(name, upload, max_length=document.file.field.max_length)
                written[-1] = document.file.name = name
                document.save()
                tasks.scan_after_commit(document)  # staff download it only once found clean
            emails.send_received(application, token)
            emails.notify_recruiters(application)
    except Exception:
        if committed:
            logger.exception(
                "An e-mail about application %s failed after the commit; it stays in the outbox.", application.pk
            )
            return application
        for name in written:
            try:
                storage.delete(name)
            except Exception:
                logger.exception("Could not delete %s, left by an application that was not saved.", name)
        raise
    return application


def confirm(request, application):
    # Redirect after the POST; the page finds the application in the session, never by its token.
    request.session[SENT_SESSION_KEY] = str(application.pk)
    return redirect("applications:sent")


@never_cache
@require_GET
def sent(request):
    pk = request.session.get(SENT_SESSION_KEY)
    application = None
    if pk:
        application = (
            Application.objects.filter(pk=pk, erased_at__isnull=True).select_related("offer", "organisation").first()
        )
    response = render(request, "applications/sent.html", {"application": application})
    response["X-Robots-Tag"] = "noindex"
    return response


def candidate_application(token: str) -> Application:
    """The application behind a private link; 404 for an unknown token or erased data."""
    return get_object_or_404(
        Application.objects.select_related("offer", "organisation"),
        token_hash=hash_token(token),
        erased_at__isnull=True,
    )


def private_response(response):
    # The token is in the URL: no Referer may carry it to another site, no cache or index may keep the page.
    # Not "no-referrer": browsers would then post the withdraw and erase forms with "Origin: null",
    # which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


def render_private(request, application, token, erase_form=None, status=200):
    label, explanation = CANDIDATE_STATUS[application.status]
    context = {
        "application": application,
        "token": token,
        "status_label": label,
        "status_explanation": explanation,
        "documents": application.documents.all(),
        "can_withdraw": application.status not in Application.OUTCOME_STATUSES,
        "erase_form": erase_form or EraseForm(),
    }
    return private_response(render(request, "applications/private.html", context, status=status))


@require_GET
def private(request, token):
    return render_private(request, candidate_application(token), token)


@require_POST
def withdraw(request, token):
    application = candidate_application(token)
    try:
        with transaction.atomic():
            application.withdraw()
            AuditEvent.record(
                AuditEvent.Action.WITHDRAW_BY_CANDIDATE, application.organisation_id, application=application
            )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your application has been withdrawn."))
    return private_response(redirect("applications:private", token))


@require_POST
def erase(request, token):
    application = candidate_application(token)
    form = EraseForm(request.POST)
    if not form.is_valid():
        # The box sits low on the page: focus on it, so that its error is read out, not missed.
        form.fields["confirm"].widget.attrs["autofocus"] = True
        return render_private(request, application, token, erase_form=form, status=400)
    with transaction.atomic():
        application.erase()
        AuditEvent.record(AuditEvent.Action.ERASE_BY_CANDIDATE, application.organisation_id, application=application)
    return private_response(redirect("applications:erased"))


@never_cache
@require_GET
def erased(request):
    return render(request, "applications/erased.html")
