"""The form of the offer list's alert box: an address, a frequency and the list's search."""

from urllib.parse import urlencode

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter

from alerts.models import Alert
from offers.filters import OfferFilter
from offers.models import Offer

HONEYPOT = "website"
# Parameters that change how the list shows its offers, not which new open offers match.
NOT_FILTERS = {"page", "sort", "closed"}
MAX_QUERY_LENGTH = Alert._meta.get_field("query").max_length

INVALID_SEARCH = _("This search cannot be followed (%(problems)s). Change the filters on the list and try again.")
SEARCH_TOO_LONG = _("This search is too long to be followed. Remove a few filters on the list and try again.")


def normalise_query(query: str) -> str:
    """The list's query string reduced to the filters that choose offers, in a fixed order,
    so that one search is one alert however the list was reached."""
    data = QueryDict(query)
    pairs = []
    for name, offer_filter in OfferFilter.base_filters.items():
        if name in NOT_FILTERS:
            continue
        if isinstance(offer_filter, BooleanFilter):
            # A checkbox: "on", "true" and the like mean on, anything else off.
            if forms.CheckboxInput().value_from_datadict(data, None, name):
                pairs.append((name, "on"))
            continue
        pairs.extend((name, value) for value in sorted({v.strip() for v in data.getlist(name) if v.strip()}))
    return urlencode(sorted(pairs))


def search_problems(query: str) -> list[str]:
    """What OfferFilter finds wrong with a query string, as "Label: message"."""
    offer_filter = OfferFilter(QueryDict(query), queryset=Offer.objects.none())
    if offer_filter.is_valid():
        return []
    form = offer_filter.form
    return [f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]


class AlertForm(forms.ModelForm):
    query = forms.CharField(required=False, widget=forms.HiddenInput)
    # A trap for robots: hidden from people and from screen readers, so anything in it came from a script.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Alert
        fields = ["email", "frequency", "query"]
        labels = {"email": _("Your e-mail address"), "frequency": _("Send me the new offers")}
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"}), "frequency": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        # The list page has the filter form too: prefixed ids keep the labels unambiguous.
        kwargs.setdefault("auto_id", "alert_%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # Off-screen (static/css/site.css), not display:none, which robots learn to skip.
        trap = Div(HONEYPOT, css_class="jb-trap", aria_hidden="true")
        self.helper.layout = Layout("email", "frequency", trap, "query")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_query(self):
        return normalise_query(self.cleaned_data["query"])

    def clean(self):
        cleaned_data = super().clean()
        query = cleaned_data.get("query")
        if query is not None:
            if len(query) > MAX_QUERY_LENGTH:
                raise ValidationError(SEARCH_TOO_LONG, code="too_long")
            if problems := search_problems(query):
                raise ValidationError(INVALID_SEARCH, code="invalid_search", params={"problems": "; ".join(problems)})
        # The same address, search and frequency again is the same alert, not an error, and must not look
        # like one: bound to it, the form passes the database constraint's check and the view finds it.
        fields = {name: cleaned_data.get(name) for name in ("email", "query", "frequency")}
        if None not in fields.values() and (existing := Alert.objects.filter(**fields).first()):
            self.instance = existing
        return cleaned_data
