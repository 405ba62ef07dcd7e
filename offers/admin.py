"""The staff admin.

A superuser sees and changes everything. A recruiter is an ordinary staff
user with a Membership: they see the rows of their own organisations
(`organisations_of`) and nothing else; another organisation's row is a 404.
They need no Django model permissions: the rules below replace them.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from offers.models import (
    Benefit,
    GroupComposition,
    Institution,
    Membership,
    Offer,
    Organisation,
    Place,
    PoliticalGroup,
    RequiredLanguage,
    Story,
    may_publish,
    organisations_of,
)

ALL_ROLES = tuple(Membership.Role)

# django-otp registers admins for its devices, which show a secret key and its QR code to whoever may view
# them. Staff manage their own two-factor authentication on their own pages (jobboard/two_factor.py), and
# a superuser resets someone's with `manage.py reset_two_factor`.
admin.site.unregister([TOTPDevice, StaticDevice])

# Addresses typed without a scheme are https (Django 6's default, asked for now).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


def assume_https(db_field, **kwargs):
    """The same rule for a ModelForm built outside the admin's formfield hooks."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


def roles_of(request) -> dict[int, str]:
    """{organisation id: role} for the user's memberships, fetched once per request."""
    if not hasattr(request, "_offers_roles"):
        user = request.user
        memberships = Membership.objects.none()
        if user.is_authenticated:
            memberships = Membership.objects.filter(user=user, organisation__in=organisations_of(user))
        request._offers_roles = dict(memberships.values_list("organisation_id", "role"))
    return request._offers_roles


def has_role_somewhere(request, roles) -> bool:
    """Superuser, or one of `roles` in at least one organisation."""
    return request.user.is_superuser or any(role in roles for role in roles_of(request).values())


def has_role_in(request, roles, organisation_id) -> bool:
    """Superuser, or one of `roles` in that organisation."""
    return request.user.is_superuser or roles_of(request).get(organisation_id) in roles


