"""The portal's URLs plus pages that fail on purpose, for tests/test_error_pages.py."""
from django.core.exceptions import PermissionDenied
from django.urls import path

from jpoa.urls import handler404, handler500
from jpoa.urls import urlpatterns as portal_urlpatterns


def _forbidden(request):
    raise PermissionDenied("not yours")


def _crash(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/forbidden/", _forbidden),
    path("test-errors/crash/", _crash),
    *portal_urlpatterns,
]
__all__ = ["handler404", "handler500", "urlpatterns"]
