"""The public offer list's filters. Their state lives in the query string, so a
search can be shared and bookmarked; invalid values are ignored and reported."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from offers import search
from offers.models import Country, Institution, Language, Offer, Organisation, Place, PoliticalGroup


def organisations_with_offers(request):
    return Organisation.objects.filter(pk__in=Offer.objects.published().values("organisation")).only("name", "slug")


def groups_with_offers(request):
    return PoliticalGroup.objects.filter(pk__in=Offer.objects.published().values("group")).select_related("institution")


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
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=organisations_with_offers, to_field_name="slug", empty_label=_("All")
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Political group"), queryset=groups_with_offers, to_field_name="slug", empty_label=_("All")
    )
    level = django_filters.ChoiceFilter(
        label=_("Level of government"),
        field_name="group__institution__level",
        choices=Institution.Level.choices,
        empty_label=_("All"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=Country.choices, method="in_country", empty_label=_("All")
    )
    place = django_filters.CharFilter(label=_("Place of work"), method="at_place", max_length=100)
    remote = django_filters.BooleanFilter(
        label=_("Remote work possible"), method="remote_possible", widget=forms.CheckboxInput
    )
    language = django_filters.ChoiceFilter(
        label=_("Language of the offer"), choices=Language.choices, empty_label=_("All")
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
    )

    class Meta:
        model = Offer
        fields = []

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
