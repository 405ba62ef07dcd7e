"""Two-factor authentication of staff (jobboard/two_factor.py, jobboard.middleware.TwoFactorMiddleware).

Codes are computed here from the secret, as an authenticator app would.
"""

import re
from base64 import b32decode
from binascii import unhexlify
from datetime import timedelta
from io import StringIO
from time import time
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from applications.models import AuditEvent
from jobboard import two_factor
from offers.models import Membership
from tests.factories import PASSWORD, add_member, make_offer, make_organisation, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

ADMIN = "/admin/"
LOGIN = "/admin/login/"
VERIFY = "/admin/two-factor/verify/"
ENROL = "/admin/two-factor/enrol/"
DISABLE = "/admin/two-factor/disable/"


def code_of(key: str, steps_ahead: int = 0) -> str:
    """The code an app holding `key` shows now, or `steps_ahead` steps of 30 seconds later.

    A code is accepted once: a second code in the same test is the next one, which the one-step tolerance takes."""
    totp = TOTP(unhexlify(key))
    totp.time = time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def with_app(user) -> tuple[str, list[str]]:
    """Turn two-factor authentication on for `user`; the app's secret and the backup codes."""
    key = random_hex(20)
    two_factor.enable(user, key, confirmed_step=-1)
    return key, two_factor.renew_backup_codes(user)


def key_offered(client) -> str:
    """The secret the enrolment page shows, as the app would take it."""
    return b32decode(client.get(ENROL).context["secret"].replace(" ", "")).hex()


def log_in(client, username):
    response = client.post(LOGIN, {"username": username, "password": PASSWORD, "next": ADMIN})
    assert response.status_code == 302, response.status_code
    return response


def enter(client, code, url=VERIFY, next=ADMIN):
    return client.post(url, {"code": code, "next": next})


def is_logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def requiring(organisation):
    organisation.requires_two_factor = True
    organisation.save()
    return organisation


# Enrolment


def test_a_staff_member_enrols_with_a_first_code_of_their_app_and_gets_ten_backup_codes(client, bob):
    log_in(client, "bob")
    page = client.get(ENROL)
    assert page.status_code == 200
    secret = page.context["secret"]
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", secret)
    assert secret in page.text

    key = key_offered(client)
    response = enter(client, code_of(key), url=ENROL)

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code in response.text
    assert TOTPDevice.objects.get(user=bob, confirmed=True).key == key
    assert client.get(ADMIN).status_code == 200  # this session is confirmed by the new device


def test_the_enrolment_page_has_a_labelled_one_time_code_field_and_a_qr_code_image(client, bob):
    client.force_login(bob)
    page = client.get(ENROL).text
    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", page).group()
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
    assert '<label for="id_code"' in page
    assert re.search(r'<img class="two-factor-qr" src="/admin/two-factor/enrol/qr.svg" alt="[^"]+">', page)
    assert "style=" not in page.split('<div id="content-main">')[1]
    assert "<script>" not in page


def test_the_qr_code_is_an_svg_of_the_secret_offered(client, bob):
    client.force_login(bob)
    client.get(ENROL)

    response = client.get("/admin/two-factor/enrol/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b"<script" not in response.content


def test_there_is_no_qr_code_before_the_enrolment_page_offers_a_secret(client, bob):
    client.force_login(bob)
    assert client.get("/admin/two-factor/enrol/qr.svg").status_code == 404


def test_the_secret_offered_stays_the_same_until_confirmed(client, bob):
    client.force_login(bob)
    assert client.get(ENROL).context["secret"] == client.get(ENROL).context["secret"]


def test_a_wrong_first_code_turns_nothing_on(client, bob):
    client.force_login(bob)
    client.get(ENROL)

    response = enter(client, "000000", url=ENROL)

    assert response.status_code == 200
    assert "This code does not match" in response.text
    assert not TOTPDevice.objects.exists()


def test_letters_instead_of_a_code_are_a_clear_error_not_a_500(client, bob):
    client.force_login(bob)
    client.get(ENROL)
    assert "This code does not match" in enter(client, "abc", url=ENROL).text
    assert "Null characters are not allowed" in enter(client, "12\x0034", url=ENROL).text
    with_app(bob)
    client.logout()
    log_in(client, "bob")
    assert "Enter the 6 digits" in enter(client, "abcdef").text


def test_enrolling_is_recorded_in_each_of_the_users_organisations(client, bob, other_organisation):
    add_member(bob, other_organisation)
    with_app(bob)
    events = AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_ON, actor=bob)
    assert sorted(events.values_list("organisation__slug", flat=True)) == ["ecolo", "les-engages"]