class OrganisationScopedMixin:
    """For the admin of a model whose rows belong to an organisation.

    Members of the organisation see its rows; those whose role there is in
    `editor_roles` add, change and delete them. Rows of other organisations
    are not in the queryset, so their change, delete and history pages are
    404s, actions never reach them, and organisation choices in forms are
    limited to the organisations the user edits for.
    """

    organisation_field = "organisation"
    editor_roles = ALL_ROLES
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def organisation_id_of(self, obj) -> int:
        return obj.organisation_id

    def scope(self, queryset, user):
        return queryset.filter(**{f"{self.organisation_field}__in": organisations_of(user)})

    def get_queryset(self, request):
        return self.scope(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django would redirect with "does not exist"; a plain 404 says no more.
            raise Http404
        return obj

    def allows(self, request, roles, obj=None) -> bool:
        if obj is None:
            return has_role_somewhere(request, roles)
        return has_role_in(request, roles, self.organisation_id_of(obj))

    def has_module_permission(self, request):
        return self.allows(request, ALL_ROLES)

    def has_view_permission(self, request, obj=None):
        return self.allows(request, ALL_ROLES, obj)

    def has_add_permission(self, request):
        return self.allows(request, self.editor_roles)

    def has_change_permission(self, request, obj=None):
        return self.allows(request, self.editor_roles, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.organisation_field:
            if request.user.is_superuser:
                kwargs["queryset"] = organisations_of(request.user)
            else:
                ids = [pk for pk, role in roles_of(request).items() if role in self.editor_roles]
                kwargs["queryset"] = Organisation.objects.filter(pk__in=ids)
                if len(ids) == 1:
                    kwargs["initial"] = ids[0]
                    kwargs["empty_label"] = None
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ParentPermissionsMixin:
    """Inline rows belong to their parent: who may change the parent may change them."""

    def parent_admin(self):
        return self.admin_site.get_model_admin(self.parent_model)

    def has_view_permission(self, request, obj=None):
        return self.parent_admin().has_view_permission(request, obj)

    def can_edit(self, request, parent) -> bool:
        parent_admin = self.parent_admin()
        if parent is None:
            return parent_admin.has_add_permission(request)
        return parent_admin.has_change_permission(request, parent)

    def has_add_permission(self, request, obj):
        return self.can_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.can_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.can_edit(request, obj)


class OwnOrganisationFilter(admin.RelatedFieldListFilter):
    """Lists only the user's organisations, never everyone's."""

    def field_choices(self, field, request, model_admin):
        return [(organisation.pk, str(organisation)) for organisation in organisations_of(request.user)]


class OwnGroupFilter(admin.RelatedFieldListFilter):
    """Lists only the groups of the user's organisations, with their institution in the same query."""

    def field_choices(self, field, request, model_admin):
        groups = PoliticalGroup.objects.filter(organisation__in=organisations_of(request.user))
        return [(group.pk, str(group)) for group in groups.select_related("institution")]


class UserByEmailField(forms.ModelChoiceField):
    """Picks an account by its e-mail address, so the form lists nobody's account."""

    widget = forms.EmailInput
    default_error_messages = {"invalid_choice": _("No single active account has this e-mail address.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        matches = list(self.queryset.filter(email__iexact=str(value).strip())[:2])
        if len(matches) != 1:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return matches[0]


# Organisations and their members


class MembershipInline(ParentPermissionsMixin, admin.TabularInline):
    model = Membership
    fields = ("user", "role")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def get_readonly_fields(self, request, obj=None):
        # Non-superusers invite people from the membership page, by e-mail address.
        return () if request.user.is_superuser else ("user",)

    def has_add_permission(self, request, obj):
        return request.user.is_superuser and self.can_edit(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedMixin, admin.ModelAdmin):
    organisation_field = "pk"
    editor_roles = (Membership.Role.ADMIN,)

    list_display = ("name", "short_name", "kind", "parent", "country", "accepts_spontaneous_applications")
    list_filter = ("kind", "country", "accepts_spontaneous_applications", "accepts_internship_requests")
    list_select_related = ("parent",)
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("name", "short_name", "slug", "kind", "parent", "country", "website")}),
        (_("Look"), {"fields": ("logo", "accent_colour")}),
        (_("Pages"), {"fields": ("presentation", "working_with_us", "candidate_expectations")}),
        (
            _("Spontaneous applications"),
            {
                "fields": (
                    "accepts_spontaneous_applications",
                    "accepts_internship_requests",
                    "internship_requests_email",
                    "applications_email",
                )
            },
        ),
        (_("Staff logins"), {"fields": ("requires_two_factor",)}),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )

    def organisation_id_of(self, obj):
        return obj.pk

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        # Identity is the site operator's business: URLs and the public hierarchy depend on it.
        return (*fields, "slug", "kind", "parent")

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if request.user.is_superuser else {}

    def view_on_site(self, obj):
        return obj.get_absolute_url()


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedMixin, admin.ModelAdmin):
    editor_roles = (Membership.Role.ADMIN,)

    list_display = ("user", "organisation", "role")
    list_filter = ("role", ("organisation", OwnOrganisationFilter))
    list_select_related = ("user", "organisation")
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name", "organisation__name")
    fields = ("user", "organisation", "role")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            return ("user",)
        return ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            return UserByEmailField(
                queryset=get_user_model().objects.filter(is_active=True),
                label=_("e-mail address of the account"),
                help_text=_("The person must already have an account on this site."),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    """Shared reference data: every member may look, only superusers edit."""

    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    list_display = ("name", "level", "country", "region", "term_ends_year")
    list_filter = ("level", "country")
    search_fields = ("name", "region", "seat")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "level", "country", "region", "seat", "website", "term_started_on", "term_ends_year")

    def has_module_permission(self, request):
        return has_role_somewhere(request, ALL_ROLES)

    def has_view_permission(self, request, obj=None):
        return has_role_somewhere(request, ALL_ROLES)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# Groups


class GroupCompositionInline(ParentPermissionsMixin, admin.TabularInline):
    # Any organisation may be a party of the group, so `party` keeps all choices.
    model = GroupComposition
    fields = ("party", "seats")
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("party")


@admin.register(PoliticalGroup)
class PoliticalGroupAdmin(OrganisationScopedMixin, admin.ModelAdmin):
    list_display = ("name", "institution", "organisation", "seats", "president")
    list_filter = ("institution__level", "institution__country", ("organisation", OwnOrganisationFilter))
    list_select_related = ("institution", "organisation")
    search_fields = ("name", "president", "institution__name")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "institution", "organisation", "president", "seats", "description", "website")
    inlines = [GroupCompositionInline]

    def view_on_site(self, obj):
        return obj.get_absolute_url()


