"""Load-test users and their sessions, written straight into the load-test database.

`python -m loadtest.setup_users OUT.json` (with DATABASE_URL pointing at jpoa_load): creates
50 officers (loadtest.officer01..50, spread over the eight countries' lead agencies) next to
the demo's co-chairs, and a logged-in session for each simulated user. Sessions are made with
Django's own session store and django-otp's session key, exactly what logging in (and, for the
roles that need it, verifying the second factor) leaves behind, so the load test neither
depends on the login form nor trips django-axes or the two-factor step.
"""
from __future__ import annotations

import json
import os
import sys
from importlib import import_module

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jpoa.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,  # noqa: E402
)
from django.db import transaction  # noqa: E402

from countries.models import Membership, Role  # noqa: E402
from operations.models import CountryReturn, JointOperation  # noqa: E402

OFFICERS = 50
CO_CHAIRS = ["cochair.nzl", "cochair.lka"]  # five simulated co-chairs share these two accounts
PASSWORD = "jpoa-load-2015"


def session_for(user) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    try:  # a second factor verified in this session, as after the two-factor step
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_static.models import StaticDevice
    except ImportError:
        pass
    else:
        device, _created = StaticDevice.objects.get_or_create(user=user, name="Load test")
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key


@transaction.atomic
def main(out: str) -> None:
    User = get_user_model()
    joint_operation = JointOperation.objects.get(slug="jpoa-2015")
    # Officers of the countries whose return is open (the demo's Indonesia and Thailand): the
    # others' records are locked until the secretariat reopens their return.
    locked = CountryReturn.objects.filter(joint_operation=joint_operation).exclude(
        state=CountryReturn.State.OPEN).values_list("country_id", flat=True)
    leads = [operation.lead_agency for operation in joint_operation.operations.select_related(
        "lead_agency", "country").exclude(country_id__in=locked).order_by("country__code")]
    officers = []
    for number in range(1, OFFICERS + 1):
        agency = leads[(number - 1) % len(leads)]
        user, created = User.objects.get_or_create(username=f"loadtest.officer{number:02d}")
        if created:
            user.set_password(PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, agency=agency, role=Role.OFFICER)
        officers.append({"username": user.username, "session": session_for(user),
                         "agency": agency.pk})
    cochairs = [{"username": name, "session": session_for(User.objects.get(username=name))}
                for name in (CO_CHAIRS * 3)[:5]]
    with open(out, "w") as stream:
        json.dump({"officers": officers, "cochairs": cochairs,
                   "period": [joint_operation.starts_on.isoformat(),
                              joint_operation.ends_on.isoformat()]}, stream)
    print(f"{len(officers)} officers and {len(cochairs)} co-chair sessions in {out}")


if __name__ == "__main__":
    main(sys.argv[1])
