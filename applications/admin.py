"""Applications in the staff admin: the recruiters' pipeline.

Recruiters see the applications of their own organisations and nothing else
(`Application.objects.for_user`, applied by OrganisationScopedMixin to every
queryset, custom view and export here): another organisation's application,
its documents, notes, history and e-mails are a 404.

Within the organisation, a discreet application shows who the candidate is
(identity, contact, message, documents, e-mails) only to the people
`identity_visible` (in applications.models) names; everyone else sees "Discreet application" and gets a
403 on its documents.

The admin's own log outlives erasure, so it is written without candidates'
names (`log_change`, `log_deletions`).
"""

import json
import re
from collections import Counter
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from applications import dashboard, emails, exports, scanning
from applications.models import (
    Application,
    AuditEvent,
    Document,
    Email,
    MessageTemplate,
    Note,
    StatusChange,
    identity_visible,
)
from offers.admin import ALL_ROLES, OrganisationScopedMixin, OwnOrganisationFilter, has_role_in, has_role_somewhere
from offers.models import Membership, Offer, Organisation, organisations_of

ADMIN_ROLES = (Membership.Role.ADMIN,)
# Only the candidate withdraws.
RECRUITER_STATUSES = [status for status in Application.Status if status != Application.Status.WITHDRAWN]
IDENTITY_FIELDS = ("first_name", "last_name", "email", "phone", "message")
# What a candidate wrote: never a filter in the admin's URLs.
CANDIDATE_FIELDS = {*IDENTITY_FIELDS, "school", "study_programme", "interests", "privacy_notice", "token_hash"}
PLACEHOLDER = re.compile(r"\{(first_name|last_name|offer|organisation)\}")
RECENTLY_CLOSED_DAYS = 60
FALLBACK_LANGUAGE = "fr"


def mask(application):
    """Blank the identity of an application fetched for a user who may not see it.

    The admin prints str(application) in titles, breadcrumbs and messages. The
    instance is never saved whole (ApplicationAdmin.save_model), so the blanks
    stay in memory."""
    if not application.shows_identity and not application.is_erased:
        application.first_name = gettext("Discreet application")
        for field in IDENTITY_FIELDS[1:]:
            setattr(application, field, "")
    return application


def fill(text: str, application) -> str:
    """Replace our placeholders in one pass (what a candidate typed is never read as one); other braces stay."""
    values = {
        "first_name": application.first_name,
        "last_name": application.last_name,
        "offer": application.offer.title if application.offer else "",
        "organisation": application.organisation.name,
    }
    return PLACEHOLDER.sub(lambda match: values[match[1]], text)


def language_of(application) -> str:
    language = application.language.split("-")[0].lower()
    return language if language in dict(settings.LANGUAGES) else FALLBACK_LANGUAGE


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


@transaction.atomic
def write_to(applications, texts: dict[str, tuple[str, str]], by, reject: bool = False) -> int:
    """Queue a message to each candidate in their language, record the contact, and reject if asked.

    `texts` maps a language to (subject, body) with placeholders. The e-mails
    leave when the transaction commits; one that fails stays in the outbox,
    pending, for `send_pending_emails` to retry."""
    sent = 0
    for application in applications:
        if application.is_erased:
            continue
        subject, body = texts[language_of(application)]
        emails.queue(
            Email.Kind.MESSAGE,
            application.email,
            " ".join(fill(subject, application).split())[: Email._meta.get_field("subject").max_length],
            fill(body, application),
            application=application,
            sent_by=by,
        )
        application.record_contact()
        AuditEvent.record(AuditEvent.Action.MESSAGE, application.organisation_id, actor=by, application=application)
        if reject and application.status != Application.Status.REJECTED:
            change = application.move_to(Application.Status.REJECTED, by=by, note=gettext("Answered by message."))
            record_move(change, by)
        sent += 1
    return sent


def record_move(change: StatusChange, by):
    application = change.application
    AuditEvent.record(
        AuditEvent.Action.STATUS_CHANGE,
        application.organisation_id,
        actor=by,
        application=application,
        detail=f"{change.from_status} → {change.to_status}",
    )


def record_export(action, applications, by, offer=None):
    """One event per organisation the export reaches, with the number of its applications in it."""
    counts = applications.order_by().values_list("organisation_id").annotate(count=Count("pk"))
    for organisation_id, count in counts:
        detail = f"{count} application" if count == 1 else f"{count} applications"
        AuditEvent.record(action, organisation_id, actor=by, offer=offer, detail=detail)