# Staff stories


@admin.register(Story)
class StoryAdmin(OrganisationScopedMixin, admin.ModelAdmin):
    list_display = ("title", "organisation", "person", "role", "is_published", "position")
    list_filter = ("is_published", ("organisation", OwnOrganisationFilter))
    list_select_related = ("organisation",)
    search_fields = ("title", "person", "role", "summary")
    prepopulated_fields = {"slug": ("title",)}
    fields = ("organisation", "title", "slug", "person", "role", "photo", "summary", "text", "is_published", "position")

    def scope(self, queryset, user):
        return queryset.for_user(user)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None


# Offers


class PlaceInline(ParentPermissionsMixin, admin.TabularInline):
    model = Place
    fields = ("kind", "name", "street_address", "postal_code", "locality", "region", "country", "position")
    extra = 1


class RequiredLanguageInline(ParentPermissionsMixin, admin.TabularInline):
    model = RequiredLanguage
    fields = ("language", "level", "skills")
    extra = 1


class BenefitInline(ParentPermissionsMixin, admin.TabularInline):
    model = Benefit
    fields = ("kind", "detail")
    extra = 1


OFFER_FIELDSETS = (
    (
        _("What and who"),
        {
            "fields": (
                "title",
                "slug",
                "organisation",
                "group",
                "employer_of_record",
                "reporting_line",
                "language",
                "recruiters",
            )
        },
    ),
    (
        _("Contract"),
        {
            "fields": (
                ("contract_type", "contract_detail"),
                ("working_time", "working_time_percent"),
                "duration",
                ("start_date", "start_precision", "start_note"),
                ("end_date", "ends_with_term"),
            )
        },
    ),
    (
        _("Places and remote work"),
        {
            "description": _("The places of work themselves are listed below the form."),
            "fields": (
                ("travel", "travel_detail"),
                ("remote_policy", "remote_days_per_week"),
                "remote_detail",
            ),
        },
    ),
    (
        _("Sections"),
        {
            "description": _("Markdown: paragraphs, lists, **bold**, [links](https://example.org)."),
            "fields": ("context", "missions", "profile", "what_we_offer"),
        },
    ),
    (
        _("Pay and benefits"),
        {
            "description": _("A range, a pay scale or an internship stipend. Benefits are listed below the form."),
            "fields": (
                ("pay_min", "pay_max", "pay_currency"),
                ("pay_period", "pay_basis"),
                "pay_scale",
                "pay_note",
            ),
        },
    ),
    (
        _("Selection calendar"),
        {
            "fields": (
                "deadline",
                "shortlist_on",
                ("written_test_from", "written_test_to"),
                "written_test_note",
                ("interviews_from", "interviews_to"),
                "interviews_note",
            )
        },
    ),
    (
        _("How to apply and whom to ask"),
        {
            "fields": (
                "apply_method",
                ("apply_email", "apply_url"),
                ("asks_for_cv", "asks_for_letter"),
                "other_documents",
                ("contact_name", "contact_role"),
                ("contact_email", "contact_phone"),
            )
        },
    ),
    (
        _("Publication"),
        {"fields": (("status", "public_status"), "published_at", "closed_at", ("created_at", "updated_at"))},
    ),
)

# Status changes go through the model's verbs, never through the form.
OFFER_READONLY_FIELDS = ("status", "public_status", "closed_at", "created_at", "updated_at")


class OfferAdminForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = [name for name in flatten_fieldsets(OFFER_FIELDSETS) if name not in OFFER_READONLY_FIELDS]
        formfield_callback = assume_https
        help_texts = {
            "published_at": _(
                "Leave empty to publish at once when you press “Save and publish”; "
                "set a future time to schedule the publication."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        organisation, recruiters = cleaned.get("organisation"), cleaned.get("recruiters")
        if organisation and recruiters:
            members = set(organisation.memberships.values_list("user_id", flat=True))
            if outsiders := [user for user in recruiters if user.pk not in members]:
                names = ", ".join(user.get_full_name() or user.get_username() for user in outsiders)
                self.add_error(
                    "recruiters",
                    _("Only members of the organisation can be in charge: %(names)s is not.") % {"names": names},
                )
        return cleaned

    def clean_published_at(self):
        published_at = self.cleaned_data["published_at"]
        if published_at is None and self.instance.status == Offer.Status.SCHEDULED:
            raise ValidationError(
                _("A scheduled offer needs its publication time. To publish it now, use the “Publish now” action.")
            )
        return published_at


# The buttons of the change form, in addition to the plain save.
BUTTONS = ("_publish", "_close", "_reopen", "_duplicate")


def answer_waiting_url(offer) -> str | None:
    """The applications app's page to answer everyone still waiting on `offer`.

    Named, not imported: offers never imports applications."""
    try:
        return reverse("admin:applications_application_answer_waiting", args=[offer.pk])
    except NoReverseMatch:
        return None


@admin.register(Offer)
class OfferAdmin(OrganisationScopedMixin, admin.ModelAdmin):
    form = OfferAdminForm
    list_display = (
        "title",
        "organisation",
        "group",
        "contract_type",
        "deadline",
        "public_status",
        "published_at",
    )
    list_filter = (
        "status",
        "contract_type",
        "language",
        ("organisation", OwnOrganisationFilter),
        ("group", OwnGroupFilter),
    )
    list_select_related = ("organisation", "group__institution")
    search_fields = ("title", "slug", "group__name", "places__locality")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = OFFER_READONLY_FIELDS
    save_on_top = True
    inlines = [PlaceInline, RequiredLanguageInline, BenefitInline]
    filter_horizontal = ("recruiters",)
    actions = ["publish_offers", "close_offers", "reopen_offers", "archive_offers", "duplicate_offers"]
    fieldsets = OFFER_FIELDSETS

    def scope(self, queryset, user):
        return queryset.for_user(user)

    @admin.display(description=_("status now"), ordering="status")
    def public_status(self, offer):
        # A published offer past its deadline is closed for candidates.
        return offer.get_effective_status_display()

    def view_on_site(self, offer):
        return offer.get_absolute_url() if offer.is_live else None

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != Offer.Status.DRAFT:
            fields.append("slug")  # its public URL must not move under candidates' feet
        if obj is not None and obj.status not in (Offer.Status.DRAFT, Offer.Status.SCHEDULED):
            fields.append("published_at")
        elif (
            obj is not None and obj.status == Offer.Status.SCHEDULED and not may_publish(request.user, obj.organisation)
        ):
            fields.append("published_at")  # moving a scheduled publication is publishing
        return fields

    def publishes_somewhere(self, request) -> bool:
        return any(may_publish(request.user, organisation) for organisation in organisations_of(request.user))

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if obj is None or obj.status == Offer.Status.DRAFT else {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group":
            groups = PoliticalGroup.objects.filter(organisation__in=organisations_of(request.user))
            kwargs["queryset"] = groups.select_related("institution")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "recruiters":
            # Colleagues only: the members of the user's own organisations, never everyone's accounts.
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, memberships__organisation__in=organisations_of(request.user))
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        status = obj.status if obj is not None else Offer.Status.DRAFT
        can_publish = status in (Offer.Status.DRAFT, Offer.Status.SCHEDULED)
        may = may_publish(request.user, obj.organisation) if obj is not None else self.publishes_somewhere(request)
        context.update(
            is_draft=status == Offer.Status.DRAFT,
            can_publish=can_publish and may,
            can_close=status in (Offer.Status.SCHEDULED, Offer.Status.PUBLISHED),
            can_reopen=status == Offer.Status.CLOSED,
            can_duplicate=obj is not None and self.has_add_permission(request),
            preview_url=reverse("offers:preview", args=[obj.pk]) if obj is not None else None,
            # What stops the saved offer from going out; None where publishing does not apply.
            publication_check=obj.publication_problems() if obj is not None and can_publish else None,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # The buttons: the form is saved first, then the verb is applied.

    def response_add(self, request, obj, post_url_continue=None):
        return self.respond_to_button(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self.respond_to_button(request, obj) or super().response_change(request, obj)

    def respond_to_button(self, request, offer):
        """After the save, do what the pressed button asks; None for a plain save."""
        post = request.POST
        if not any(name in post for name in BUTTONS):
            return None
        messages.success(request, gettext("“%(offer)s” was saved.") % {"offer": offer})
        if "_publish" in post:
            # A publication time in the future schedules; none, or a past one, publishes now.
            scheduled = offer.published_at if offer.published_at and offer.published_at > timezone.now() else None
            self.publish(request, offer, at=scheduled)
        elif "_close" in post:
            if self.close(request, offer) and (url := answer_waiting_url(offer)):
                return HttpResponseRedirect(url)
        elif "_reopen" in post:
            self.reopen(request, offer)
        elif "_duplicate" in post:
            offer = self.duplicate(request, offer)
        url = reverse("admin:offers_offer_change", args=[offer.pk], current_app=self.admin_site.name)
        preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": Offer._meta}
        return HttpResponseRedirect(add_preserved_filters(preserved, url))

    # The verbs, with a message for each offer; shared by buttons and actions.

    def attempt(self, request, offer, verb, refusal: str) -> bool:
        """Call a state verb of `offer`; if the model refuses, say why in an error message."""
        try:
            verb()
        except ValidationError as error:
            messages.error(request, refusal % {"offer": offer, "reasons": " ".join(error.messages)})
            return False
        return True

    def publish(self, request, offer, at=None):
        if not may_publish(request.user, offer.organisation):
            messages.error(
                request,
                gettext("“%(offer)s” was not published: an organisation admin of %(organisation)s publishes offers.")
                % {"offer": offer, "organisation": offer.organisation},
            )
            return
        refusal = gettext("“%(offer)s” cannot be published: %(reasons)s")
        if self.attempt(request, offer, lambda: offer.publish(at=at), refusal):
            if offer.status == Offer.Status.SCHEDULED:
                when = date_format(timezone.localtime(offer.published_at), "DATETIME_FORMAT")
                messages.success(
                    request, gettext("“%(offer)s” will be published on %(when)s.") % {"offer": offer, "when": when}
                )
            else:
                messages.success(request, gettext("“%(offer)s” is published.") % {"offer": offer})

    def close(self, request, offer) -> bool:
        if not self.attempt(request, offer, offer.close, gettext("“%(offer)s” cannot be closed: %(reasons)s")):
            return False
        messages.success(request, gettext("“%(offer)s” is closed: it no longer takes applications.") % {"offer": offer})
        return True

    def reopen(self, request, offer):
        if self.attempt(request, offer, offer.reopen, gettext("“%(offer)s” cannot be reopened: %(reasons)s")):
            messages.success(request, gettext("“%(offer)s” takes applications again.") % {"offer": offer})

    def archive(self, request, offer):
        offer.archive()
        messages.success(request, gettext("“%(offer)s” is archived.") % {"offer": offer})

    def duplicate(self, request, offer) -> Offer:
        copy = offer.duplicate()
        messages.success(
            request, gettext("“%(offer)s” was copied to the new draft “%(copy)s”.") % {"offer": offer, "copy": copy}
        )
        return copy

    @admin.action(description=_("Publish now"), permissions=["change"])
    def publish_offers(self, request, queryset):
        for offer in queryset.select_related("organisation"):
            self.publish(request, offer)

    @admin.action(description=_("Close (stop taking applications)"), permissions=["change"])
    def close_offers(self, request, queryset):
        for offer in queryset:
            if self.close(request, offer) and (url := answer_waiting_url(offer)):
                link = gettext("Answer everyone still waiting on “%(offer)s”") % {"offer": offer}
                messages.info(request, format_html('<a href="{}">{}</a>', url, link))

    @admin.action(description=_("Reopen"), permissions=["change"])
    def reopen_offers(self, request, queryset):
        for offer in queryset:
            self.reopen(request, offer)

    @admin.action(description=_("Archive (take off the site)"), permissions=["change"])
    def archive_offers(self, request, queryset):
        for offer in queryset:
            self.archive(request, offer)

    @admin.action(description=_("Duplicate as new draft"), permissions=["add"])
    def duplicate_offers(self, request, queryset):
        for offer in queryset:
            self.duplicate(request, offer)
