"""Two-factor authentication of staff in the admin, with django-otp: a TOTP app, and backup codes.

django-otp offers OTPAdminSite, which asks for the code on the login form itself and treats every
unverified user as a stranger. It does not fit: staff who never set up an app (most of them, where no
organisation requires it) could not log in at all, the password would travel again with every code
through django-axes' count, and our admin is the default site that every ModelAdmin registers on.
So the admin's login stays as it is, django-otp's OTPMiddleware tells whether the session was
confirmed by a device, and jobboard.middleware.TwoFactorMiddleware sends a staff member who must
still `verify` a code or `enrol` an app (`next_step`) to these pages, and lets them reach no other
admin page until then.

Codes are told apart by their length: 6 digits from the app (TOTPDevice), 8 for a backup code
(StaticDevice, each used once). Only the device the code is for is tried, so a mistyped code slows
down (django-otp's throttle: 1, 2, 4, 8… seconds) that device only.
"""

import re
from base64 import b32encode
from binascii import unhexlify
from io import BytesIO

import segno
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex, random_number_token

from applications.models import AuditEvent
from offers.models import Membership, organisations_requiring_two_factor

APP_CODE_DIGITS = 6
BACKUP_CODE_DIGITS = 8
BACKUP_CODES = 10
# The secret offered on the enrolment page waits here until the user confirms it with a first code:
# no device is written before their app has it.
PENDING_KEY = "two_factor_pending_key"
VERIFY, ENROL = "verify", "enrol"


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def next_step(user) -> str | None:
    """What a logged-in staff member whose session no device confirmed must do before using the admin:
    VERIFY a code if they have an app, ENROL one if an organisation of theirs requires it, else None."""
    if has_two_factor(user):
        return VERIFY
    if organisations_requiring_two_factor(user).exists():
        return ENROL
    return None


def reachable_during(step: str) -> set[str]:
    """The admin paths open to a staff member who must still take `step` (and logging out)."""
    paths = {reverse(f"two_factor:{step}"), reverse("admin:logout")}
    if step == ENROL:
        paths.add(reverse("two_factor:qr_code"))
    return paths


# The verbs: each turns the user's devices on or off and says so in their organisations' audit logs.


def record(user, action, detail: str = ""):
    """One audit event in each organisation of the user, by the user: whose account it is."""
    for organisation_id in Membership.objects.filter(user=user).values_list("organisation_id", flat=True):
        AuditEvent.record(action, organisation_id, actor=user, detail=detail)


@transaction.atomic
def enable(user, key: str, confirmed_step: int) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor authentication on with the app's secret `key`, which gave the code of time step
    `confirmed_step` (that code cannot serve again to log in). Returns the device and new backup codes."""
    device = TOTPDevice.objects.create(user=user, name="app", key=key, confirmed=True, last_t=confirmed_step)
    codes = renew_backup_codes(user)
    record(user, AuditEvent.Action.TWO_FACTOR_ON)
    return device, codes


def renew_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with BACKUP_CODES new ones, returned here and never shown again.

    The device stays the same, so a session confirmed with an old backup code stays confirmed."""
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": "backup", "confirmed": True})
    device.token_set.all().delete()
    codes = [random_number_token(BACKUP_CODE_DIGITS) for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def disable(user, detail: str = "") -> bool:
    """Turn two-factor authentication off: the app and the backup codes are forgotten. False if it was off."""
    deleted, _counts = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if deleted:
        record(user, AuditEvent.Action.TWO_FACTOR_OFF, detail)
    return bool(deleted)


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


class Throttled(Exception):
    def __init__(self, seconds: int):
        self.seconds = seconds


def check_code(user, code: str):
    """The user's device that accepts `code`, or None. A backup code is used up.

    Raises Throttled while django-otp makes that device wait after wrong codes."""
    model = TOTPDevice if len(code) == APP_CODE_DIGITS else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            return None
        allowed, details = device.verify_is_allowed()
        if not allowed:
            wait = (details["locked_until"] - timezone.now()).total_seconds()
            raise Throttled(max(1, int(wait) + 1))
        return device if device.verify_token(code) else None


# Forms


def one_time_code_input():
    return forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True})


def digits(value: str) -> str:
    """The code as typed, without the spaces and dashes people copy with it."""
    return re.sub(r"[\s-]", "", value)


