"""The portal's URLconf plus the framework's floor: an empty page behind the login, used only
by the benchmark (``override_settings(ROOT_URLCONF="bench.urls")``), never served."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from jpoa import urls as portal_urls

FLOOR_PATH = "/bench/floor/"


@login_required
@require_safe
def floor(request):
    """Everything a page pays before its own work: middleware, session, user, login check."""
    return HttpResponse(b"", content_type="text/plain")


urlpatterns = [path(FLOOR_PATH.strip("/") + "/", floor, name="bench_floor"),
               *portal_urls.urlpatterns]
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500
