"""The public offer list's filters. Their state lives in the query string, so a
search can be shared and bookmarked; invalid values are ignored and reported."""

import copy
import time
import uuid
from datetime import timedelta
from html import escape

import django_filters
from django import forms
from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Value
from django.db.models.functions import Cast
from django.http import QueryDict
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from offers import search
from offers.caching import current_generation
from offers.models import Country, Institution, Language, Offer, Organisation, Place, PoliticalGroup

# A scheduled offer's organisation and group join the menus at most this long after its publication.
MENUS_SECONDS = 300
# Each process keeps the menus it read a few seconds more: a list page reads them several times
# (to check the choice, to show it), and unpickling hundreds of entries each time added up.
MENUS_KEPT_IN_PROCESS_SECONDS = 5
_menus_in_process = {}


def menus() -> dict:
    """The organisations and the groups that have published offers, (slug, name) by name, under
    "options" the <option> of each, in the same order (see `MenuSelect`), under "names" each slug's
    name (`MenuChoiceField`), under "levels" the ids of every group at each level of government (the
    level filter), and under "version" a name new at each reading from the database (see
    `OfferFilterForm`). They change when public content does (a save moves the generation on) or when
    a scheduled offer is published: kept meanwhile, they cost no query per page."""
    # A new name whenever what is kept changes: "filter-menus:" had no "levels", "public-menus:" no version.
    key = f"list-menus:{current_generation()}"
    if _menus_in_process.get("key") == key and _menus_in_process["until"] > time.monotonic():
        return _menus_in_process["menus"]
    kept = cache.get(key)
    if kept is None:
        kept = fetch_menus()
        cache.set(key, kept, MENUS_SECONDS)
    _menus_in_process.update(key=key, until=time.monotonic() + MENUS_KEPT_IN_PROCESS_SECONDS, menus=kept)
    return kept


def fetch_menus() -> dict:
    """Both menus, and the groups' levels, in one query."""
    published = Offer.objects.published()
    organisations = Organisation.objects.filter(pk__in=published.values("organisation"))
    groups = PoliticalGroup.objects.filter(pk__in=published.values("group"))
    # Every group, not only those with published offers: a scheduled offer is listed from the moment it
    # is published, before the menus are read again. As (level, id) in the menus' (slug, name) columns.
    levels = PoliticalGroup.objects.annotate(menu=Value("level"), id_text=Cast("pk", CharField()))
    # Each side without its model's ordering, which a compound statement refuses.
    rows = (
        organisations.order_by()
        .annotate(menu=Value("organisation"))
        .values_list("menu", "slug", "name")
        .union(
            groups.order_by().annotate(menu=Value("group")).values_list("menu", "slug", "name"),
            levels.order_by().values_list("menu", "institution__level", "id_text"),
            all=True,
        )
    )
    found = {"organisation": [], "group": []}
    groups_at_level = {}
    for menu, slug, name in rows.order_by("name", "slug"):
        if menu == "level":
            groups_at_level.setdefault(slug, []).append(int(name))
        else:
            found[menu].append((slug, name))
    options = {menu: [option_tag(slug, name) for slug, name in entries] for menu, entries in found.items()}
    names = {menu: dict(entries) for menu, entries in found.items()}
    return {**found, "options": options, "names": names, "levels": groups_at_level, "version": uuid.uuid4().hex}


# "All" next to a feminine label (Organisation, Langue): "Toutes" in French.
ALL_FEMININE = pgettext_lazy("feminine", "All")


# The list page is made for every visitor the page cache misses: its form is written out in
# plain Python. Django renders each widget, and each <option> or checkbox, through a template,
# which made the form cost more than the rest of the page together.


def input_tag(widget: dict) -> str:
    """An <input> from a widget's (or a choice's) context, as django/forms/widgets/input.html writes it."""
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return f'<input type="{widget["type"]}" name="{escape(widget["name"])}"{value}{html_attributes(widget["attrs"])}>'


def html_attributes(attrs: dict) -> str:
    """What Django's flatatt() writes, names in order, then the true booleans: it writes each through
    format_html(), which took half the form's time."""
    valued = sorted((name, value) for name, value in attrs.items() if value is not None and not isinstance(value, bool))
    flags = sorted(name for name, value in attrs.items() if value is True)
    return "".join(f' {escape(name)}="{escaped(value)}"' for name, value in valued) + "".join(
        f" {escape(name)}" for name in flags
    )


