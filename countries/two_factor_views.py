"""Pages of two-factor authentication: enrol (QR code), verify after the password, manage."""
from __future__ import annotations

from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import lockout, two_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                      "autofocus": True, "spellcheck": "false"}),
    )


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return wanted
    return reverse("home")


def _locked_out(request):
    """django-axes' lockout, for the second step: the half-logged-in session ends too."""
    username = request.user.get_username()
    logout(request)
    return lockout.lockout_page(request, username=username, status=429)


def _is_locked(request) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": request.user.get_username()})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of logging in: a code from the app, or a recovery code."""
    if two_factor.session_is_verified(request):
        return redirect(_next_url(request))
    if not two_factor.has_any_device(request.user):
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': _next_url(request)})}")
    if _is_locked(request):
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        throttled = two_factor.throttled_for(request.user)  # still waiting after a wrong code
        device = (two_factor.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
                  if form.is_valid() else None)
        if device is not None:
            two_factor.session_verify(request, device)
            AxesProxyHandler.reset_attempts(username=request.user.get_username())
            return redirect(_next_url(request))
        # A wrong (or throttled) code counts as a failed login: the axes lockout applies.
        user_login_failed.send(sender=__name__, credentials={"username": request.user.get_username()},
                               request=request)
        if _is_locked(request):
            return _locked_out(request)
        if form.is_valid():  # (an empty code already has its error)
            form.add_error("code", _("Wait a few seconds before trying again: too many wrong codes.")
                           if throttled
                           else _("This code is not valid. Check the time on your phone, or use "
                                  "a recovery code."))
        status = 400
    return render(request, "countries/two_factor_verify.html",
                  {"form": form, "next": _next_url(request)}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code, type the code it shows."""
    user = request.user
    if two_factor.has_authenticator(user):
        return redirect("two_factor_manage")
    if two_factor.has_any_device(user) and not two_factor.session_is_verified(request):
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.path})}")
    device = two_factor.totp_device_pending(user=user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_device_confirm(user=user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            two_factor.session_verify(request, device)
            return render(request, "countries/two_factor_recovery_codes.html",
                          {"codes": codes, "next": _next_url(request), "enrolled": True})
        form.add_error("code", _("This code is not valid. Type the six digits your app shows "
                                 "now (they change every 30 seconds)."))
    if request.method == "POST":
        status = 400
    return render(request, "countries/two_factor_setup.html", {
        "form": form, "qr_svg": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_typing(device), "next": _next_url(request),
        "required": two_factor.two_factor_required(user),
    }, status=status)


@never_cache
@login_required
@require_http_methods(["GET"])
def two_factor_manage(request):
    user = request.user
    return render(request, "countries/two_factor_manage.html", {
        "has_authenticator": two_factor.has_authenticator(user),
        "recovery_codes_left": two_factor.recovery_codes_left(user),
        "required": two_factor.two_factor_required(user),
        "verified": two_factor.session_is_verified(request),
    })


def _verified_device_owner_or_redirect(request):
    """Changing the factors needs a session verified by one of them."""
    if not two_factor.has_authenticator(request.user):
        return redirect("two_factor_setup")
    if not two_factor.session_is_verified(request):
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': reverse('two_factor_manage')})}")
    return None


@never_cache
@login_required
@require_POST
def recovery_codes_regenerate(request):
    refused = _verified_device_owner_or_redirect(request)
    if refused is not None:
        return refused
    codes = two_factor.recovery_codes_generate(user=request.user)
    return render(request, "countries/two_factor_recovery_codes.html",
                  {"codes": codes, "next": reverse("two_factor_manage"), "enrolled": False})


@never_cache
@login_required
@require_POST
def two_factor_reset(request):
    """Remove the authenticator and the recovery codes (to move to a new phone)."""
    refused = _verified_device_owner_or_redirect(request)
    if refused is not None:
        return refused
    two_factor.two_factor_reset(user=request.user)
    two_factor.session_unverify(request)
    messages.success(request, _("Two-factor authentication was removed from your account."))
    if two_factor.two_factor_required(request.user):
        messages.info(request, _("Your role requires it: set up an authenticator app again."))
        return redirect("two_factor_setup")
    return redirect("two_factor_manage")


class LoginView(auth_views.LoginView):
    """Django's login page; a user who must verify a second factor goes straight to that step."""

    def form_valid(self, form):
        response = super().form_valid(form)
        two_factor.mark_login_pending(self.request, form.get_user())
        if two_factor.session_needs_verification(self.request):
            step = "two_factor_verify" if two_factor.has_any_device(self.request.user) else "two_factor_setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': self.get_success_url()})}")
        return response
