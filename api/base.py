"""What every API view shares: UTC times, and querysets scoped before anything else runs."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone


class ApiViewMixin:
    """Times in UTC ("Z") whoever asks: a script should not see offsets change with its user.

    (The pages show each user's own time zone; see ``jpoa.middleware.UserTimeZoneMiddleware``.)
    """

    def initial(self, request, *args, **kwargs):
        timezone.activate(dt.UTC)
        super().initial(request, *args, **kwargs)