def test_someone_enrolled_is_sent_from_the_enrolment_page_to_their_status(client, bob):
    with_app(bob)
    log_in(client, "bob")
    key = TOTPDevice.objects.get(user=bob).key
    enter(client, code_of(key))
    assert client.get(ENROL)["Location"] == "/admin/two-factor/"


def test_the_user_menu_links_to_the_two_factor_page(client, bob):
    client.force_login(bob)
    assert '<a href="/admin/two-factor/">Two-factor authentication</a>' in client.get(ADMIN).text


# Logging in


def test_without_an_app_the_password_opens_the_admin(client, bob):
    log_in(client, "bob")
    assert client.get(ADMIN).status_code == 200


def test_with_an_app_every_admin_page_asks_for_the_code_first(client, bob):
    with_app(bob)
    log_in(client, "bob")

    response = client.get(ADMIN)
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.get("/admin/offers/offer/?q=x")["Location"] == f"{VERIFY}?next=%2Fadmin%2Foffers%2Foffer%2F%3Fq%3Dx"
    assert client.get("/admin/two-factor/")["Location"].startswith(VERIFY)
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.text


def test_the_right_code_opens_the_admin_where_the_user_was_going(client, bob):
    key, _codes = with_app(bob)
    log_in(client, "bob")

    response = enter(client, code_of(key), next="/admin/offers/offer/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/offers/offer/"
    assert client.get(ADMIN).status_code == 200


def test_the_code_step_never_sends_the_user_off_the_site(client, bob):
    key, _codes = with_app(bob)
    log_in(client, "bob")
    assert enter(client, code_of(key), next="https://evil.example.com/")["Location"] == ADMIN


def test_a_wrong_code_is_refused(client, bob):
    with_app(bob)
    log_in(client, "bob")

    response = enter(client, "123456")

    assert response.status_code == 200
    assert "This code is not right" in response.text
    assert client.get(ADMIN).status_code == 302


def test_right_after_a_wrong_code_even_the_right_one_waits_with_a_clear_message(client, bob):
    key, _codes = with_app(bob)
    log_in(client, "bob")
    enter(client, "123456")
    enter(client, "123456", next=ADMIN)  # too soon: not even checked

    response = enter(client, code_of(key))

    assert response.status_code == 429
    assert "Too many wrong codes: wait" in response.text
    TOTPDevice.objects.update(throttling_failure_timestamp=F("throttling_failure_timestamp") - timedelta(minutes=1))
    assert enter(client, code_of(key)).status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_a_code_of_the_app_serves_only_once(client, bob):
    key, _codes = with_app(bob)
    log_in(client, "bob")
    code = code_of(key)
    assert enter(client, code).status_code == 302
    client.logout()

    log_in(client, "bob")
    assert "This code is not right" in enter(client, code).text


def test_a_backup_code_works_once(client, bob):
    _key, codes = with_app(bob)
    log_in(client, "bob")

    response = enter(client, f"{codes[0][:4]} {codes[0][4:]}")  # as shown, with its space

    assert response.status_code == 302
    assert "You used a backup code: 9 are left." in client.get(ADMIN).text
    client.logout()
    log_in(client, "bob")
    assert "This code is not right" in enter(client, codes[0]).text


def test_off_the_admin_a_user_without_their_code_is_anonymous(client, bob, organisation):
    with_app(bob)
    draft = make_offer(organisation=organisation, title="Brouillon", status="draft", published_at=None)
    log_in(client, "bob")

    response = client.get(reverse("offers:preview", args=[draft.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_logging_out_is_possible_before_the_code(client, bob):
    with_app(bob)
    log_in(client, "bob")
    client.post("/admin/logout/")
    assert not is_logged_in(client)


# Organisations that require it


def every_admin_url():
    """The list of every model the admin registers, and pages that are no model's."""
    for model in admin.site._registry:
        yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    yield from (ADMIN, "/admin/password_change/", "/admin/jsi18n/", "/admin/two-factor/", VERIFY, DISABLE)
    yield "/admin/autocomplete/?app_label=offers&model_name=offer&field_name=organisation"


def test_without_an_app_staff_of_a_requiring_organisation_reach_only_the_enrolment_page(client, bob, requiring):
    log_in(client, "bob")
    for url in every_admin_url():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{ENROL}?next="), url
        assert client.post(url)["Location"].startswith(ENROL), url
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "Ecolo requires two-factor authentication of its staff." in page.text


def test_once_enrolled_they_go_on_where_they_were_going(client, bob, requiring):
    log_in(client, "bob")
    assert client.get("/admin/offers/offer/")["Location"] == f"{ENROL}?next=%2Fadmin%2Foffers%2Foffer%2F"
    key = key_offered(client)

    response = client.post(ENROL, {"code": code_of(key), "next": "/admin/offers/offer/"})

    assert '<a class="button" href="/admin/offers/offer/">' in response.text
    assert client.get("/admin/offers/offer/").status_code == 200


def test_a_superuser_member_of_a_requiring_organisation_is_held_the_same(client, superuser, requiring):
    add_member(superuser, requiring, Membership.Role.ADMIN)
    log_in(client, "root")
    assert client.get(ADMIN)["Location"].startswith(ENROL)


def test_a_superuser_of_no_requiring_organisation_is_not(client, superuser, requiring):
    log_in(client, "root")
    assert client.get(ADMIN).status_code == 200


def test_staff_of_an_organisation_that_does_not_require_it_are_not_held(client, charlie, requiring):
    log_in(client, "charlie")
    assert client.get(ADMIN).status_code == 200


def test_one_requiring_organisation_among_several_is_enough(client, charlie, requiring):
    add_member(charlie, requiring)
    log_in(client, "charlie")
    assert client.get(ADMIN)["Location"].startswith(ENROL)


def test_removing_the_requirement_frees_them(client, bob, requiring):
    log_in(client, "bob")
    assert client.get(ADMIN).status_code == 302

    requiring.requires_two_factor = False
    requiring.save()

    assert client.get(ADMIN).status_code == 200


def test_organisation_admins_set_the_requirement_and_recruiters_cannot(client, alice, bob, organisation):
    url = reverse("admin:offers_organisation_change", args=[organisation.pk])
    client.force_login(alice)
    assert "requires_two_factor" in client.get(url).context["adminform"].form.fields
    client.force_login(bob)
    assert client.post(url, {"requires_two_factor": "on"}).status_code == 403
    organisation.refresh_from_db()
    assert not organisation.requires_two_factor


def test_setting_the_requirement_sends_the_admin_who_set_it_to_enrol_too(client, alice, organisation):
    client.force_login(alice)
    organisation.requires_two_factor = True
    organisation.save()
    assert client.get(ADMIN)["Location"].startswith(ENROL)


# Turning it off, new backup codes


def test_turning_it_off_needs_a_code(client, bob):
    key, _codes = with_app(bob)
    log_in(client, "bob")
    enter(client, code_of(key))

    assert "This field is required" in client.post(DISABLE, {"code": ""}).text
    assert "This code is not right" in client.post(DISABLE, {"code": "999999"}).text
    assert TOTPDevice.objects.filter(user=bob).exists()

    TOTPDevice.objects.update(throttling_failure_timestamp=None, throttling_failure_count=0)
    response = client.post(DISABLE, {"code": code_of(key, steps_ahead=1)})

    assert response["Location"] == "/admin/two-factor/"
    assert not TOTPDevice.objects.filter(user=bob).exists()
    assert not StaticDevice.objects.filter(user=bob).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TWO_FACTOR_OFF, actor=bob).count() == 1
    assert client.get(ADMIN).status_code == 200
    client.logout()
    log_in(client, "bob")
    assert client.get(ADMIN).status_code == 200  # no code asked any more


def test_a_backup_code_turns_it_off_too(client, bob):
    key, codes = with_app(bob)
    log_in(client, "bob")
    enter(client, code_of(key))
    assert client.post(DISABLE, {"code": codes[3]}).status_code == 302
    assert not TOTPDevice.objects.filter(user=bob).exists()


def test_where_it_is_required_turning_it_off_leads_to_enrolling_again(client, bob, requiring):
    key, _codes = with_app(bob)
    log_in(client, "bob")
    enter(client, code_of(key))
    assert "Ecolo requires" in client.get(DISABLE).text

    client.post(DISABLE, {"code": code_of(key, steps_ahead=1)})

    assert client.get(ADMIN)["Location"].startswith(ENROL)


def test_new_backup_codes_replace_the_old_ones(client, bob):
    key, old = with_app(bob)
    log_in(client, "bob")
    enter(client, code_of(key))

    response = client.post("/admin/two-factor/backup-codes/")

    new = [code.replace(" ", "") for code in response.context["codes"]]
    assert len(new) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)


def test_backup_codes_are_made_by_a_post_only(client, bob):
    key, old = with_app(bob)
    log_in(client, "bob")
    enter(client, code_of(key))
    assert client.get("/admin/two-factor/backup-codes/").status_code == 405
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)


# With the login throttle (django-axes) and the staff session limits


def test_four_wrong_passwords_then_the_right_one_and_the_code_let_in(client, bob):
    key, _codes = with_app(bob)
    for _ in range(4):
        assert client.post(LOGIN, {"username": "bob", "password": "wrong"}).status_code == 200
    log_in(client, "bob")
    assert enter(client, code_of(key)).status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_five_wrong_passwords_lock_out_before_any_code_is_asked(client, bob):
    with_app(bob)
    for _ in range(5):
        client.post(LOGIN, {"username": "bob", "password": "wrong"})
    assert client.post(LOGIN, {"username": "bob", "password": PASSWORD}).status_code == 429
    assert not is_logged_in(client)


def test_wrong_codes_are_not_counted_as_wrong_passwords(client, bob):
    with_app(bob)
    log_in(client, "bob")
    enter(client, "123456")
    assert not AccessAttempt.objects.exists()


def test_a_session_ended_by_the_idle_limit_asks_for_password_and_code_again(client, bob):
    key, _codes = with_app(bob)
    now = [1_700_000_000.0]
    with mock.patch("jobboard.middleware.time", side_effect=lambda: now[0]):
        log_in(client, "bob")
        enter(client, code_of(key))
        assert client.get(ADMIN).status_code == 200
        now[0] += 31 * 60

        assert client.get(ADMIN)["Location"].startswith(LOGIN)
        log_in(client, "bob")
        assert client.get(ADMIN)["Location"].startswith(VERIFY)


# A superuser's reset


def test_reset_two_factor_turns_it_off_once(bob):
    with_app(bob)
    first, second = StringIO(), StringIO()

    call_command("reset_two_factor", "bob", stdout=first)
    call_command("reset_two_factor", "bob", stdout=second)

    assert first.getvalue() == "Two-factor authentication of bob turned off.\n"
    assert second.getvalue() == "bob had no two-factor authentication: nothing to do.\n"
    assert not TOTPDevice.objects.filter(user=bob).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.TWO_FACTOR_OFF)
    assert (event.actor, event.detail) == (bob, "reset_two_factor")


def test_reset_two_factor_names_an_unknown_username(db):
    with pytest.raises(CommandError, match="No account has the username 'nobody'"):
        call_command("reset_two_factor", "nobody")


def test_no_device_admin_of_django_otp_is_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert not any(model._meta.app_label.startswith("otp_") for model in admin.site._registry)


def test_another_organisation_enrolling_leaves_this_one_untouched(bob):
    other = make_organisation()
    stranger = make_user("dora")
    add_member(stranger, other)
    with_app(stranger)
    assert not AuditEvent.objects.filter(organisation__slug="ecolo").exists()