# Forms


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[(s.value, s.label) for s in RECRUITER_STATUSES])
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, help_text=_("Optional; kept in the history.")
    )


class MessageForm(forms.Form):
    """A message to candidates: a subject and a body for each of their languages."""

    def __init__(self, *args, names, languages, reject=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"] = forms.ChoiceField(
            label=_("Template"),
            choices=[("", "---------"), *((name, name) for name in names)],
            required=False,
            help_text=_("Each candidate gets the version in their language, or else the French one."),
        )
        self.languages = languages
        for code, count in languages.most_common():
            name = language_name(code)
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": name},
                max_length=200,
                widget=forms.TextInput(attrs={"class": "vTextField"}),
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Message (%(language)s)") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
                help_text=ngettext(
                    "For %(count)s candidate. Placeholders: {first_name}, {last_name}, {offer}, {organisation}.",
                    "For %(count)s candidates. Placeholders: {first_name}, {last_name}, {offer}, {organisation}.",
                    count,
                )
                % {"count": count},
            )
        if reject is not None:
            self.fields["reject"] = forms.BooleanField(
                label=_("Also move them to “Rejected”"), required=False, initial=reject
            )

    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            code: (self.cleaned_data[f"subject_{code}"], self.cleaned_data[f"body_{code}"]) for code in self.languages
        }


def template_texts(templates, name: str, languages) -> tuple[dict, list[str]]:
    """Initial subject and body per language from the templates called `name`, and the fallbacks used."""
    versions = {template.language: template for template in templates.filter(name=name)}
    initial, notes = {}, []
    for code in languages:
        template = versions.get(code) or versions.get(FALLBACK_LANGUAGE) or next(iter(versions.values()), None)
        if template is None:
            continue
        if template.language != code:
            notes.append(
                gettext("“%(name)s” has no %(language)s version: the %(fallback)s one is filled in.")
                % {"name": name, "language": language_name(code), "fallback": language_name(template.language)}
            )
        initial[f"subject_{code}"] = template.subject
        initial[f"body_{code}"] = template.body
    return initial, notes


# Filters


class OwnOfferFilter(admin.RelatedFieldListFilter):
    """Lists only the offers of the user's organisations."""

    def field_choices(self, field, request, model_admin):
        return list(Offer.objects.for_user(request.user).values_list("pk", "title"))


class AwaitingAnswerFilter(admin.SimpleListFilter):
    title = _("waiting for an answer past the delay")
    parameter_name = "awaiting"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.awaiting_answer()
        if self.value() == "no":
            return queryset.exclude(pk__in=Application.objects.awaiting_answer().values("pk"))
        return queryset


