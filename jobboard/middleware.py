from time import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from jobboard import two_factor

# Browser features the site never uses, refused to every page and anything it embeds.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LOGIN_AT = "staff_login_at"
ACTIVE_AT = "staff_active_at"


def permissions_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


class StaffSessionMiddleware:
    """End a staff session after STAFF_SESSION_IDLE_MINUTES without a request, or STAFF_SESSION_MAX_HOURS
    after its first request, however active.

    The user is logged out; on an admin page they are sent to the admin's login with `?next=`,
    elsewhere the request goes on as an anonymous one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.user.is_staff:
            now = time()
            session = request.session
            login_at = session.setdefault(LOGIN_AT, now)
            idle, age = now - session.get(ACTIVE_AT, now), now - login_at
            if idle > settings.STAFF_SESSION_IDLE_MINUTES * 60 or age > settings.STAFF_SESSION_MAX_HOURS * 3600:
                logout(request)
                if request.path.startswith(reverse("admin:index")):
                    return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            else:
                session[ACTIVE_AT] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Keep a staff member whose login still lacks its second factor out of the admin (jobboard.two_factor).

    After the password, one with an authenticator app reaches only the page that asks for its code, and one
    whose organisation requires two-factor authentication but who has no app only the page that sets one up;
    both can log out. Every other admin URL sends them there with `?next=`. Elsewhere on the site they are
    anonymous, so staff pages outside the admin (an offer's preview) are no way around either.
    Runs after django-otp's OTPMiddleware, which tells whether a device confirmed the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff and not user.is_verified():
            step = two_factor.next_step(user)
            if step is not None:
                if not request.path_info.startswith(reverse("admin:index")):
                    request.user = AnonymousUser()
                elif request.path_info not in two_factor.reachable_during(step):
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse(f'two_factor:{step}')}?{query}")
        return self.get_response(request)
