"""Pages of personal API tokens: the user's list, a new token (its secret shown once), revoking."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import policies, services
from .models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=100,
        help_text=gettext_lazy("What will use it, e.g. “nightly upload script”: one token per "
                               "script, so that you can revoke one without the others."),
    )


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _render(request, form, *, new_token=None, secret="", status=200):
    tokens = policies.tokens_visible(request.user, ApiToken.objects.all()).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-pk")  # active ones first
    template = "api/_api_token_region.html" if _is_htmx(request) else "api/api_tokens.html"
    return render(request, template, {
        "form": form, "tokens": list(tokens), "new_token": new_token, "secret": secret,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The user's tokens; POST makes one and shows its secret, once, in the answer."""
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                token, secret = services.api_token_create(user=request.user,
                                                          name=form.cleaned_data["name"])
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return _render(request, ApiTokenForm(), new_token=token, secret=secret)
        return _render(request, form, status=400)
    return _render(request, form)


@login_required
@require_POST
def api_token_revoke(request, pk):
    try:
        token = policies.tokens_visible(request.user, ApiToken.objects.all()).get(pk=pk)
    except ApiToken.DoesNotExist as error:
        raise Http404("No such token.") from error
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {
        "name": token.name})
    if _is_htmx(request):  # the region again, with the message and the token marked revoked
        return _render(request, ApiTokenForm())
    return redirect("api_tokens")
