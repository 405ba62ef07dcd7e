"""What search engines and calendars read of an offer: schema.org JobPosting
JSON-LD, and the selection calendar as iCalendar."""

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from offers.models import Offer

EMPLOYMENT_TYPES = {
    Offer.ContractType.PERMANENT: [],
    Offer.ContractType.FIXED_TERM: ["TEMPORARY"],
    Offer.ContractType.INTERNSHIP: ["INTERN"],
    Offer.ContractType.APPRENTICESHIP: ["INTERN"],
    Offer.ContractType.VOLUNTEER: ["VOLUNTEER"],
    Offer.ContractType.FREELANCE: ["CONTRACTOR"],
}
PAY_UNITS = {Offer.PayPeriod.HOUR: "HOUR", Offer.PayPeriod.MONTH: "MONTH", Offer.PayPeriod.YEAR: "YEAR"}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def job_posting(offer: Offer, sections=None, url: str = "") -> dict:
    """The offer as a schema.org JobPosting, with every property we know. Its page passes the
    `sections()` and address it has already."""
    organisation = offer.organisation
    hiring_organisation = {"@type": "Organization", "name": organisation.name}
    if organisation.website:
        hiring_organisation["sameAs"] = organisation.website
    if organisation.logo:
        hiring_organisation["logo"] = absolute(organisation.logo.url)
    working_time = "PART_TIME" if offer.working_time == Offer.WorkingTime.PART_TIME else "FULL_TIME"
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": offer.display_title,
        "description": "".join(f"<h2>{heading}</h2>{html}" for heading, html in sections or offer.sections()),
        "datePosted": timezone.localtime(offer.published_at).date().isoformat(),
        "validThrough": timezone.localtime(offer.deadline).isoformat(),
        "employmentType": [working_time, *EMPLOYMENT_TYPES[offer.contract_type]],
        "hiringOrganization": hiring_organisation,
        "identifier": {"@type": "PropertyValue", "name": organisation.name, "value": offer.slug},
        "inLanguage": offer.language,
        "url": absolute(url or offer.get_absolute_url()),
        "directApply": offer.apply_method == Offer.ApplyMethod.BOARD,
        "jobLocation": [
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    **({"streetAddress": place.street_address} if place.street_address else {}),
                    **({"postalCode": place.postal_code} if place.postal_code else {}),
                    "addressLocality": place.locality,
                    **({"addressRegion": place.region} if place.region else {}),
                    "addressCountry": place.country,
                },
            }
            for place in offer.places.all()
        ],
    }
    if offer.remote_policy != Offer.RemotePolicy.ON_SITE:
        countries = sorted({place.country for place in offer.places.all()})
        data["applicantLocationRequirements"] = [{"@type": "Country", "name": code} for code in countries]
        if offer.remote_policy == Offer.RemotePolicy.FULL:
            data["jobLocationType"] = "TELECOMMUTE"
    if offer.pay_min is not None or offer.pay_max is not None:
        value = {"@type": "QuantitativeValue", "unitText": PAY_UNITS[offer.pay_period]}
        if offer.pay_min is not None:
            value["minValue"] = float(offer.pay_min)
        if offer.pay_max is not None:
            value["maxValue"] = float(offer.pay_max)
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": offer.pay_currency, "value": value}
    if offer.start_date and offer.start_precision == Offer.StartPrecision.DAY:
        data["jobStartDate"] = offer.start_date.isoformat()
    if benefits := [str(benefit) for benefit in offer.benefits.all()]:
        data["jobBenefits"] = ", ".join(benefits)
    return data


def as_json_ld(data: dict) -> SafeString:
    """JSON safe inside a <script> element (as Django's json_script escapes it)."""
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026"))  # noqa: S308


def selection_calendar(offer: Offer, host: str) -> bytes:
    """The known steps of the selection as an iCalendar file, one event each."""
    calendar = Calendar()
    calendar.add("prodid", "-//jobboard//offers//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", offer.display_title)
    url = absolute(offer.get_absolute_url())

    def add(step: str, summary: str, start, end=None):
        event = Event()
        event.add("uid", f"{offer.slug}-{step}@{host}")
        event.add("dtstamp", offer.updated_at)
        event.add("summary", f"{summary} – {offer.title}")
        event.add("description", f"{offer.organisation.name}\n{url}")
        event.add("url", url)
        if isinstance(start, datetime):
            event.add("dtstart", start)
        else:  # whole days; iCalendar's end date is exclusive
            event.add("dtstart", start)
            event.add("dtend", (end or start) + timedelta(days=1))
        calendar.add_component(event)

    if offer.deadline:
        add("deadline", _("Application deadline"), offer.deadline)
    if offer.shortlist_on:
        add("shortlist", _("Shortlisting"), offer.shortlist_on)
    if offer.written_test_from:
        add("written-test", _("Written test"), offer.written_test_from, offer.written_test_to)
    if offer.interviews_from:
        add("interviews", _("Interviews"), offer.interviews_from, offer.interviews_to)
    if offer.start_date and offer.start_precision == Offer.StartPrecision.DAY:
        add("start", _("Start"), offer.start_date)
    return calendar.to_ical()