class CodeForm(forms.Form):
    """A code of the user's app or a backup code, checked against their devices."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=one_time_code_input(),
        help_text=_("The 6 digits your authenticator app shows now, or one of your 8-digit backup codes."),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None
        self.throttled = False

    def clean_code(self):
        code = digits(self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}|[0-9]{8}", code):
            raise forms.ValidationError(
                _("Enter the 6 digits of your app, or one of your 8-digit backup codes."), code="format"
            )
        try:
            self.device = check_code(self.user, code)
        except Throttled as throttled:
            self.throttled = True
            raise forms.ValidationError(
                ngettext(
                    "Too many wrong codes: wait %(seconds)d second before trying again.",
                    "Too many wrong codes: wait %(seconds)d seconds before trying again.",
                    throttled.seconds,
                )
                % {"seconds": throttled.seconds},
                code="throttled",
            ) from None
        if self.device is None:
            raise forms.ValidationError(
                _("This code is not right. Check that your phone's clock is on time, and try the newest code."),
                code="wrong",
            )
        return code


class EnrolForm(forms.Form):
    """The first code of the app, checked against the secret it was given."""

    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=20,
        widget=one_time_code_input(),
        help_text=_("6 digits; a new one every 30 seconds."),
    )

    def __init__(self, key: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.totp = TOTP(unhexlify(key))

    def clean_code(self):
        code = digits(self.cleaned_data["code"])
        # One step either side, as the device will accept, for a clock a little off.
        if not (re.fullmatch(r"[0-9]{6}", code) and self.totp.verify(int(code), tolerance=1)):
            raise forms.ValidationError(
                _("This code does not match. Check that your phone's clock is on time, and try the newest code."),
                code="wrong",
            )
        return code

    @property
    def confirmed_step(self) -> int:
        return self.totp.t()  # of the code that matched, once valid


# Views: each wrapped in admin.site.admin_view (staff only, never cached) by `urlpatterns` below.


def admin_page(request, template: str, status: int = 200, **context):
    context = {**admin.site.each_context(request), "next": next_url(request), **context}
    return render(request, f"admin/two_factor/{template}", context, status=status)


def next_url(request) -> str:
    """Where the user was going (?next=, or the form's next), if it is on this site; else the admin's index."""
    url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("admin:index")


def names_requiring_two_factor(user) -> list[str]:
    return [organisation.display_name for organisation in organisations_requiring_two_factor(user)]


def confirm_session(request, device):
    # A new session key for the session that now carries the second factor, as a login does for the first.
    request.session.cycle_key()
    otp_login(request, device)


@require_GET
def status(request):
    user = request.user
    return admin_page(
        request,
        "status.html",
        title=_("Two-factor authentication"),
        enabled=has_two_factor(user),
        backup_codes_left=backup_codes_left(user),
        required_by=names_requiring_two_factor(user),
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    if request.user.is_verified() or not has_two_factor(request.user):
        return redirect(next_url(request))
    form = CodeForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        confirm_session(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = backup_codes_left(request.user)
            messages.warning(
                request,
                ngettext(
                    "You used a backup code: %(count)d is left.", "You used a backup code: %(count)d are left.", left
                )
                % {"count": left},
            )
        return redirect(next_url(request))
    # A throttled attempt is refused like a throttled password (django-axes): 429.
    return admin_page(request, "verify.html", 429 if form.throttled else 200, title=_("Login code"), form=form)


@require_http_methods(["GET", "POST"])
def enrol(request):
    user = request.user
    if has_two_factor(user):
        return redirect("two_factor:status")
    key = request.session.setdefault(PENDING_KEY, random_hex(20))
    form = EnrolForm(key, request.POST if request.method == "POST" else None)
    if form.is_valid():
        device, codes = enable(user, key, form.confirmed_step)
        del request.session[PENDING_KEY]
        confirm_session(request, device)
        return backup_codes_page(request, codes, enrolled=True)
    return admin_page(
        request,
        "enrol.html",
        title=_("Set up two-factor authentication"),
        form=form,
        secret=" ".join(re.findall(".{1,4}", b32encode(unhexlify(key)).decode())),
        required_by=names_requiring_two_factor(user),
    )


@require_GET
def qr_code(request):
    """The enrolment's secret as a QR code for the app to scan: an SVG made here, never by a third party."""
    key = request.session.get(PENDING_KEY)
    if key is None:
        raise Http404
    uri = TOTPDevice(user=request.user, key=key).config_url
    svg = BytesIO()
    segno.make(uri, error="m").save(svg, kind="svg", scale=5, border=4, dark="#000", light="#fff")
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


@require_http_methods(["GET", "POST"])
def disable_view(request):
    user = request.user
    if not has_two_factor(user):
        return redirect("two_factor:status")
    form = CodeForm(user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        disable(user)
        messages.success(request, _("Two-factor authentication is off: your logins no longer ask for a code."))
        return redirect("two_factor:status")
    return admin_page(
        request,
        "disable.html",
        429 if form.throttled else 200,
        title=_("Turn off two-factor authentication"),
        form=form,
        required_by=names_requiring_two_factor(user),
    )


@require_POST
def backup_codes(request):
    if not has_two_factor(request.user):
        return redirect("two_factor:status")
    return backup_codes_page(request, renew_backup_codes(request.user), enrolled=False)


def backup_codes_page(request, codes: list[str], enrolled: bool):
    # Shown in the answer to the POST that made them, and nowhere else ever after.
    shown = [f"{code[:4]} {code[4:]}" for code in codes]
    return admin_page(request, "backup_codes.html", title=_("Your backup codes"), codes=shown, enrolled=enrolled)


urlpatterns = [
    path("", admin.site.admin_view(status), name="status"),
    path("verify/", admin.site.admin_view(verify), name=VERIFY),
    path("enrol/", admin.site.admin_view(enrol), name=ENROL),
    path("enrol/qr.svg", admin.site.admin_view(qr_code), name="qr_code"),
    path("disable/", admin.site.admin_view(disable_view), name="disable"),
    path("backup-codes/", admin.site.admin_view(backup_codes), name="backup_codes"),
]