# Inlines: read-only, except that notes can be added


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return self.admin_site.get_model_admin(self.parent_model).has_view_permission(request, obj)

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("kind", "download", "malware_scan", "content_type", "size", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, document):
        if not document.is_downloadable:
            return document.original_name  # no link: the download would be refused (download_view)
        url = reverse("admin:applications_application_download", args=[document.application_id, document.pk])
        return format_html('<a href="{}" download>{}</a>', url, document.original_name)

    @admin.display(description=_("malware scan"))
    def malware_scan(self, document):
        return scanning.describe(document)


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ("from_status", "to_status", "changed_by", "changed_at", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class EmailInline(ReadOnlyInline):
    model = Email
    verbose_name_plural = _("e-mails to the candidate")
    fields = (
        "created_at",
        "kind",
        "subject",
        "body_without_private_link",
        "sent_by",
        "status",
        "sent_at",
        "attempts",
        "last_error",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sent_by")


class NoteInline(admin.StackedInline):
    """Private notes: anyone handling the application adds one; what is written stays."""

    model = Note
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def parent_admin(self):
        return self.admin_site.get_model_admin(self.parent_model)

    def has_view_permission(self, request, obj=None):
        return self.parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj):
        return obj is not None and not obj.is_erased and self.parent_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Applications


@admin.register(Application)
class ApplicationAdmin(OrganisationScopedMixin, admin.ModelAdmin):
    list_display = ("candidate", "kind", "offer", "status", "created_at", "awaiting_answer", "erase_after")
    list_display_links = ("candidate",)
    # By date with a list filter, not date_hierarchy: its year links cost a scan of every
    # application of the organisation (over a second at 100,000) on each visit.
    list_filter = (
        "status",
        "kind",
        ("offer", OwnOfferFilter),
        AwaitingAnswerFilter,
        ("created_at", admin.DateFieldListFilter),
    )
    list_select_related = ("offer", "organisation")
    # The count of all the user's applications ("12 of 100,000") would be a second COUNT(*) per page.
    show_full_result_count = False
    list_per_page = 50
    search_fields = ("first_name", "last_name", "email")
    view_on_site = False  # its "site" is this very page
    actions = ["write_to_candidates", "export_csv", "export_documents", "erase_applications"]
    inlines = [NoteInline, StatusChangeInline, DocumentInline, EmailInline]
    fieldsets = (
        (_("Candidate"), {"fields": (("first_name", "last_name"), ("email", "phone"), "language", "message")}),
        (
            _("Internship request"),
            {"fields": ("school", "study_programme", ("period_start", "period_end"), "needs_agreement", "interests")},
        ),
        (
            _("Application"),
            {
                "fields": (
                    ("kind", "organisation", "offer"),
                    ("status", "status_changed_at"),
                    ("created_at", "answer_due_at", "answered_at", "last_contact_at"),
                    "is_discreet",
                )
            },
        ),
        (
            _("Consent and retention"),
            {
                "fields": (
                    "privacy_notice",
                    ("consents_to_political_data", "consents_to_talent_pool"),
                    ("erase_after", "erased_at"),
                )
            },
        ),
    )

    # Who sees and does what

    def scope(self, queryset, user):
        # for_user()'s rule, with the organisations' ids written out: given an organisation's id, the
        # database reads its newest applications from an index (applications_org_newest) and stops at
        # the page's end; given a subquery, it sorted all 100,000 of a large organisation's first.
        organisations = list(organisations_of(user).values_list("pk", flat=True))
        return queryset.filter(organisation__in=organisations).with_identity(user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "applications_application_changelist":
            # The list shows none of the long texts: neither the candidate's nor their offer's.
            queryset = queryset.defer(
                "message", "interests", "privacy_notice", *(f"offer__{name}" for name in Offer.LONG_TEXT_FIELDS)
            )
        return queryset

    def get_object(self, request, object_id, from_field=None):
        return mask(super().get_object(request, object_id, from_field))

    def has_add_permission(self, request):
        return False  # applications come from candidates

    def has_delete_permission(self, request, obj=None):
        # An admin who may not see the candidate would see their documents' names on the confirmation page.
        # Objects fetched by Django itself (an offer's deletion page) carry no `shows_identity`: refuse those.
        return self.allows(request, ADMIN_ROLES, obj) and (obj is None or getattr(obj, "shows_identity", False))

    def lookup_allowed(self, lookup, value, request=None):
        # A filter in the URL (?last_name__startswith=…) would confirm who applied, discreetly or not.
        if lookup.split("__")[0] in CANDIDATE_FIELDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_erase_permission(self, request):
        return self.allows(request, ADMIN_ROLES)

    def get_search_fields(self, request):
        # The autocomplete answers with str(application), the candidate's name: never offer it.
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            return ()
        return super().get_search_fields(request)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            # Finding a discreet application by name would tell who applied.
            queryset = queryset.filter(shows_identity=True)
        return queryset, may_have_duplicates

    def get_readonly_fields(self, request, obj=None):
        return flatten_fieldsets(self.fieldsets)  # recruiters never edit what the candidate sent

    def get_fieldsets(self, request, obj=None):
        fieldsets = self.fieldsets
        if obj is not None and (obj.is_erased or not obj.shows_identity):
            fieldsets = fieldsets[2:]
        elif obj is not None and obj.kind != Application.Kind.INTERNSHIP:
            fieldsets = (fieldsets[0], *fieldsets[2:])
        return fieldsets

    def get_inlines(self, request, obj):
        if obj is None or obj.is_erased:
            return [StatusChangeInline]
        if not obj.shows_identity:
            return [NoteInline, StatusChangeInline]
        return self.inlines

    def save_model(self, request, obj, form, change):
        pass  # nothing of the application is edited here; the pipeline has its own verbs

    def save_formset(self, request, form, formset, change):
        if formset.model is Note:
            for note_form in formset.forms:
                if note_form.instance.pk is None:
                    note_form.instance.author = request.user
        super().save_formset(request, form, formset, change)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Documents, notes, history and e-mails belong to the application: whoever may delete it deletes them.
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        with transaction.atomic():
            if not obj.is_erased:
                AuditEvent.record(
                    AuditEvent.Action.ERASE, obj.organisation_id, actor=request.user, application=obj, detail="deleted"
                )
            obj.erase()  # the files go with the personal data
        super().delete_model(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # its confirmation page names every candidate; erase instead
        if self.has_change_permission(request):
            for status in RECRUITER_STATUSES:
                name = f"move_to_{status.value}"
                description = gettext("Move to “%(status)s”") % {"status": status.label}
                actions[name] = (self.mover(status), name, description)
        return actions

    # The admin's log names no candidate

    def log_change(self, request, obj, message):
        if isinstance(message, list):
            for entry in message:
                for detail in entry.values():
                    if isinstance(detail, dict) and "object" in detail:
                        detail["object"] = "…"
            message = json.dumps(message)
        return self._log(request, [obj], CHANGE, message)[0]

    def log_deletions(self, request, queryset):
        return self._log(request, queryset, DELETION, "")

    def _log(self, request, applications, flag, message):
        content_type = ContentType.objects.get_for_model(Application)
        return LogEntry.objects.bulk_create(
            [
                LogEntry(
                    user_id=request.user.pk,
                    content_type_id=content_type.pk,
                    object_id=str(application.pk),
                    object_repr=gettext("Application %(id)s") % {"id": str(application.pk)[:8]},
                    action_flag=flag,
                    change_message=message,
                )
                for application in applications
            ]
        )

    # The list

    # Not sortable: where a discreet row falls among names would hint at its own.
    @admin.display(description=_("candidate"))
    def candidate(self, application):
        return exports.candidate_label(application)

    def action_checkbox(self, application):
        # Django labels the checkbox with str(application), which would name a discreet candidate.
        # Written out here: a widget template per row took a fifth of the list's time.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            admin.helpers.ACTION_CHECKBOX_NAME,
            application.pk,
            exports.candidate_label(application),
        )

    @admin.display(description=_("waiting"), boolean=True)
    def awaiting_answer(self, application):
        return application.is_awaiting_answer

    def changelist_view(self, request, extra_context=None):
        context = {
            "overview_url": reverse("admin:applications_application_overview", current_app=self.admin_site.name),
            "offer_summary": self.offer_summary(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def changelist_url(self, **params) -> str:
        url = reverse("admin:applications_application_changelist", current_app=self.admin_site.name)
        return f"{url}?{urlencode(params)}" if params else url

    def offer_summary(self, request):
        """Counts per status for the offer the list is filtered on; None when it is not."""
        offer_id = request.GET.get("offer__id__exact", "")
        offer = Offer.objects.for_user(request.user).filter(pk=offer_id).first() if offer_id.isdigit() else None
        if offer is None:
            return None
        counts = Application.objects.filter(offer=offer).aggregate(
            awaiting=Count("pk", filter=Q(pk__in=Application.objects.awaiting_answer().values("pk"))),
            **{status.value: Count("pk", filter=Q(status=status)) for status in Application.Status},
        )
        return {
            "offer": offer,
            "statuses": [
                (
                    status.label,
                    counts[status.value],
                    self.changelist_url(offer__id__exact=offer.pk, status__exact=status),
                )
                for status in Application.Status
            ],
            "awaiting": (counts["awaiting"], self.changelist_url(offer__id__exact=offer.pk, awaiting="yes")),
            **self.offer_links(offer),
        }

    def offer_links(self, offer) -> dict[str, str]:
        name = self.admin_site.name
        return {
            "csv_url": reverse("admin:applications_application_offer_csv", args=[offer.pk], current_app=name),
            "zip_url": reverse("admin:applications_application_offer_zip", args=[offer.pk], current_app=name),
            "answer_url": reverse("admin:applications_application_answer_waiting", args=[offer.pk], current_app=name),
        }

    # The change page

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            movable = not obj.is_erased and obj.status != Application.Status.WITHDRAWN
            can_change = self.has_change_permission(request, obj)
            context.update(
                move_form=MoveForm(initial={"status": obj.status}) if movable and can_change else None,
                move_url=self.url_of("move", obj.pk),
                write_url=f"{self.url_of('write')}?{urlencode({'ids': obj.pk})}" if not obj.is_erased else None,
                previous_applications=self.previous_applications(request, obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def previous_applications(self, request, application):
        """Other applications of the same address to the same organisation, that the user may see."""
        if application.is_erased or not application.shows_identity or not application.email:
            return []
        others = (
            self.get_queryset(request)
            .filter(organisation=application.organisation_id, email__iexact=application.email, shows_identity=True)
            .exclude(pk=application.pk)
            .select_related("offer")
        )
        return [
            {
                "label": other.offer.title if other.offer else other.get_kind_display(),
                "status": other.get_status_display(),
                "created_at": other.created_at,
                "url": self.url_of("change", other.pk),
            }
            for other in others
        ]

    def url_of(self, view: str, *args) -> str:
        return reverse(f"admin:applications_application_{view}", args=args, current_app=self.admin_site.name)

    # Custom pages

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("overview/", view(self.overview_view), name="applications_application_overview"),
            path("write/", view(self.write_view), name="applications_application_write"),
            path(
                "offers/<int:offer_id>/answer-waiting/",
                view(self.answer_waiting_view),
                name="applications_application_answer_waiting",
            ),
            path(
                "offers/<int:offer_id>/applications.csv",
                view(self.offer_csv_view),
                name="applications_application_offer_csv",
            ),
            path(
                "offers/<int:offer_id>/documents.zip",
                view(self.offer_zip_view),
                name="applications_application_offer_zip",
            ),
            path("<path:object_id>/move/", view(require_POST(self.move_view)), name="applications_application_move"),
            path(
                "<path:object_id>/documents/<uuid:document_id>/download/",
                view(self.download_view),
                name="applications_application_download",
            ),
            *super().get_urls(),
        ]

    def fetch(self, request, object_id) -> Application:
        """The application if the user's organisations have it (404 otherwise), masked if need be."""
        application = self.get_object(request, unquote(object_id))
        if not self.has_view_permission(request, application):
            raise PermissionDenied
        return application

    def fetch_offer(self, request, offer_id) -> Offer:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Offer.objects.for_user(request.user).select_related("organisation"), pk=offer_id)

    def download_view(self, request, object_id, document_id):
        application = self.fetch(request, object_id)
        if not application.shows_identity:
            raise PermissionDenied
        document = get_object_or_404(application.documents, pk=document_id)
        if not document.is_downloadable:
            return self.blocked_document_page(request, application, document)
        response = exports.document_response(document)
        if response.status_code == 200:  # not the "storage unavailable" page: nothing was read
            AuditEvent.record(
                AuditEvent.Action.DOWNLOAD,
                application.organisation_id,
                actor=request.user,
                application=application,
                detail=document.kind,
            )
        return response

    def blocked_document_page(self, request, application, document):
        """Why a document the malware scanner has not cleared is refused: 403 for malware, 409 while it
        waits for its scan, 503 while the scanner is unreachable, failing or missing (retry later)."""
        if document.scan_status == Document.ScanStatus.INFECTED:
            status = 403
        elif document.scan_status == Document.ScanStatus.FAILED or scanning.missing():
            status = 503
        else:
            status = 409
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("This document cannot be downloaded"),
            "document": document,
            "infected": document.scan_status == Document.ScanStatus.INFECTED,
            "reason": scanning.describe(document),
            "application_url": self.url_of("change", application.pk),
            "changelist_url": self.changelist_url(),
        }
        response = TemplateResponse(
            request, "admin/applications/application/document_blocked.html", context, status=status
        )
        if status != 403:
            response["Retry-After"] = "60"
        return response

    def move_view(self, request, object_id):
        application = self.fetch(request, object_id)
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        form = MoveForm(request.POST)
        if form.is_valid():
            status = Application.Status(form.cleaned_data["status"])
            if self.move(request, application, status, form.cleaned_data["note"]):
                messages.success(
                    request,
                    gettext("%(application)s moved to “%(status)s”.")
                    % {"application": exports.candidate_label(application), "status": status.label},
                )
        else:
            messages.error(request, gettext("Choose one of the statuses offered."))
        return HttpResponseRedirect(self.url_of("change", application.pk))

    def move(self, request, application, status, note=""):
        try:
            with transaction.atomic():
                record_move(application.move_to(status, by=request.user, note=note), request.user)
        except ValidationError as error:
            messages.error(
                request,
                gettext("%(application)s was not moved: %(reasons)s")
                % {"application": exports.candidate_label(application), "reasons": " ".join(error.messages)},
            )
            return False
        return True

    def mover(self, status):
        def move_selected(model_admin, request, queryset):
            moved = 0
            for application in queryset:
                if not self.has_change_permission(request, application):
                    continue
                moved += self.move(request, application, status)
            if moved:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s application moved to “%(status)s”.",
                        "%(count)s applications moved to “%(status)s”.",
                        moved,
                    )
                    % {"count": moved, "status": status.label},
                )

        return move_selected

    def overview_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        cutoff = timezone.now() - timedelta(days=RECENTLY_CLOSED_DAYS)
        live = Q(status__in=[Offer.Status.SCHEDULED, Offer.Status.PUBLISHED]) & (
            Q(deadline__isnull=True) | Q(deadline__gte=cutoff)
        )
        recently_closed = Q(status=Offer.Status.CLOSED, closed_at__gte=cutoff)
        offers = (
            Offer.objects.for_user(request.user)
            .filter(live | recently_closed)
            .select_related("organisation")
            .annotate(
                total=Count("applications"),
                awaiting=Count(
                    "applications", filter=Q(applications__in=Application.objects.awaiting_answer().values("pk"))
                ),
                **{
                    f"count_{status.value}": Count("applications", filter=Q(applications__status=status))
                    for status in Application.Status
                },
            )
            .order_by("organisation__name", "-deadline", "title")
        )
        rows = [
            {
                "offer": offer,
                "total": (offer.total, self.changelist_url(offer__id__exact=offer.pk)),
                "statuses": [
                    (
                        getattr(offer, f"count_{status.value}"),
                        self.changelist_url(offer__id__exact=offer.pk, status__exact=status),
                    )
                    for status in Application.Status
                ],
                "awaiting": (offer.awaiting, self.changelist_url(offer__id__exact=offer.pk, awaiting="yes")),
                **self.offer_links(offer),
            }
            for offer in offers
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Recruiting overview"),
            "statuses": [status.label for status in Application.Status],
            "rows": rows,
            "recently_closed_days": RECENTLY_CLOSED_DAYS,
            "changelist_url": self.changelist_url(),
        }
        return TemplateResponse(request, "admin/applications/application/overview.html", context)

    # Writing to candidates

    def write_view(self, request, queryset=None):
        """Write to the applications of `queryset` (the action) or of the `ids` in the request (this page)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if queryset is None:
            ids = request.POST.getlist("ids") if request.method == "POST" else request.GET.getlist("ids")
            try:
                queryset = self.get_queryset(request).filter(pk__in=ids)
                applications = self.recipients(queryset)
            except ValidationError:  # not UUIDs
                applications = []
        else:
            applications = self.recipients(queryset)
        if not applications:
            raise Http404
        if len({application.organisation_id for application in applications}) > 1:
            messages.error(request, gettext("Write to the candidates of one organisation at a time."))
            return HttpResponseRedirect(self.changelist_url())
        if not all(self.has_change_permission(request, application) for application in applications):
            raise PermissionDenied
        single = len(applications) == 1
        return self.message_page(
            request,
            applications,
            title=gettext("Write to the candidate") if single else gettext("Write to the candidates"),
            form_url=self.url_of("write"),
            ids=[application.pk for application in applications],
            done_url=self.url_of("change", applications[0].pk) if single else self.changelist_url(),
        )

    def answer_waiting_view(self, request, offer_id):
        offer = self.fetch_offer(request, offer_id)
        if not self.has_change_permission(request):
            raise PermissionDenied
        waiting = self.get_queryset(request).filter(offer=offer, status__in=Application.WAITING_STATUSES)
        applications = self.recipients(waiting)
        if not applications:
            messages.info(request, gettext("Nobody is waiting for an answer on “%(offer)s”.") % {"offer": offer})
            return HttpResponseRedirect(reverse("admin:offers_offer_change", args=[offer.pk]))
        rejection = (
            MessageTemplate.objects.filter(organisation=offer.organisation, purpose=MessageTemplate.Purpose.REJECTION)
            .values_list("name", flat=True)
            .first()
        )
        return self.message_page(
            request,
            applications,
            title=gettext("Answer everyone still waiting on “%(offer)s”") % {"offer": offer},
            form_url=self.url_of("answer_waiting", offer.pk),
            done_url=self.changelist_url(offer__id__exact=offer.pk),
            reject=True,
            default_template=rejection,
        )

    @staticmethod
    def recipients(queryset) -> list[Application]:
        return list(queryset.filter(erased_at__isnull=True).select_related("offer", "organisation"))

    def message_page(
        self, request, applications, *, title, form_url, done_url, ids=(), reject=None, default_template=None
    ):
        """The form to write to `applications`, and the sending when it comes back with "_send"."""
        templates = MessageTemplate.objects.filter(organisation=applications[0].organisation_id)
        languages = Counter(language_of(application) for application in applications)
        names = templates.order_by("name").values_list("name", flat=True).distinct()
        notes = []
        if request.method == "POST" and "_send" in request.POST:
            form = MessageForm(request.POST, names=names, languages=languages, reject=reject)
            if form.is_valid():
                sent = write_to(applications, form.texts(), by=request.user, reject=form.cleaned_data.get("reject"))
                messages.success(
                    request,
                    ngettext(
                        "The message to %(count)s candidate is on its way; it is kept on the application.",
                        "The messages to %(count)s candidates are on their way; each is kept on its application.",
                        sent,
                    )
                    % {"count": sent},
                )
                return HttpResponseRedirect(done_url)
        else:
            if "_load" in request.POST:
                name = request.POST.get("template", "")
            else:
                name = request.GET.get("template", default_template or "")
            initial, notes = template_texts(templates, name, languages) if name else ({}, [])
            form = MessageForm(initial={"template": name, **initial}, names=names, languages=languages, reject=reject)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "form": form,
            "form_url": form_url,
            "ids": ids,
            "notes": notes,
            "recipients": [
                {
                    "label": exports.candidate_label(application),
                    "offer": application.offer,
                    "status": application.get_status_display(),
                    "language": language_name(language_of(application)),
                }
                for application in applications
            ],
            "changelist_url": self.changelist_url(),
        }
        return TemplateResponse(request, "admin/applications/application/write.html", context)

    # Exports

    def offer_csv_view(self, request, offer_id):
        offer = self.fetch_offer(request, offer_id)
        applications = self.get_queryset(request).filter(offer=offer)
        record_export(AuditEvent.Action.EXPORT_CSV, applications, request.user, offer=offer)
        return exports.csv_response(applications, f"applications-{offer.slug}.csv")

    def offer_zip_view(self, request, offer_id):
        offer = self.fetch_offer(request, offer_id)
        applications = self.get_queryset(request).filter(offer=offer)
        record_export(AuditEvent.Action.EXPORT_ZIP, applications, request.user, offer=offer)
        return exports.zip_response(applications, f"documents-{offer.slug}.zip")

    # Actions

    @admin.action(description=_("Write to the candidates"), permissions=["change"])
    def write_to_candidates(self, request, queryset):
        return self.write_view(request, queryset)

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        record_export(AuditEvent.Action.EXPORT_CSV, queryset, request.user)
        return exports.csv_response(queryset, f"applications-{timezone.localdate():%Y-%m-%d}.csv")

    @admin.action(description=_("Download their documents (ZIP)"), permissions=["view"])
    def export_documents(self, request, queryset):
        record_export(AuditEvent.Action.EXPORT_ZIP, queryset, request.user)
        return exports.zip_response(queryset, f"documents-{timezone.localdate():%Y-%m-%d}.zip")

    @admin.action(description=_("Erase personal data now"), permissions=["erase"])
    def erase_applications(self, request, queryset):
        erased = 0
        for application in queryset.filter(erased_at__isnull=True):
            if not has_role_in(request, ADMIN_ROLES, application.organisation_id):
                messages.error(
                    request,
                    gettext("%(application)s was not erased: only an organisation admin erases applications.")
                    % {"application": exports.candidate_label(application)},
                )
                continue
            with transaction.atomic():
                application.erase()
                AuditEvent.record(
                    AuditEvent.Action.ERASE, application.organisation_id, actor=request.user, application=application
                )
            erased += 1
        if erased:
            messages.success(
                request,
                ngettext(
                    "The personal data of %(count)s application was erased.",
                    "The personal data of %(count)s applications was erased.",
                    erased,
                )
                % {"count": erased},
            )


# Message templates and the outbox


@admin.register(MessageTemplate)
class MessageTemplateAdmin(OrganisationScopedMixin, admin.ModelAdmin):
    list_display = ("name", "language", "purpose", "subject", "organisation")
    list_filter = ("purpose", "language", ("organisation", OwnOrganisationFilter))
    list_select_related = ("organisation",)
    search_fields = ("name", "subject")
    fields = ("organisation", "name", "purpose", "language", "subject", "body")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            field.help_text = gettext(
                "Placeholders, filled in for each candidate: {first_name}, {last_name}, {offer}, {organisation}."
            )
        return field


@admin.register(Email)
class EmailAdmin(OrganisationScopedMixin, admin.ModelAdmin):
    """The outbox, read-only: what went to candidates and what is stuck, with a retry."""

    organisation_field = "application__organisation"
    list_display = ("subject", "to", "kind", "status", "attempts", "created_at", "sent_at", "last_error")

    def lookup_allowed(self, lookup, value, request=None):
        # ?body__contains=… would spell out a candidate's private link, one character at a time.
        if lookup.split("__")[0] in ("body", "to", "subject"):
            return False
        return super().lookup_allowed(lookup, value, request)

    list_filter = ("status", "kind")
    search_fields = ("subject", "to")
    date_hierarchy = "created_at"
    actions = ["retry"]
    fields = (
        "kind",
        "application",
        "to",
        "subject",
        "body_without_private_link",
        "sent_by",
        "status",
        "attempts",
        "last_error",
    )
    readonly_fields = (*fields, "created_at", "sent_at")

    def organisation_id_of(self, email):
        return email.application.organisation_id if email.application_id else None

    def scope(self, queryset, user):
        if user.is_superuser:
            return queryset
        # E-mails about a discreet application name its candidate.
        return super().scope(queryset, user).filter(identity_visible(user, prefix="application__"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return self.has_view_permission(request)

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry(self, request, queryset):
        for email in queryset:
            if email.status != Email.Status.PENDING:
                messages.warning(request, gettext("“%(email)s” is not waiting to be sent.") % {"email": email})
            elif emails.deliver(email.pk):
                messages.success(request, gettext("“%(email)s” was sent.") % {"email": email})
            else:
                email.refresh_from_db()
                messages.error(
                    request,
                    gettext("“%(email)s” was not sent: %(error)s") % {"email": email, "error": email.last_error},
                )


@admin.register(AuditEvent)
class AuditEventAdmin(OrganisationScopedMixin, admin.ModelAdmin):
    """The audit log: read by superusers and each organisation's admins, changed by nobody."""

    list_display = ("at", "actor", "action", "offer", "detail")
    list_filter = ("action",)
    list_select_related = ("actor", "offer")
    date_hierarchy = "at"
    fields = ("at", "organisation", "actor", "action", "offer", "application_reference", "detail")
    readonly_fields = fields

    def scope(self, queryset, user):
        if user.is_superuser:
            return queryset
        # Admins only: a recruiter's memberships elsewhere must not open those organisations' logs.
        administered = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values("organisation_id")
        return super().scope(queryset, user).filter(organisation__in=administered)

    def has_module_permission(self, request):
        return self.allows(request, ADMIN_ROLES)

    def has_view_permission(self, request, obj=None):
        return self.allows(request, ADMIN_ROLES, obj)

    # Append-only, superusers included.

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("application"))
    def application_reference(self, event):
        # Never str(application): that is the candidate's name.
        if event.application_id is None:
            return "—"
        url = reverse("admin:applications_application_change", args=[event.application_id])
        return format_html('<a href="{}">{}</a>', url, str(event.application_id)[:8])


