"""The strict Content-Security-Policy (no inline script or style) refuses nothing on our pages, public or
staff, as Chromium enforces it; and the pages still look as they did with inline styles."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from applications.models import Application
from offers.models import Offer, Organisation, PoliticalGroup, Story
from tests.factories import PASSWORD, make_offer, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every refusal, told to Python as it happens, with the page it happened on.
WATCH = """document.addEventListener("securitypolicyviolation", event => window.cspViolation(
    `${document.location.pathname}${document.location.search}: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline code"} (${event.sourceFile || "the page"}, line ${event.lineNumber})`
));"""
ECOLO_GREEN = "rgb(43, 122, 61)"  # #2b7a3d, Ecolo's accent colour in the demo data
SITE_GREEN = "rgb(27, 94, 75)"  # #1b5e4b, the site's own accent


@pytest.fixture
def refusals(page):
    found = []

    def report(refusal):
        found.append(refusal)

    def console(message):
        # Chromium also says it in the console, should anything escape the event.
        if "Content Security Policy" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.expose_function("cspViolation", report)
    page.add_init_script(WATCH)
    page.on("console", console)
    return found


@pytest.fixture
def demo(settings):
    call_command("load_demo", verbosity=0)
    call_command("load_demo_applications", verbosity=0)
    settings.APPLICATION_RATE_LIMIT = 1000


def style(page, selector, prop):
    return page.locator(selector).first.evaluate("(el, prop) => getComputedStyle(el).getPropertyValue(prop)", prop)


def test_the_watch_reports_inline_code_the_policy_refuses(page, refusals, live_server):
    page.goto("/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.evaluate("document.body.append(Object.assign(document.createElement('script'), {textContent: '1'}))")
    page.wait_for_timeout(200)

    assert any("style-src" in refusal for refusal in refusals), refusals
    assert any("script-src" in refusal for refusal in refusals), refusals


def test_public_pages_keep_their_looks_without_anything_refused(page, refusals, demo, screenshot):
    ecolo = Organisation.objects.get(slug="ecolo")
    offer = Offer.objects.published().filter(organisation=ecolo, apply_method=Offer.ApplyMethod.BOARD).first()
    public = ["/", "/offres/?q=charg%C3%A9&contract=fixed_term&sort=deadline", "/nl/", "/en/offres/"]
    public += [offer.get_absolute_url() for offer in Offer.objects.published()]
    public += [organisation.get_absolute_url() for organisation in Organisation.objects.all()]
    public += [group.get_absolute_url() for group in PoliticalGroup.objects.all()]
    public += [story.get_absolute_url() for story in Story.objects.published()]
    public += ["/alertes/?contract=internship", "/alertes/verifiez-vos-e-mails/", "/candidature/envoyee/"]
    for url in public:
        page.goto(url)
    page.goto("/offres/cette-offre-n-existe-pas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")

    # The accent colour reaches the organisation's page, its offers and its forms; the header keeps the site's.
    page.goto(ecolo.get_absolute_url())
    assert style(page, "article.organisation", "--jb-accent").strip() == "#2b7a3d"
    assert style(page, "article.organisation .offer-card", "border-left-color") == ECOLO_GREEN
    assert style(page, ".site-header", "border-bottom-color") == SITE_GREEN
    screenshot("csp-organisation-ecolo")

    page.goto(offer.get_absolute_url())
    # The JSON-LD block stays on the page, and the policy has nothing to say about it.
    expect(page.locator("script[type='application/ld+json']")).to_have_count(1)
    assert style(page, ".apply-box", "border-top-color") == ECOLO_GREEN
    screenshot("csp-offer-ecolo")

    page.goto(f"{offer.get_absolute_url()}postuler/")
    assert style(page, ".apply-page", "max-width") == "768px"
    assert style(page, ".apply-page button[type=submit]", "background-color") == ECOLO_GREEN
    assert style(page, ".jb-trap", "left") == "-10000px"
    screenshot("csp-apply-ecolo")
    # Sent back with its errors, through upload-progress.js.
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.locator("main form.apply-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()

    page.goto("/alertes/?contract=internship")
    assert style(page, "main .page-column", "max-width") == "640px"
    screenshot("csp-alerts-subscribe")

    page.wait_for_timeout(200)
    assert refusals == []


def log_in(page, username):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


def test_the_staff_admin_works_without_anything_refused(page, refusals, demo, screenshot):
    make_user("root", superuser=True)
    draft = make_offer(
        title="Brouillon à publier", organisation=Organisation.objects.get(slug="ecolo"), status=Offer.Status.DRAFT
    )
    log_in(page, "root")

    # The dashboard and its charts: SVG drawn on the server, styled by admin-dashboard.css.
    expect(page.locator("#recruiting-dashboard svg.dashboard-daily")).to_be_visible()
    expect(page.locator("#recruiting-dashboard svg.dashboard-bar").first).to_be_visible()
    assert style(page, "svg.dashboard-funnel .dashboard-funnel-bar", "fill") == "rgb(29, 78, 137)"
    page.locator("#dashboard-organisation").select_option("ecolo")
    page.locator(".dashboard-choice input[type=submit]").click()
    expect(page.locator("#dashboard-title")).to_contain_text("Ecolo")
    screenshot("csp-admin-dashboard")

    # Offers: a filter, every row selected for an action, then a draft's form with its date widgets.
    page.goto("/admin/offers/offer/")
    page.locator("#changelist-filter a").nth(1).click()
    page.goto("/admin/offers/offer/")
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text(str(Offer.objects.count()))
    page.goto(f"/admin/offers/offer/{draft.pk}/change/")
    page.locator(".datetimeshortcuts a").first.click()  # "Today", written in by DateTimeShortcuts.js
    page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    page.keyboard.press("Escape")
    screenshot("csp-admin-offer-draft")
    page.locator("input[name=_publish]").last.click()
    expect(page.locator(".messagelist")).to_contain_text(draft.title)

    # Applications: the list with a filter, one application, the overview, writing to a candidate.
    page.goto("/admin/applications/application/")
    page.locator("#changelist-filter a").nth(1).click()
    expect(page.locator("#result_list")).to_be_visible()
    application = Application.objects.filter(erased_at__isnull=True).first()
    page.goto(f"/admin/applications/application/{application.pk}/change/")
    expect(page.locator("#move-form")).to_be_visible()
    page.locator(".add-row a").first.click()  # a private note, added by inlines.js
    expect(page.locator("textarea[name$='-0-text']")).to_be_visible()
    screenshot("csp-admin-application")
    page.goto("/admin/applications/application/overview/")
    page.goto(f"/admin/applications/application/write/?ids={application.pk}")
    page.goto("/admin/offers/organisation/")
    page.locator("#result_list tbody th a").first.click()
    expect(page.locator("#id_accent_colour")).to_be_visible()

    page.wait_for_timeout(200)
    assert refusals == []