def escaped(value) -> str:
    """conditional_escape(): what is marked safe as it is, anything else escaped."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def option_tag(value, label, selected=False) -> str:
    return f'<option value="{escape(str(value))}"{" selected" if selected else ""}>{escape(str(label))}</option>'


class PlainInput:
    """For an input widget: written by `input_tag`."""

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(input_tag(self.get_context(name, value, attrs)["widget"]))  # escaped by input_tag


class PlainTextInput(PlainInput, forms.TextInput):
    pass


class PlainCheckboxInput(PlainInput, forms.CheckboxInput):
    pass


class PlainSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(item) for item in self.format_value(value)}
        options = "".join(option_tag(option, label, selected=str(option) in chosen) for option, label in self.choices)
        return mark_safe(f"<select{html_attributes(attrs)}>{options}</select>")  # every value escaped by option_tag


class MenuSelect(forms.Select):
    """The organisations' or the groups' menu (hundreds of options), written from the options'
    markup kept with the menus (`fetch_menus`): only the chosen one is written anew."""

    def __init__(self, menu: str, attrs=None):
        super().__init__(attrs)
        self.menu = menu

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(item) for item in self.format_value(value)}
        empty_label = next(iter(self.choices))[1]  # django-filter puts its "All" first
        options = [option_tag("", empty_label, selected="" in chosen)]
        kept = menus()
        for (slug, name), markup in zip(kept[self.menu], kept["options"][self.menu], strict=True):
            options.append(option_tag(slug, name, selected=True) if slug in chosen else markup)
        return mark_safe(f"<select{html_attributes(attrs)}>{''.join(options)}</select>")  # escaped by option_tag


class MenuChoiceField(django_filters.fields.ChoiceField):
    """The organisation or the group, one of the menus' slugs. A value is looked up among the menu's
    names: Django's ChoiceField goes through its choices, and normalises the menu's hundreds of them
    each time (twice a page: to check the value, to name it among the active filters)."""

    def __init__(self, *args, menu: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.menu = menu

    def valid_value(self, value):
        return value in menus()["names"][self.menu]

    def name_of(self, value) -> str:
        # The slug itself if the menus were read again since it was checked, and it left them.
        return menus()["names"][self.menu].get(value, value)


class MenuFilter(django_filters.ChoiceFilter):
    """A filter on the organisation or the group, chosen in its menu (`MenuSelect`, `MenuChoiceField`)."""

    field_class = MenuChoiceField

    def __init__(self, *args, menu: str, **kwargs):
        super().__init__(*args, choices=lambda: menus()[menu], widget=MenuSelect(menu), menu=menu, **kwargs)


class CopiedOneLevelDown(dict):
    """A filter set's filters or a form's fields: django-filter and Django deep-copy them for every
    request, choices, labels and widgets included, which took 0.4 ms of each list page. Copied one level
    down instead: what a request changes is its own (a filter's parent filter set, a widget's attributes,
    marked when invalid), what none changes is shared (choices, labels, messages)."""

    def __deepcopy__(self, memo):
        return {name: self.copy_one(item) for name, item in self.items()}

    @staticmethod
    def copy_one(item):
        copied = copy.copy(item)
        if isinstance(item, django_filters.Filter):
            if item.method is not None:
                copied.method = item.method  # a FilterMethod that asks the copy's parent, not the original's
        else:
            copied.widget = copy.copy(item.widget)
            copied.widget.attrs = item.widget.attrs.copy()
        return copied


# The filter form's fields' markup, by field, value, language and menus' reading (`OfferFilterForm`).
FIELD_MARKUP_KEPT = 2000
_field_markup_kept = {}


class OfferFilterForm(forms.Form):
    """The filters' form, in Bootstrap's markup (`render_fields`): crispy-forms, then a template
    of our own, took a third of the list page's time for the same markup."""

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

    def render_fields(self):
        """Each field with its label and errors, as Bootstrap lays them out."""
        return mark_safe("\n".join(self._kept_field_markup(field) for field in self))  # escaped in _field_markup

    @classmethod
    def _kept_field_markup(cls, field) -> str:
        """A field's markup, kept per process when it is valid and not free text (an empty text field is
        kept): it then depends only on the field, its value, the language and, for a menu, the menus'
        reading. Writing the thirteen fields anew took half a millisecond of each list page; most pages
        show the same few values."""
        if field.errors or (isinstance(field.field.widget, forms.TextInput) and field.data):
            return cls._field_markup(field)
        value = tuple(field.data) if isinstance(field.data, list) else field.data
        menus_version = menus()["version"] if isinstance(field.field.widget, MenuSelect) else None
        key = (field.name, get_language(), value, menus_version)
        markup = _field_markup_kept.get(key)
        if markup is None:
            if len(_field_markup_kept) >= FIELD_MARKUP_KEPT:  # values are the visitors' to choose
                _field_markup_kept.clear()
            markup = _field_markup_kept[key] = cls._field_markup(field)
        return markup

    @staticmethod
    def _field_markup(field) -> str:
        label = escape(str(field.label))
        errors = ""
        if field.errors:
            messages = "".join(f"<p><strong>{escape(str(error))}</strong></p>" for error in field.errors)
            errors = f'\n  <div id="{field.auto_id}_error" class="invalid-feedback d-block">{messages}</div>'
        if isinstance(field.field.widget, forms.CheckboxSelectMultiple):
            described = f' aria-describedby="{field.auto_id}_error"' if field.errors else ""
            choices = "".join(
                f'\n    <div class="form-check">{input_tag(choice.data)} <label for="{choice.id_for_label}"'
                f' class="form-check-label">{escape(str(choice.choice_label))}</label></div>'
                for choice in field.subwidgets
            )
            return (
                f'<div id="div_{field.auto_id}" class="mb-3">\n  <fieldset{described}>\n'
                f'    <legend class="form-label fs-6">{label}</legend>{choices}{errors}\n  </fieldset>\n</div>'
            )
        if isinstance(field.field.widget, forms.CheckboxInput):
            return (
                f'<div class="mb-3">\n  <div id="div_{field.auto_id}" class="form-check">{field}'
                f' <label for="{field.id_for_label}" class="form-check-label">{label}</label></div>{errors}\n</div>'
            )
        return (
            f'<div id="div_{field.auto_id}" class="mb-3">\n  <label for="{field.id_for_label}" class="form-label">'
            f"{label}</label> {field}{errors}\n</div>"
        )


class OfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Keywords"),
        method="search",
        max_length=100,
        widget=PlainTextInput(attrs={"type": "search", "placeholder": _("e.g. secrétaire général, communication")}),
    )
    contract = django_filters.MultipleChoiceFilter(
        label=_("Contract"),
        field_name="contract_type",
        choices=Offer.ContractType.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    organisation = MenuFilter(
        label=_("Organisation"), field_name="organisation__slug", empty_label=ALL_FEMININE, menu="organisation"
    )
    group = MenuFilter(label=_("Political group"), field_name="group__slug", empty_label=_("All"), menu="group")
    level = django_filters.ChoiceFilter(
        label=_("Level of government"),
        choices=Institution.Level.choices,
        method="at_level",
        empty_label=_("All"),
        widget=PlainSelect,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=Country.choices, method="in_country", empty_label=_("All"), widget=PlainSelect
    )
    place = django_filters.CharFilter(
        label=_("Place of work"), method="at_place", max_length=100, widget=PlainTextInput
    )
    remote = django_filters.BooleanFilter(
        label=_("Remote work possible"), method="remote_possible", widget=PlainCheckboxInput
    )
    language = django_filters.ChoiceFilter(
        label=_("Language of the offer"), choices=Language.choices, empty_label=ALL_FEMININE, widget=PlainSelect
    )
    closing_soon = django_filters.BooleanFilter(
        label=_("Closing within 7 days"), method="closing_within_a_week", widget=PlainCheckboxInput
    )
    internships = django_filters.BooleanFilter(
        label=_("Internships only"), method="internships_only", widget=PlainCheckboxInput
    )
    closed = django_filters.BooleanFilter(
        label=_("Include closed offers"), method="include_closed", widget=PlainCheckboxInput
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

    def get_form_class(self):
        # django-filter builds a new form class, and its fields, for every request; none of them
        # depends on the request (the menus' choices are read when shown), so one class serves.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
            cls._form_class.base_fields = CopiedOneLevelDown(cls._form_class.base_fields)
        return cls._form_class

    def __init__(self, data=None, *args, **kwargs):
        # Always bound: django-filter filters only a bound filter set, and filter_queryset() is where
        # the offers are narrowed to the public ones.
        super().__init__(QueryDict() if data is None else data, *args, **kwargs)

    def filter_queryset(self, queryset):
        # Public offers only, open ones unless closed ones are asked for (one status condition: see
        # OfferQuerySet.open); sorting defaults to newest.
        data = self.form.cleaned_data
        queryset = queryset.published() if data.get("closed") else queryset.open()
        queryset = super().filter_queryset(queryset)
        if not data.get("sort"):
            queryset = self.sort_by(queryset, "sort", "newest")
        return queryset

    @property
    def finds_few(self) -> bool:
        """Whether the offers found are usually few, and found by a search that costs: a place's offers on
        PostgreSQL (a town's, a few dozen), which the list then counts and pages in one query (OfferPaginator)."""
        return connection.vendor == "postgresql" and bool(getattr(self.form, "cleaned_data", {}).get("place"))

    def at_level(self, queryset, name, value):
        # By the groups' ids, kept with the menus: joining the groups and their institutions cost
        # PostgreSQL 0.6 ms more to plan and run, at the count and at the page.
        return queryset.filter(group_id__in=menus()["levels"].get(value, ()))

    def search(self, queryset, name, value):
        return search.matching(queryset, value)

    # Offer.countries ("BE FR"), in the list's covering indexes: an EXISTS over each open offer's places
    # took a third of the page. The codes have two letters, so "FR" is found in it only as France.
    def in_country(self, queryset, name, value):
        return queryset.filter(countries__contains=value)

    # The places matching first, then the offers: a few places match a name, and EXISTS looked for one
    # among the places of each open offer.
    def at_place(self, queryset, name, value):
        offers = search.places_named(Place.objects.all(), value).values("offer")
        return queryset.with_ids_in(offers, at_most=search.places_counted(value))

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


OfferFilter.base_filters = CopiedOneLevelDown(OfferFilter.base_filters)