# The admin's index: the recruiting dashboard

ALL_ORGANISATIONS = "all"


def dashboard_index(request):
    """The admin's index, with the dashboard of the user's organisations above the list of models.

    jobboard/urls.py routes /admin/ here, ahead of admin.site.urls; AdminSite.index takes the dashboard as
    extra context and templates/admin/index.html shows it. Subclassing AdminSite would do the same with
    more machinery (a custom site swapped in through an AdminConfig)."""
    return admin.site.index(request, extra_context=dashboard_context(request))


def dashboard_context(request) -> dict:
    """The dashboard of the organisation chosen with ?organisation=<slug>, or nothing.

    A member sees one of their organisations at a time, the first by name unless they pick another; a
    superuser sees all of them unless they pick one. Another organisation's slug is a 404. Staff without
    a membership get the plain index."""
    user = request.user
    if not has_role_somewhere(request, ALL_ROLES):
        return {}
    choices = list(organisations_of(user).only("pk", "name", "slug"))
    if not choices:
        return {}
    slug = request.GET.get("organisation", "")
    if user.is_superuser and slug in ("", ALL_ORGANISATIONS):
        chosen, organisations = None, organisations_of(user)
    else:
        chosen = next((choice for choice in choices if choice.slug == slug), None) if slug else choices[0]
        if chosen is None:
            raise Http404
        organisations = Organisation.objects.filter(pk=chosen.pk)
    return {
        "dashboard": dashboard.build(organisations),
        "dashboard_choices": choices if user.is_superuser or len(choices) > 1 else [],
        "dashboard_organisation": chosen,
        "dashboard_all": ALL_ORGANISATIONS if user.is_superuser else None,
    }
