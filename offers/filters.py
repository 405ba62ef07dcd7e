"""The public offer list's filters. Their state lives in the query string, so a
search can be shared and bookmarked; invalid values are ignored and reported."""

from datetime import timedelta
from html import escape

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from offers import search
from offers.caching import current_generation
from offers.models import Country, Institution, Language, Offer, Organisation, Place, PoliticalGroup


def organisations_with_offers():
    def fetch():
        organisations = Organisation.objects.filter(pk__in=Offer.objects.published().values("organisation"))
        return list(organisations.order_by("name").values_list("slug", "name"))

    return kept_for_the_generation("organisations-with-offers", fetch)


def groups_with_offers():
    def fetch():
        groups = PoliticalGroup.objects.filter(pk__in=Offer.objects.published().values("group"))
        return list(groups.order_by("name").values_list("slug", "name"))

    return kept_for_the_generation("groups-with-offers", fetch)


# A scheduled offer's organisation and group join the menus at most this long after its publication.
CHOICES_SECONDS = 300


def kept_for_the_generation(name, fetch):
    """The menus' choices change when public content does (a save moves the generation on) or
    when a scheduled offer is published: kept meanwhile, they cost no query per page."""
    key = f"public-menus:{current_generation()}:{name}"
    choices = cache.get(key)
    if choices is None:
        choices = fetch()
        cache.set(key, choices, CHOICES_SECONDS)
    return choices


# "All" next to a feminine label (Organisation, Langue): "Toutes" in French.
ALL_FEMININE = pgettext_lazy("feminine", "All")


class PlainSelect(forms.Select):
    """A <select> written out in plain Python. Django renders each <option> through a
    template, which made the organisation and group menus (hundreds of options) cost more
    than the rest of the list page together."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(item) for item in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(str(option))}"{" selected" if str(option) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for option, label in self.choices
        )
        return mark_safe(f"<select{flatatt(attrs)}>{options}</select>")  # every value escaped above


class OfferFilterForm(forms.Form):
    """The filters' form, laid out by templates/offers/_filter_form.html (Bootstrap classes
    here): crispy-forms took a third of the list page's time for the same markup."""

    CSS_CLASSES = {
        forms.CheckboxInput: "form-check-input",
        forms.CheckboxSelectMultiple: "form-check-input",
        forms.Select: "form-select",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = next(
                (css for kind, css in self.CSS_CLASSES.items() if isinstance(field.widget, kind)), "form-control"
            )
            field.widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] += " is-invalid"
                widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}_error"})


class OfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Keywords"),
        method="search",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. secrétaire général, communication")}),
    )
    contract = django_filters.MultipleChoiceFilter(
        label=_("Contract"),
        field_name="contract_type",
        choices=Offer.ContractType.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    organisation = django_filters.ChoiceFilter(
        label=_("Organisation"),
        field_name="organisation__slug",
        choices=organisations_with_offers,
        empty_label=ALL_FEMININE,
        widget=PlainSelect,
    )
    group = django_filters.ChoiceFilter(
        label=_("Political group"),
        field_name="group__slug",
        choices=groups_with_offers,
        empty_label=_("All"),
        widget=PlainSelect,
    )
    level = django_filters.ChoiceFilter(
        label=_("Level of government"),
        field_name="group__institution__level",
        choices=Institution.Level.choices,
        empty_label=_("All"),
        widget=PlainSelect,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=Country.choices, method="in_country", empty_label=_("All"), widget=PlainSelect
    )
    place = django_filters.CharFilter(label=_("Place of work"), method="at_place", max_length=100)
    remote = django_filters.BooleanFilter(
        label=_("Remote work possible"), method="remote_possible", widget=forms.CheckboxInput
    )
    language = django_filters.ChoiceFilter(
        label=_("Language of the offer"), choices=Language.choices, empty_label=ALL_FEMININE, widget=PlainSelect
    )
    closing_soon = django_filters.BooleanFilter(
        label=_("Closing within 7 days"), method="closing_within_a_week", widget=forms.CheckboxInput
    )
    internships = django_filters.BooleanFilter(
        label=_("Internships only"), method="internships_only", widget=forms.CheckboxInput
    )
    closed = django_filters.BooleanFilter(
        label=_("Include closed offers"), method="include_closed", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("newest", _("Newest first")), ("deadline", _("Closing first"))],
        method="sort_by",
        empty_label=None,
        widget=PlainSelect,
    )

    class Meta:
        model = Offer
        fields = []
        form = OfferFilterForm

    def filter_queryset(self, queryset):
        # Closed offers are left out unless asked for; sorting defaults to newest.
        data = self.form.cleaned_data
        if not data.get("closed"):
            queryset = queryset & Offer.objects.open()
        queryset = super().filter_queryset(queryset)
        if not data.get("sort"):
            queryset = self.sort_by(queryset, "sort", "newest")
        return queryset

    def search(self, queryset, name, value):
        return search.matching(queryset, value)

    def in_country(self, queryset, name, value):
        return queryset.filter(pk__in=Place.objects.filter(country=value).values("offer"))

    def at_place(self, queryset, name, value):
        return queryset.filter(
            pk__in=Place.objects.filter(Q(locality__icontains=value) | Q(region__icontains=value)).values("offer")
        )

    def remote_possible(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.exclude(remote_policy=Offer.RemotePolicy.ON_SITE)

    def closing_within_a_week(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(deadline__gt=timezone.now(), deadline__lte=timezone.now() + timedelta(days=7))

    def internships_only(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(contract_type=Offer.ContractType.INTERNSHIP)

    def include_closed(self, queryset, name, value):
        return queryset  # applied in filter_queryset, before the other filters

    def sort_by(self, queryset, name, value):
        if value == "deadline":
            return queryset.order_by("deadline", "pk")
        return queryset.order_by("-published_at", "-pk")
