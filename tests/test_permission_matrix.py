"""The permission matrix, generated from the URLconf: every route x method x role x object.

A route that nobody put in MATRIX fails ``test_every_route_is_in_the_matrix``. The number of
cases tried is printed at the end of the run (see ``pytest_terminal_summary`` in conftest).
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from countries.models import Agency, Country, Membership, Role
from operations.models import OUTCOME_MODELS, ArrestRecord, EnquiryRecord, JointOperation
from operations.records import KINDS, KINDS_BY_MODEL
from tests.counters import CASES
from tests.world import MISSING_ID, World

ROLES = (
    "anonymous", "no_membership", "officer", "officer_other_agency", "focal_point",
    "officer_foreign", "co_chair", "secretariat", "admin", "staff_officer",
)

# ---------------------------------------------------------------------------------------------
# Discovering the routes
# ---------------------------------------------------------------------------------------------


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def route_names() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


def portal_route_names() -> list[str]:
    return [name for name in route_names() if not name.startswith("admin:")]


# ---------------------------------------------------------------------------------------------
# Expectations: role -> status. "login" means a redirect to the login page.
# ---------------------------------------------------------------------------------------------

LOGIN = "login"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def members(status, **overrides):
    """Logged-in users get ``status``; anonymous ones are sent to log in."""
    return {**everyone(status), "anonymous": LOGIN, **overrides}


THAI_READERS = ("officer", "officer_other_agency", "focal_point", "staff_officer")


def readers(*roles, status=200):
    """Logged-in users 404 unless in ``roles`` (and the administrator), who get ``status``."""
    return members(404, admin=status, **dict.fromkeys(roles, status))


@dataclass
class Case:
    label: str
    method: str
    url: str
    expected: dict
    data: dict | list | None = None
    content_type: str | None = None  # e.g. "application/json" for the API's bodies


RouteCases = Callable[[World], list[Case]]


def _detail_url(record) -> str:
    return reverse("operations:record_detail", args=[KINDS_BY_MODEL[type(record)].slug, record.pk])


def _home(world):
    return [Case("home", "GET", reverse("home"), members(200)),
            Case("home", "DELETE", reverse("home"), members(405))]


def _healthz(world):
    return [Case("healthz", "GET", reverse("healthz"), everyone(200)),
            Case("healthz", "POST", reverse("healthz"), everyone(405))]


def _login(world):
    return [Case("login", "GET", reverse("login"), everyone(200)),
            Case("login", "POST", reverse("login"), everyone(200), {"username": "", "password": ""})]


def _logout(world):
    return [Case("logout", "POST", reverse("logout"), everyone(LOGIN)),
            Case("logout", "GET", reverse("logout"), everyone(405))]


def _password_change(world):
    return [Case("password change", "GET", reverse("password_change"), members(200)),
            Case("password change", "POST", reverse("password_change"), members(200), {})]


def _password_change_done(world):
    return [Case("password changed", "GET", reverse("password_change_done"), members(200))]


def _set_language(world):
    return [Case("language", "POST", reverse("set_language"), everyone(302), {"language": "en"})]


def _record_list(world):
    cases = []
    for kind in KINDS:
        url = reverse("operations:record_list", args=[kind.slug])
        cases += [Case(f"list {kind.slug}", "GET", url, members(200)),
                  Case(f"list {kind.slug}", "DELETE", url, members(405))]
    cases.append(Case("list unknown type", "GET", "/records/no-such-type/", members(404)))
    return cases


def _record_export_csv(world):
    # Everyone with a login downloads what their list shows (scoped rows; possibly none).
    cases = [Case(f"export {kind.slug}", "GET",
                  reverse("operations:record_export_csv", args=[kind.slug]), members(200))
             for kind in KINDS]
    url = reverse("operations:record_export_csv", args=["arrests"])
    return cases + [Case("export arrests", "POST", url, members(405)),
                    Case("export unknown type", "GET", "/records/no-such-type/export.csv",
                         members(404))]


def _record_detail(world):
    cases = []
    for kind in KINDS:
        # Records not involved in the world's shares; the shared ones have cases of their own.
        unshared = kind.model.objects.exclude(pk__in=[world.own.pk, world.shared_in.pk]).order_by("pk")
        own = unshared.filter(country__code="THA").first()
        other = unshared.filter(country__code="AUS").first()
        cases += [
            Case(f"{kind.slug} own", "GET", _detail_url(own), readers(*THAI_READERS)),
            Case(f"{kind.slug} other country", "GET", _detail_url(other), readers("officer_foreign")),
            Case(f"{kind.slug} missing", "GET",
                 reverse("operations:record_detail", args=[kind.slug, MISSING_ID]), members(404)),
            Case(f"{kind.slug} own", "POST", _detail_url(own), members(405)),
        ]
    cases += [
        Case("arrests shared with us", "GET", _detail_url(world.shared_in),
             readers(*THAI_READERS, "officer_foreign")),
        Case("arrests we shared", "GET", _detail_url(world.own),
             readers(*THAI_READERS, "officer_foreign")),
    ]
    return cases


def _record_share(world):
    def url(record):
        return reverse("operations:record_share", args=["arrests", record.pk])

    data = {"shared_with": Country.objects.get(code="MMR").pk, "reason": "Matrix test"}
    return [
        Case("share own", "POST", url(world.own), readers("officer", "focal_point", "staff_officer", status=302), data),
        Case("share other country's", "POST", url(world.other), readers(status=302), data),
        Case("share one shared with us", "POST", url(world.shared_in), readers(status=302), data),
        Case("share missing", "POST", reverse("operations:record_share", args=["arrests", MISSING_ID]), members(404), data),
        Case("share own", "GET", url(world.own), members(405)),
    ]


def _share_list(world):
    return [Case("shares", "GET", reverse("operations:share_list"), members(200)),
            Case("shares", "DELETE", reverse("operations:share_list"), members(405))]


def _share_revoke(world):
    url = reverse("operations:share_revoke", args=[world.own_share.pk])
    return [
        Case("revoke own share", "POST", url, readers("officer", "focal_point", "staff_officer", status=302)),
        Case("revoke missing share", "POST", reverse("operations:share_revoke", args=[MISSING_ID]), members(404)),
        Case("revoke own share", "GET", url, members(405)),
    ]


def _audit_log(world):
    return [Case("audit", "GET", reverse("audit_log"), readers("focal_point")),
            Case("audit", "DELETE", reverse("audit_log"), members(405))]


# Entering records. Thailand's return is open. Officers change their agency's records, focal
# points their country's; a record the user may not change answers 404 like a missing one.
ENTERERS = ("officer", "officer_other_agency", "focal_point", "officer_foreign", "staff_officer")
RTP_CHANGERS = ("officer", "focal_point", "staff_officer")  # RTP's officers and Thailand's focal point


def _arrest_form(world, **extra):
    return {"occurred_on": "2015-10-05", "agency": world.own.agency_id, "count": "2",
            "crime_type": "trafficking", "sector": "fishing", **extra}


def _record_create(world):
    url = reverse("operations:record_create", args=["arrests"])
    # Only RTP's officers, Thailand's focal point and the administrator may pick RTP.
    post = {**readers(*ENTERERS, status=400), **dict.fromkeys((*RTP_CHANGERS, "admin"), 302)}
    cases = [Case("add arrests", "GET", url, readers(*ENTERERS)),
             Case("add arrests for RTP", "POST", url, post, _arrest_form(world)),
             Case("add arrests", "DELETE", url, members(405)),
             Case("add unknown type", "GET", "/records/no-such-type/new/", members(404))]
    for kind in KINDS[1:]:
        cases.append(Case(f"add {kind.slug}", "GET",
                          reverse("operations:record_create", args=[kind.slug]), readers(*ENTERERS)))
    return cases


def _change_url(name, record):
    return reverse(f"operations:{name}", args=[KINDS_BY_MODEL[type(record)].slug, record.pk])


def _record_update(world):
    own, other = _change_url("record_update", world.own), _change_url("record_update", world.other)
    shared_in = _change_url("record_update", world.shared_in)
    data = _arrest_form(world, version=str(world.own.version))
    return [
        Case("edit own agency's", "GET", own, readers(*RTP_CHANGERS)),
        Case("edit own agency's", "POST", own, readers(*RTP_CHANGERS, status=302), data),
        Case("edit other country's", "GET", other, readers()),
        # Australia's return is accepted: even the administrator gets "locked" (409).
        Case("edit other country's", "POST", other, readers(status=409),
             {**data, "agency": world.other.agency_id, "version": str(world.other.version)}),
        Case("edit one shared with us", "GET", shared_in, readers()),
        Case("edit missing", "GET", reverse("operations:record_update", args=["arrests", MISSING_ID]),
             members(404)),
        Case("edit own agency's", "DELETE", own, members(405)),
    ]


def _record_delete(world):
    own, other = _change_url("record_delete", world.own), _change_url("record_delete", world.other)
    return [
        Case("delete own agency's", "GET", own, readers(*RTP_CHANGERS)),
        Case("delete own agency's", "POST", own, readers(*RTP_CHANGERS, status=302),
             {"version": str(world.own.version)}),
        # Australia's return is accepted: even the administrator gets "locked" (409).
        Case("delete other country's", "POST", other, readers(status=409),
             {"version": str(world.other.version)}),
        Case("delete one shared with us", "POST", _change_url("record_delete", world.shared_in),
             readers(status=409), {"version": str(world.shared_in.version)}),
        Case("delete missing", "POST", reverse("operations:record_delete", args=["arrests", MISSING_ID]),
             members(404), {"version": "1"}),
        Case("delete own agency's", "PUT", own, members(405)),
    ]


# Bulk import. Whoever may enter records may upload (a file with rows they may not enter is
# still previewed, with its errors); a batch is its uploader's alone: 404 for everyone else.
IMPORT_CSV = b"occurred_on,agency,count,crime_type,sector\n2015-10-01,RTP,1,trafficking,\n"


class _Upload(io.BytesIO):
    """A file the test client can send once per role: every read starts from the beginning."""

    def __init__(self, name: str, content: bytes):
        super().__init__(content)
        self.name = name

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def _record_import(world):
    url = reverse("operations:record_import", args=["arrests"])
    return [
        Case("import page", "GET", url, readers(*ENTERERS)),
        Case("import upload", "POST", url, readers(*ENTERERS, status=302),
             {"file": _Upload("arrests.csv", IMPORT_CSV)}),
        Case("import upload of a .txt", "POST", url, readers(*ENTERERS, status=400),
             {"file": _Upload("arrests.txt", IMPORT_CSV)}),
        Case("import page", "DELETE", url, members(405)),
        Case("import unknown type", "GET", "/records/no-such-type/import/", members(404)),
    ]


def _import_template(name):
    def cases(world):
        url = reverse(f"operations:{name}", args=["victims-assisted"])
        return [Case(name, "GET", url, readers(*ENTERERS)), Case(name, "POST", url, members(405))]
    return cases


def _officers_batch(world):
    from operations.imports import record_import_preview
    from operations.selectors import joint_operation_current

    return record_import_preview(
        actor=world.users["officer"], kind=KINDS[0], joint_operation=joint_operation_current(),
        file_name="arrests.csv", content=IMPORT_CSV)


def _import_detail(world):
    url = reverse("operations:import_detail", args=[_officers_batch(world).pk])
    missing = reverse("operations:import_detail", args=[MISSING_ID])
    return [
        Case("import preview", "GET", url, members(404, officer=200)),
        Case("import discard", "POST", url, members(404, officer=302)),
        Case("import preview missing", "GET", missing, members(404)),
        Case("import preview", "PUT", url, members(405)),
    ]


def _import_confirm(world):
    url = reverse("operations:import_confirm", args=[_officers_batch(world).pk])
    return [
        Case("import confirm", "POST", url, members(404, officer=302)),
        Case("import confirm missing", "POST", reverse("operations:import_confirm", args=[MISSING_ID]),
             members(404)),
        Case("import confirm", "GET", url, members(405)),
    ]


# Country returns. In the world, Thailand's is open, the Philippines' submitted, Australia's
# accepted. Whoever cannot see a return gets 404 for it and its actions, like a missing one;
# whoever sees it but may not take that step gets 403 (the page, saying who may).
RETURN_FOLLOWERS = ("co_chair", "secretariat")  # follow every country's return


def _return_url(name, code, slug="jpoa-2015"):
    return reverse(f"reporting:{name}", args=[slug, code])


def _return_list(world):
    url = reverse("reporting:return_list")
    return [Case("returns", "GET", url, members(200)),
            Case("returns", "DELETE", url, members(405))]


def _dashboard(world):
    # Totals cross borders: every member sees the page (no_membership: the "no role" page).
    url = reverse("reporting:dashboard")
    return [Case("dashboard", "GET", url, members(200)),
            Case("dashboard of another country", "GET", f"{url}?country=AUS&sector=fishing",
                 members(200)),
            Case("dashboard of an unknown operation", "GET", f"{url}?joint_operation=no-such",
                 members(200)),
            Case("dashboard", "POST", url, members(405))]


# Debrief exports: the region for those who follow every country; a job and its file only for
# whoever asked for it (administrators included: nobody else's exports).
REGION_EXPORTERS = ("co_chair", "secretariat", "admin")


def _export_list(world):
    url = reverse("reporting:export_list")
    region = {"joint_operation": "jpoa-2015", "country": "", "format": "text",
              "profile": "restricted", "rounded": ["enquiries"]}
    thai = {**region, "country": "THA", "profile": "public"}
    return [
        Case("exports", "GET", url, members(200)),
        Case("export the region", "POST", url,
             members(400, no_membership=200, **dict.fromkeys(REGION_EXPORTERS, 302)), region),
        Case("export Thailand for the public", "POST", url,
             members(400, no_membership=200, focal_point=302,
                     **dict.fromkeys(REGION_EXPORTERS, 302)), thai),
        Case("exports", "DELETE", url, members(405)),
    ]


def _secretariat_export(world, status="succeeded"):
    from django.core.files.base import ContentFile

    from operations.models import JointOperation
    from reporting.models import ExportJob

    job = ExportJob.objects.create(
        joint_operation=JointOperation.objects.get(slug="jpoa-2015"), format="text",
        status=status, requested_by=world.users["secretariat"], filename="statement.txt")
    if status == "succeeded":
        job.file.save("statement.txt", ContentFile(b"In total"), save=True)
    return job


def _export_detail(world):
    url = reverse("reporting:export_detail", args=[_secretariat_export(world).pk])
    return [Case("export", "GET", url, members(404, secretariat=200)),
            Case("export missing", "GET", reverse("reporting:export_detail", args=[MISSING_ID]),
                 members(404)),
            Case("export", "POST", url, members(405))]


def _export_download(world):
    url = reverse("reporting:export_download", args=[_secretariat_export(world).pk])
    return [Case("export download", "GET", url, members(404, secretariat=200)),
            Case("export download", "POST", url, members(405))]


def _export_retry(world):
    url = reverse("reporting:export_retry", args=[_secretariat_export(world, "failed").pk])
    return [Case("export retry", "POST", url, members(404, secretariat=302)),
            Case("export retry", "GET", url, members(405))]


# Joint investigations: Thailand leads one with Malaysia, and has invited Australia. Thai users
# see it (the administrator too); a Thai focal point speaks for Thailand; nobody else sees it.
def _investigation(world):
    from django.contrib.auth import get_user_model

    from cooperation import services as cooperation
    from cooperation.models import JointInvestigation

    existing = JointInvestigation.objects.first()
    if existing:
        return existing
    focal = world.users["focal_point"]
    thailand, malaysia, australia = (Country.objects.get(code=c) for c in ("THA", "MYS", "AUS"))
    network = cooperation.network_create(actor=focal, registered_by=thailand, countries_active=[],
                                         data={"name": "Matrix network", "crime_types": ["smuggling"]})
    investigation = cooperation.investigation_propose(
        actor=focal, lead_country=thailand, network=network, title="Matrix investigation",
        starts_on=dt.date(2015, 10, 1), ends_on=dt.date(2015, 12, 31), purpose="",
        invited=[malaysia, australia])
    cooperation.member_respond(actor=get_user_model().objects.get(username="focal.mys"),
                               member=investigation.members.get(country=malaysia), accept=True)
    return investigation


THAI_FOCAL = {"focal_point": 302}


def _investigation_list(world):
    url = reverse("cooperation:investigation_list")
    return [Case("investigations", "GET", url, members(200)),
            Case("investigations", "POST", url, members(405))]


def _investigation_create(world):
    url = reverse("cooperation:investigation_create")
    return [Case("propose investigation", "GET", url, members(404, focal_point=200)),
            Case("propose investigation", "POST", url, members(404, focal_point=400), {})]


def _investigation_detail(world):
    url = reverse("cooperation:investigation_detail", args=[_investigation(world).pk])
    # Australia is invited: its people see the title and members, to answer, and nothing else.
    return [Case("investigation", "GET", url, readers(*THAI_READERS, "officer_foreign")),
            Case("investigation note", "POST", url,
                 members(404, **dict.fromkeys(THAI_READERS, 302)), {"text": "A note"}),
            Case("investigation missing", "GET", reverse(
                "cooperation:investigation_detail", args=[MISSING_ID]), members(404))]


def _member_invite(world):
    url = reverse("cooperation:member_invite", args=[_investigation(world).pk])
    indonesia = Country.objects.get(code="IDN").pk
    return [Case("invite", "POST", url, members(404, **THAI_FOCAL), {"country": indonesia}),
            Case("invite", "GET", url, members(405))]


def _investigation_close(world):
    url = reverse("cooperation:investigation_close", args=[_investigation(world).pk])
    return [Case("close investigation", "POST", url, members(404, **THAI_FOCAL)),
            Case("close investigation", "GET", url, members(405))]


def _member_respond(world):
    invitation = _investigation(world).members.get(country__code="AUS")
    url = reverse("cooperation:member_respond", args=[invitation.pk])
    # Australia's officer sees the invitation but only its focal point answers it.
    return [Case("answer invitation", "POST", url, members(404), {"answer": "accept"}),
            Case("answer invitation", "GET", url, members(405))]


def _member_leave(world):
    lead = _investigation(world).members.get(country__code="THA")
    url = reverse("cooperation:member_leave", args=[lead.pk])
    # The lead cannot leave: its focal point is told why (a message, then the page).
    return [Case("leave", "POST", url, members(404, **THAI_FOCAL)),
            Case("leave", "GET", url, members(405))]


def _network_create(world):
    url = reverse("cooperation:network_create")
    record_roles = ("officer", "officer_other_agency", "focal_point", "officer_foreign",
                    "staff_officer")
    return [Case("register network", "GET", url, members(404, **dict.fromkeys(record_roles, 200))),
            Case("register network", "POST", url,
                 members(404, **dict.fromkeys(record_roles, 400)), {})]


def _network_detail(world):
    url = reverse("cooperation:network_detail", args=[_investigation(world).network_id])
    australia = Country.objects.get(code="AUS").pk
    return [Case("network", "GET", url, readers(*THAI_READERS)),
            Case("give network", "POST", url,
                 readers(*THAI_READERS, status=403) | {"focal_point": 302},
                 {"country": australia})]


def _record_attribute(world):
    investigation = _investigation(world)
    record = ArrestRecord.objects.get(pk=world.own.pk)  # Thai, entered by RTP
    url = reverse("cooperation:record_attribute", args=["arrests", record.pk])
    data = {"joint_investigation": investigation.pk, "version": record.version}
    return [Case("attribute record", "POST", url,
                 members(404, officer=302, focal_point=302, staff_officer=302), data),
            Case("attribute record", "GET", url, members(405))]


def _enquiries_incoming(world):
    url = reverse("cooperation:enquiries_incoming")
    record_roles = ("officer", "officer_other_agency", "focal_point", "officer_foreign",
                    "staff_officer")
    return [Case("incoming enquiries", "GET", url,
                 members(404, **dict.fromkeys(record_roles, 200))),
            Case("incoming enquiries", "POST", url, members(405))]


def _enquiry_answer(world):
    # An enquiry another country sent to Thailand: any Thai user answers it; its sender reads it
    # but does not answer for Thailand; nobody else sees it.
    enquiry = EnquiryRecord.objects.filter(counterpart__code="THA").exclude(
        country__code="AUS").order_by("pk").first()
    url = reverse("cooperation:enquiry_answer", args=[enquiry.pk])
    data = {"answered_on": enquiry.occurred_on.isoformat(), "version": enquiry.version}
    return [Case("answer enquiry", "POST", url,
                 members(404, **dict.fromkeys(THAI_READERS, 302)), data),
            Case("answer enquiry", "GET", url, members(405))]


# Planning the next joint initiative (demo: the May 2016 meeting). Every member reads the
# meeting; a nomination is seen by the nominating country, its partners and those who follow
# every country; focal points nominate, partner focal points answer, the secretariat converts.
def _planning_meeting_obj():
    from cooperation.models import PlanningMeeting

    return PlanningMeeting.objects.get(joint_operation__slug="jpoa-2016")


def _nomination_of(code):
    from cooperation.models import Nomination

    return Nomination.objects.get(meeting=_planning_meeting_obj(), proposing_country__code=code)


FOLLOWERS = ("co_chair", "secretariat")


def _planning_list(world):
    url = reverse("cooperation:planning_list")
    return [Case("planning", "GET", url, members(200, no_membership=404)),
            Case("planning meeting set-up", "POST", url,
                 members(404, secretariat=400, admin=400), {})]


def _planning_meeting(world):
    url = reverse("cooperation:planning_meeting", args=[_planning_meeting_obj().pk])
    return [Case("planning meeting", "GET", url, members(200, no_membership=404)),
            Case("nominate", "POST", url, members(404, focal_point=400), {}),
            Case("planning meeting missing", "GET", reverse(
                "cooperation:planning_meeting", args=[MISSING_ID]), members(404))]


def _planning_nomination(world):
    thai = reverse("cooperation:planning_nomination", args=[_nomination_of("THA").pk])
    # Australia is a partner in the Philippine nomination, Thailand is not.
    philippine = reverse("cooperation:planning_nomination", args=[_nomination_of("PHL").pk])
    return [Case("nomination", "GET", thai, readers(*THAI_READERS, *FOLLOWERS)),
            Case("nomination as partner", "GET", philippine,
                 readers("officer_foreign", *FOLLOWERS)),
            Case("nomination", "POST", thai, members(405)),
            Case("nomination missing", "GET", reverse(
                "cooperation:planning_nomination", args=[MISSING_ID]), members(404))]


def _nomination_convert(world):
    url = reverse("cooperation:nomination_convert", args=[_nomination_of("THA").pk])
    return [Case("convert nomination", "POST", url, members(404, secretariat=302, admin=302)),
            Case("convert nomination", "GET", url, members(405))]


def _nomination_answer(world):
    # Australia's officer sees the Philippine nomination but only its focal point answers.
    partner = _nomination_of("PHL").partners.get(country__code="AUS")
    url = reverse("cooperation:nomination_answer", args=[partner.pk])
    return [Case("answer nomination", "POST", url, members(404), {"answer": "accept"}),
            Case("answer nomination", "GET", url, members(405))]


def _directory(world):
    url = reverse("cooperation:directory")
    return [Case("directory", "GET", url, members(200, no_membership=404)),
            Case("directory", "POST", url, members(405))]


def _record_network_link(world):
    from cooperation.models import Network
    from operations.models import SuspectRecord

    record = SuspectRecord.objects.filter(country__code="THA", agency__acronym="RTP"
                                          ).order_by("pk").first()
    network = Network.objects.get(name="Andaman Sea crew brokers")  # Thai
    url = reverse("cooperation:record_network_link", args=["suspects", record.pk])
    return [Case("link record to network", "POST", url,
                 members(404, officer=302, focal_point=302, staff_officer=302, admin=302),
                 {"network": network.pk, "version": record.version}),
            Case("link record to network", "GET", url, members(405))]


# The debrief workshop: every member reads it; the secretariat (and the administrator) set it
# up and track recommendations; a focal point files their own country's lessons.
WORKSHOP_MANAGERS = {"secretariat": 302, "admin": 302}


def _workshop_detail(world):
    url = reverse("reporting:workshop_detail", args=["jpoa-2015"])
    return [Case("workshop", "GET", url, members(200, no_membership=404)),
            Case("workshop set-up", "POST", url, members(404, secretariat=400, admin=400), {}),
            Case("workshop of an unknown operation", "GET", reverse(
                "reporting:workshop_detail", args=["no-such"]), members(404))]


def _lessons_edit(world):
    url = reverse("reporting:lessons_edit", args=["jpoa-2015", "THA"])
    return [Case("lessons", "GET", url, members(404, focal_point=200)),
            Case("lessons", "POST", url, members(404, focal_point=302), {"worked_well": "x"}),
            Case("lessons of another country", "GET", reverse(
                "reporting:lessons_edit", args=["jpoa-2015", "AUS"]), members(404))]


def _recommendation_add(world):
    url = reverse("reporting:recommendation_add", args=["jpoa-2015"])
    return [Case("add recommendation", "POST", url, members(404, **WORKSHOP_MANAGERS),
                 {"text": "A next step"}),
            Case("add recommendation", "GET", url, members(405))]


def _recommendation_track(world):
    from reporting.models import Recommendation

    url = reverse("reporting:recommendation_track", args=[Recommendation.objects.first().pk])
    return [Case("track recommendation", "POST", url, members(404, **WORKSHOP_MANAGERS),
                 {"status": "done"}),
            Case("track recommendation", "GET", url, members(405))]


def _statement_download(world):
    url = reverse("reporting:statement_download", args=["jpoa-2015"])
    return [Case("draft statement", "GET", url,
                 members(404, secretariat=200, co_chair=200, admin=200)),
            Case("draft statement", "POST", url, members(405))]


def _return_detail(world):
    return [
        Case("return own", "GET", _return_url("return_detail", "THA"),
             readers(*THAI_READERS, *RETURN_FOLLOWERS)),
        Case("return other country", "GET", _return_url("return_detail", "AUS"),
             readers("officer_foreign", *RETURN_FOLLOWERS)),
        Case("return missing", "GET", _return_url("return_detail", "ZZZ"), members(404)),
        Case("return unknown operation", "GET", _return_url("return_detail", "THA", "no-such"),
             members(404)),
        Case("return own", "POST", _return_url("return_detail", "THA"), members(405)),
    ]


def _return_submit(world):
    own, other = _return_url("return_submit", "THA"), _return_url("return_submit", "AUS")
    sees_own = readers(*THAI_READERS, *RETURN_FOLLOWERS, status=403)
    return [
        Case("submit own open return", "POST", own,
             {**sees_own, "focal_point": 302, "admin": 302}, {"confirm": "on"}),
        Case("submit own unconfirmed", "POST", own,
             {**sees_own, "focal_point": 400, "admin": 400}, {}),
        Case("submit other country's accepted return", "POST", other,
             {**readers("officer_foreign", *RETURN_FOLLOWERS, status=403), "admin": 409},
             {"confirm": "on"}),
        Case("submit missing", "POST", _return_url("return_submit", "ZZZ"), members(404),
             {"confirm": "on"}),
        Case("submit own", "GET", own, members(405)),
    ]


def _return_accept(world):
    submitted, own = _return_url("return_accept", "PHL"), _return_url("return_accept", "THA")
    return [
        Case("accept submitted return", "POST", submitted,
             {**readers(*RETURN_FOLLOWERS, status=403), "secretariat": 302, "admin": 302}),
        Case("accept own open return", "POST", own,
             {**readers(*THAI_READERS, *RETURN_FOLLOWERS, status=403),
              "secretariat": 409, "admin": 409}),
        Case("accept missing", "POST", _return_url("return_accept", "ZZZ"), members(404)),
        Case("accept submitted", "GET", submitted, members(405)),
    ]


def _return_reopen(world):
    accepted, own = _return_url("return_reopen", "AUS"), _return_url("return_reopen", "THA")
    sees_accepted = readers("officer_foreign", *RETURN_FOLLOWERS, status=403)
    reason = {"reason": "Matrix test"}
    return [
        Case("reopen accepted return", "POST", accepted,
             {**sees_accepted, "secretariat": 302, "admin": 302}, reason),
        Case("reopen without a reason", "POST", accepted,
             {**sees_accepted, "secretariat": 400, "admin": 400}, {"reason": " "}),
        Case("reopen own open return", "POST", own,
             {**readers(*THAI_READERS, *RETURN_FOLLOWERS, status=403),
              "secretariat": 409, "admin": 409}, reason),
        Case("reopen missing", "POST", _return_url("return_reopen", "ZZZ"), members(404), reason),
        Case("reopen accepted", "GET", accepted, members(405)),
    ]


def _outlier_check(world):
    from reporting.models import OutlierFlag

    def flag_url(code):
        flag = OutlierFlag.objects.create(
            joint_operation=JointOperation.objects.get(slug="jpoa-2015"),
            country=Country.objects.get(code=code), metric="arrests", basis="region", value=8,
            median=0.1, deviation=0.1, compared=7, score=4.0)
        return reverse("reporting:outlier_check", args=["jpoa-2015", code, flag.pk])

    own, other = flag_url("THA"), flag_url("AUS")  # THA's return open, AUS's accepted
    sees_own = readers(*THAI_READERS, *RETURN_FOLLOWERS, status=403)
    comment = {"comment": "Matrix test"}
    return [
        Case("check own flag", "POST", own, {**sees_own, "focal_point": 302, "admin": 302},
             comment),
        Case("check own flag without a comment", "POST", own,
             {**sees_own, "focal_point": 400, "admin": 400}, {"comment": " "}),
        Case("check other country's flag of an accepted return", "POST", other,
             {**readers("officer_foreign", *RETURN_FOLLOWERS, status=403), "admin": 409},
             comment),
        Case("check missing flag", "POST", reverse("reporting:outlier_check",
                                                   args=["jpoa-2015", "THA", MISSING_ID]),
             members(404), comment),
        Case("check own flag", "GET", own, members(405)),
    ]


# ---------------------------------------------------------------------------------------------
# The REST API (/api/v1/): the same rules, answered in JSON. Anonymous callers get 401 (the
# token challenge) instead of the login page; the pages' 302s are the API's 200/201/204.
# ---------------------------------------------------------------------------------------------

JSON = "application/json"


def api_members(status, **overrides):
    """Logged-in users get ``status``; anonymous callers 401."""
    return {**everyone(status), "anonymous": 401, **overrides}


def api_readers(*roles, status=200):
    """Logged-in users 404 unless in ``roles`` (and the administrator), who get ``status``."""
    return api_members(404, admin=status, **dict.fromkeys(roles, status))


def _api_root(world):
    url = reverse("api:api-root")
    return [Case("api root", "GET", url, api_members(200)),
            Case("api root", "DELETE", url, api_members(405))]


def _api_directory_list(name):
    def cases(world):
        url = reverse(f"api:{name}-list")
        return [Case(f"api {name} list", "GET", url, api_members(200)),
                Case(f"api {name} list", "POST", url, api_members(405), {}, JSON)]
    return cases


def _api_directory_detail(name, lookup, missing):
    """Directory entries: every member reads them; without a membership, nothing exists."""
    def cases(world):
        url = reverse(f"api:{name}-detail", args=[lookup(world)])
        return [
            Case(f"api {name}", "GET", url, api_members(200, no_membership=404)),
            Case(f"api {name} missing", "GET", reverse(f"api:{name}-detail", args=[missing]),
                 api_members(404)),
            Case(f"api {name}", "PUT", url, api_members(405), {}, JSON),
        ]
    return cases


def _api_focal_point_detail(world):
    from countries.models import FocalPoint

    def url(code):
        return reverse("api:focal-point-detail",
                       args=[FocalPoint.objects.filter(country__code=code).first().pk])

    return [
        Case("api focal point own", "GET", url("THA"),
             api_readers(*THAI_READERS, *RETURN_FOLLOWERS)),
        Case("api focal point other", "GET", url("AUS"),
             api_readers("officer_foreign", *RETURN_FOLLOWERS)),
        Case("api focal point missing", "GET", reverse("api:focal-point-detail", args=[MISSING_ID]),
             api_members(404)),
        Case("api focal point", "DELETE", url("THA"), api_members(405)),
    ]


def _api_record_list(kind):
    def cases(world):
        url = reverse(f"api:{kind.slug}-list")
        return [Case(f"api list {kind.slug}", "GET", url, api_members(200)),
                Case(f"api list {kind.slug}", "DELETE", url, api_members(405))]
    return cases


def _api_arrest(world, **extra):
    return {"occurred_on": "2015-10-05", "agency": world.own.agency_id, "count": 2,
            "crime_type": "trafficking", "sector": "fishing", **extra}


def _api_record_create(world):
    # Only RTP's officers, Thailand's focal point and the administrator may pick RTP.
    url = reverse("api:arrests-list")
    return [Case("api add arrests for RTP", "POST", url,
                 api_readers(*RTP_CHANGERS, status=201) | dict.fromkeys(
                     ("no_membership", "officer_other_agency", "officer_foreign", "co_chair",
                      "secretariat"), 400),
                 _api_arrest(world), JSON)]


def _api_record_detail(kind):
    def cases(world):
        unshared = kind.model.objects.exclude(pk__in=[world.own.pk, world.shared_in.pk]).order_by("pk")
        own = unshared.filter(country__code="THA").first()
        other = unshared.filter(country__code="AUS").first()

        def url(pk):
            return reverse(f"api:{kind.slug}-detail", args=[pk])

        cases = [
            Case(f"api {kind.slug} own", "GET", url(own.pk), api_readers(*THAI_READERS)),
            Case(f"api {kind.slug} other country", "GET", url(other.pk),
                 api_readers("officer_foreign")),
            Case(f"api {kind.slug} missing", "GET", url(MISSING_ID), api_members(404)),
            Case(f"api {kind.slug} own", "POST", url(own.pk), api_members(405), {}, JSON),
        ]
        if kind.model is not ArrestRecord:
            return cases
        own, other, shared_in = world.own, world.other, world.shared_in
        return cases + [
            Case("api arrests shared with us", "GET", url(shared_in.pk),
                 api_readers(*THAI_READERS, "officer_foreign")),
            Case("api change own agency's", "PATCH", url(own.pk),
                 api_readers(*RTP_CHANGERS), {"count": 3, "version": own.version}, JSON),
            Case("api replace own agency's", "PUT", url(own.pk),
                 api_readers(*RTP_CHANGERS), _api_arrest(world, version=own.version), JSON),
            # Australia's return is accepted: even the administrator gets "locked" (409).
            Case("api change other country's", "PATCH", url(other.pk),
                 api_readers(status=409), {"count": 3, "version": other.version}, JSON),
            Case("api change one shared with us", "PATCH", url(shared_in.pk),
                 api_readers(status=409), {"count": 3, "version": shared_in.version}, JSON),
            Case("api delete own agency's", "DELETE", f"{url(own.pk)}?version={own.version}",
                 api_readers(*RTP_CHANGERS, status=204)),
            Case("api delete other country's", "DELETE",
                 f"{url(other.pk)}?version={other.version}", api_readers(status=409)),
            Case("api delete missing", "DELETE", f"{url(MISSING_ID)}?version=1", api_members(404)),
        ]
    return cases


def _api_record_bulk(kind):
    def cases(world):
        url = reverse(f"api:{kind.slug}-bulk")
        result = [Case(f"api bulk {kind.slug} empty", "POST", url, api_members(400), [], JSON),
                  Case(f"api bulk {kind.slug}", "GET", url, api_members(405))]
        if kind.model is ArrestRecord:
            result.append(Case("api bulk arrests for RTP", "POST", url,
                               api_members(400, **dict.fromkeys((*RTP_CHANGERS, "admin"), 201)),
                               [_api_arrest(world), _api_arrest(world, count=1)], JSON))
        return result
    return cases


def _api_return_url(name, code, slug="jpoa-2015"):
    return reverse(f"api:return-{name}", args=[slug, code])


def _api_return_list(world):
    url = reverse("api:return-list")
    return [Case("api returns", "GET", url, api_members(200)),
            Case("api returns", "POST", url, api_members(405), {}, JSON)]


def _api_return_detail(world):
    return [
        Case("api return own", "GET", _api_return_url("detail", "THA"),
             api_readers(*THAI_READERS, *RETURN_FOLLOWERS)),
        Case("api return other country", "GET", _api_return_url("detail", "AUS"),
             api_readers("officer_foreign", *RETURN_FOLLOWERS)),
        Case("api return missing", "GET", _api_return_url("detail", "ZZZ"), api_members(404)),
        Case("api return unknown operation", "GET", _api_return_url("detail", "THA", "no-such"),
             api_members(404)),
        # The state changes only through its transitions.
        Case("api return own", "PATCH", _api_return_url("detail", "THA"), api_members(405),
             {"state": "accepted"}, JSON),
    ]


def _api_return_submit(world):
    own, other = _api_return_url("submit", "THA"), _api_return_url("submit", "AUS")
    return [
        Case("api submit own open return", "POST", own,
             {**api_readers(*THAI_READERS, *RETURN_FOLLOWERS, status=403), "focal_point": 200,
              "admin": 200}),
        Case("api submit other country's accepted return", "POST", other,
             {**api_readers("officer_foreign", *RETURN_FOLLOWERS, status=403), "admin": 409}),
        Case("api submit missing", "POST", _api_return_url("submit", "ZZZ"), api_members(404)),
        Case("api submit own", "GET", own, api_members(405)),
    ]


def _api_return_accept(world):
    submitted, own = _api_return_url("accept", "PHL"), _api_return_url("accept", "THA")
    return [
        Case("api accept submitted return", "POST", submitted,
             {**api_readers(*RETURN_FOLLOWERS, status=403), "secretariat": 200, "admin": 200}),
        Case("api accept own open return", "POST", own,
             {**api_readers(*THAI_READERS, *RETURN_FOLLOWERS, status=403),
              "secretariat": 409, "admin": 409}),
        Case("api accept missing", "POST", _api_return_url("accept", "ZZZ"), api_members(404)),
        Case("api accept submitted", "GET", submitted, api_members(405)),
    ]


def _api_return_reopen(world):
    accepted, own = _api_return_url("reopen", "AUS"), _api_return_url("reopen", "THA")
    sees_accepted = api_readers("officer_foreign", *RETURN_FOLLOWERS, status=403)
    reason = {"reason": "Matrix test"}
    return [
        Case("api reopen accepted return", "POST", accepted,
             {**sees_accepted, "secretariat": 200, "admin": 200}, reason, JSON),
        Case("api reopen without a reason", "POST", accepted,
             {**sees_accepted, "secretariat": 400, "admin": 400}, {"reason": " "}, JSON),
        Case("api reopen own open return", "POST", own,
             {**api_readers(*THAI_READERS, *RETURN_FOLLOWERS, status=403),
              "secretariat": 409, "admin": 409}, reason, JSON),
        Case("api reopen missing", "POST", _api_return_url("reopen", "ZZZ"), api_members(404),
             reason, JSON),
        Case("api reopen accepted", "GET", accepted, api_members(405)),
    ]


def _api_totals(world):
    url = reverse("api:totals")
    # Aggregates cross borders; one country's breakdown is for its own people and followers.
    return [
        Case("api totals", "GET", url, api_members(200, no_membership=403)),
        Case("api totals per country", "GET", f"{url}?by_country=true",
             api_members(200, no_membership=403)),
        Case("api breakdown of another country", "GET", f"{url}?country=AUS&dimension=sector",
             api_members(403, **dict.fromkeys(("officer_foreign", *RETURN_FOLLOWERS, "admin"), 200))),
        Case("api totals", "POST", url, api_members(405), {}, JSON),
    ]


def _api_token_obtain(world):
    # No login needed (the credentials are in the body), so every caller gets the same answer.
    url = reverse("api:token-obtain")
    return [
        Case("api token with a password", "POST", url, everyone(201),
             {"username": "officer.tha", "password": "jpoa-demo-2015", "name": "matrix"}, JSON),
        Case("api token without a name", "POST", url, everyone(400),
             {"username": "officer.tha", "password": "jpoa-demo-2015"}, JSON),
        Case("api token", "GET", url, everyone(405)),
    ]


def _api_schema(world):
    url = reverse("api:schema")
    return [Case("api schema", "GET", url, api_members(200)),
            Case("api schema", "POST", url, api_members(405), {}, JSON)]


def _api_docs(world):
    url = reverse("api:docs")
    return [Case("api docs", "GET", url, members(200)),
            Case("api docs", "POST", url, members(405))]


def _api_tokens_page(world):
    url = reverse("api_tokens")
    return [Case("api tokens page", "GET", url, members(200)),
            Case("api tokens page: new token", "POST", url, members(200), {"name": "matrix"}),
            Case("api tokens page", "DELETE", url, members(405))]


def _api_token_revoke(world):
    from api.services import api_token_create

    token, _secret = api_token_create(user=world.users["officer"], name="matrix")
    url = reverse("api_token_revoke", args=[token.pk])
    return [
        Case("revoke own token", "POST", url, members(404, officer=302)),
        Case("revoke missing token", "POST", reverse("api_token_revoke", args=[MISSING_ID]),
             members(404)),
        Case("revoke own token", "GET", url, members(405)),
    ]


# Two-factor authentication. The suite's logins verify a second factor for the roles that need
# one (tests/conftest.py: a real TOTP device): those roles have an authenticator already.
TWO_FACTOR_ROLES = ("focal_point", "co_chair", "secretariat", "admin", "staff_officer")


def _two_factor_manage(world):
    url = reverse("two_factor_manage")
    return [Case("two-factor page", "GET", url, members(200)),
            Case("two-factor page", "DELETE", url, members(405))]


def _two_factor_setup(world):
    url = reverse("two_factor_setup")
    enrolled = dict.fromkeys(TWO_FACTOR_ROLES, 302)  # already enrolled: to the two-factor page
    return [Case("two-factor setup", "GET", url, members(200, **enrolled)),
            Case("two-factor setup with a wrong code", "POST", url, members(400, **enrolled),
                 {"code": "000000"}),
            Case("two-factor setup", "DELETE", url, members(405))]


def _two_factor_verify(world):
    # Verified sessions go on to "next"; users with no device are sent to set one up.
    url = reverse("two_factor_verify")
    return [Case("two-factor verify", "GET", url, members(302)),
            Case("two-factor verify", "POST", url, members(302), {"code": "000000"}),
            Case("two-factor verify", "PUT", url, members(405))]


def _two_factor_recovery_codes(world):
    url = reverse("two_factor_recovery_codes")
    # New codes for an enrolled, verified user; the others are sent to set up an app first.
    return [Case("new recovery codes", "POST", url,
                 members(302, **dict.fromkeys(TWO_FACTOR_ROLES, 200))),
            Case("new recovery codes", "GET", url, members(405))]


def _two_factor_reset(world):
    url = reverse("two_factor_reset")
    return [Case("remove two-factor", "POST", url, members(302)),
            Case("remove two-factor", "GET", url, members(405))]


# API: export jobs are their requester's alone (the administrator's too); asking for one
# follows the export page's rules (one's own country, or every country for those who follow all).
def _api_export_list(world):
    url = reverse("api:export-job-list")
    thai = {"joint_operation": "jpoa-2015", "country": "THA", "format": "text",
            "profile": "restricted"}
    return [Case("api exports", "GET", url, api_members(200)),
            Case("api export Thailand", "POST", url,
                 api_members(201, no_membership=403, officer_foreign=400), thai, JSON),
            Case("api export the region", "POST", url,
                 api_members(400, no_membership=403, co_chair=201, secretariat=201, admin=201),
                 {**thai, "country": None}, JSON),
            Case("api exports", "DELETE", url, api_members(405))]


def _api_export_detail(world):
    url = reverse("api:export-job-detail", args=[_secretariat_export(world).pk])
    return [Case("api export", "GET", url, api_members(404, secretariat=200)),
            Case("api export missing", "GET", reverse("api:export-job-detail", args=[MISSING_ID]),
                 api_members(404)),
            Case("api export", "PATCH", url, api_members(405), {"status": "failed"}, JSON)]


def _api_export_download(world):
    url = reverse("api:export-job-download", args=[_secretariat_export(world).pk])
    waiting = reverse("api:export-job-download", args=[_secretariat_export(world, "queued").pk])
    return [Case("api export download", "GET", url, api_members(404, secretariat=200)),
            Case("api export download before it is made", "GET", waiting,
                 api_members(404, secretariat=409)),
            Case("api export download", "POST", url, api_members(405), {}, JSON)]


def _api_export_retry(world):
    url = reverse("api:export-job-retry", args=[_secretariat_export(world, "failed").pk])
    ready = reverse("api:export-job-retry", args=[_secretariat_export(world).pk])
    return [Case("api export retry", "POST", url, api_members(404, secretariat=201)),
            Case("api export retry of a ready one", "POST", ready,
                 api_members(404, secretariat=409)),
            Case("api export retry", "GET", url, api_members(405))]


# API: cooperation, on the same investigation as the pages (Thailand leads, Malaysia is a
# member, Australia invited). Record-keeping roles register networks; a focal point speaks for
# the country; seeing but not speaking is 403, not seeing is 404.
RECORD_ROLES = ("officer", "officer_other_agency", "focal_point", "officer_foreign",
                "staff_officer")
SEES_INVESTIGATION = (*THAI_READERS, "officer_foreign")


def _api_network_list(world):
    url = reverse("api:network-list")
    return [Case("api networks", "GET", url, api_members(200)),
            Case("api register network", "POST", url,
                 api_members(403, **dict.fromkeys(RECORD_ROLES, 201)),
                 {"name": "Matrix API network", "crime_types": ["smuggling"]}, JSON),
            Case("api networks", "DELETE", url, api_members(405))]


def _api_network_detail(world):
    network_id = _investigation(world).network_id
    url = reverse("api:network-detail", args=[network_id])
    return [Case("api network", "GET", url, api_readers(*THAI_READERS)),
            Case("api change network", "PATCH", url, api_readers(*THAI_READERS),
                 {"status": "disrupted"}, JSON),
            Case("api network missing", "GET", reverse("api:network-detail", args=[MISSING_ID]),
                 api_members(404)),
            Case("api network", "DELETE", url, api_members(405))]


def _api_network_give(world):
    url = reverse("api:network-give", args=[_investigation(world).network_id])
    return [Case("api give network", "POST", url,
                 api_readers(*THAI_READERS, status=403) | {"focal_point": 200},
                 {"country": "AUS"}, JSON),
            Case("api give network", "GET", url, api_members(405))]


def _api_investigation_list(world):
    url = reverse("api:investigation-list")
    proposal = {"title": "Matrix API investigation", "network": _investigation(world).network_id,
                "starts_on": "2015-10-01", "ends_on": "2015-12-31", "invited": ["IDN"]}
    return [Case("api investigations", "GET", url, api_members(200)),
            Case("api propose investigation", "POST", url,
                 api_members(403, focal_point=201), proposal, JSON),
            Case("api investigations", "DELETE", url, api_members(405))]


def _api_investigation_detail(world):
    url = reverse("api:investigation-detail", args=[_investigation(world).pk])
    return [Case("api investigation", "GET", url, api_readers(*SEES_INVESTIGATION)),
            Case("api investigation missing", "GET", reverse(
                "api:investigation-detail", args=[MISSING_ID]), api_members(404)),
            Case("api investigation", "PATCH", url, api_members(405), {"status": "closed"}, JSON)]


def _api_investigation_lead_action(name, data=None):
    def cases(world):
        url = reverse(f"api:investigation-{name}", args=[_investigation(world).pk])
        return [Case(f"api investigation {name}", "POST", url,
                     api_readers(*SEES_INVESTIGATION, status=403) | {"focal_point": 200},
                     data, JSON),
                Case(f"api investigation {name}", "GET", url, api_members(405))]
    return cases


def _api_investigation_notes(world):
    url = reverse("api:investigation-note-list", args=[_investigation(world).pk])
    # Members read and write; the administrator reads all but writes for no country.
    return [Case("api investigation notes", "GET", url, api_readers(*THAI_READERS)),
            Case("api investigation note", "POST", url,
                 api_readers(*THAI_READERS, status=201) | {"admin": 403}, {"text": "A note"},
                 JSON),
            Case("api investigation notes", "DELETE", url, api_members(405))]


def _api_investigation_member(verb, code, focal_status):
    def cases(world):
        url = reverse(f"api:investigation-member-{verb}", args=[_investigation(world).pk, code])
        return [Case(f"api {verb} for {code}", "POST", url,
                     api_readers(*SEES_INVESTIGATION, status=403) | focal_status),
                Case(f"api {verb} for {code}", "GET", url, api_members(405))]
    return cases


def _api_incoming_enquiry(world):
    return EnquiryRecord.objects.filter(counterpart__code="THA").exclude(
        country__code="AUS").order_by("pk").first()


def _api_incoming_enquiry_list(world):
    url = reverse("api:incoming-enquiry-list")
    return [Case("api incoming enquiries", "GET", url, api_members(200)),
            Case("api incoming enquiries", "POST", url, api_members(405), {}, JSON)]


def _api_incoming_enquiry_detail(world):
    # Addressed to Thailand: Thai users read and answer it; it is nobody else's to answer.
    url = reverse("api:incoming-enquiry-detail", args=[_api_incoming_enquiry(world).pk])
    return [Case("api incoming enquiry", "GET", url, api_readers(*THAI_READERS, status=200)
                 | {"admin": 404}),
            Case("api incoming enquiry", "DELETE", url, api_members(405))]


def _api_incoming_enquiry_answer(world):
    enquiry = _api_incoming_enquiry(world)
    url = reverse("api:incoming-enquiry-answer", args=[enquiry.pk])
    data = {"answered_on": enquiry.occurred_on.isoformat(), "version": enquiry.version}
    return [Case("api answer enquiry", "POST", url,
                 api_readers(*THAI_READERS) | {"admin": 404}, data, JSON),
            Case("api answer enquiry", "GET", url, api_members(405))]


# API: planning, on the demo's May 2016 meeting as for the pages. Every member reads the meeting
# (the secretariat sets one up); a nomination is seen by the nominating country, its partners
# and those who follow every country; a focal point nominates and answers for a partner, the
# secretariat converts: seeing but not acting is 403, not seeing is 404.
def _api_planning_meeting_list(world):
    url = reverse("api:planning-meeting-list")
    meeting = {"joint_operation": "jpoa-2016", "name": "Matrix meeting", "held_on": "2016-08-01"}
    managers = ("secretariat", "admin")
    return [Case("api planning meetings", "GET", url, api_members(200)),
            Case("api set up planning meeting", "POST", url,
                 api_members(403, **dict.fromkeys(managers, 201)), meeting, JSON),
            Case("api set up planning meeting without a name", "POST", url,
                 api_members(403, **dict.fromkeys(managers, 400)), {**meeting, "name": ""},
                 JSON),
            Case("api planning meetings", "DELETE", url, api_members(405))]


def _api_planning_meeting_detail(world):
    url = reverse("api:planning-meeting-detail", args=[_planning_meeting_obj().pk])
    return [Case("api planning meeting", "GET", url, api_members(200, no_membership=404)),
            Case("api planning meeting missing", "GET", reverse(
                "api:planning-meeting-detail", args=[MISSING_ID]), api_members(404)),
            Case("api planning meeting", "PATCH", url, api_members(405), {"name": "x"}, JSON)]


def _api_nomination_list(world):
    url = reverse("api:nomination-list")
    # A Thai network not yet nominated at the meeting: Thailand's focal point nominates it.
    nomination = {"meeting": _planning_meeting_obj().pk,
                  "network": _investigation(world).network_id, "partners": ["MYS"],
                  "title": "Matrix API nomination"}
    return [Case("api nominations", "GET", url, api_members(200)),
            Case("api nominate", "POST", url, api_members(403, focal_point=201), nomination,
                 JSON),
            Case("api nominate without partners", "POST", url,
                 api_members(403, focal_point=400), {**nomination, "partners": []}, JSON),
            Case("api nominations", "DELETE", url, api_members(405))]


def _api_nomination_detail(world):
    def url(code):
        return reverse("api:nomination-detail", args=[_nomination_of(code).pk])

    # Australia is a partner in the Philippine nomination, Thailand is not.
    return [Case("api nomination", "GET", url("THA"), api_readers(*THAI_READERS, *FOLLOWERS)),
            Case("api nomination as partner", "GET", url("PHL"),
                 api_readers("officer_foreign", *FOLLOWERS)),
            Case("api nomination missing", "GET", reverse(
                "api:nomination-detail", args=[MISSING_ID]), api_members(404)),
            Case("api nomination", "PUT", url("THA"), api_members(405), {}, JSON)]


def _api_nomination_answer(world):
    def url(code):
        return reverse("api:nomination-answer", args=[_nomination_of(code).pk])

    # Only a partner's focal point answers: Australia's (not in the roles) for the Philippine
    # one; Thailand, which nominated, is no partner in its own.
    accept = {"answer": "accept"}
    return [Case("api answer nomination as partner", "POST", url("PHL"),
                 api_readers("officer_foreign", *FOLLOWERS, status=403), accept, JSON),
            Case("api answer own nomination", "POST", url("THA"),
                 api_readers(*THAI_READERS, *FOLLOWERS, status=403), accept, JSON),
            Case("api answer nomination", "GET", url("PHL"), api_members(405))]


def _api_nomination_convert(world):
    def url(code):
        return reverse("api:nomination-convert", args=[_nomination_of(code).pk])

    managers = {"secretariat": 200, "admin": 200}
    # Malaysia accepted the Thai nomination; nobody has accepted the Philippine one yet (400).
    return [Case("api convert accepted nomination", "POST", url("THA"),
                 api_readers(*THAI_READERS, *FOLLOWERS, status=403) | managers, {}, JSON),
            Case("api convert unaccepted nomination", "POST", url("PHL"),
                 api_readers("officer_foreign", *FOLLOWERS, status=403)
                 | {"secretariat": 400, "admin": 400}, {}, JSON),
            Case("api convert nomination", "GET", url("THA"), api_members(405))]


def _first_pk(model, **lookup):
    def pk(world):
        return model.objects.filter(**lookup).order_by("pk").values_list("pk", flat=True)[0]
    return pk


def _api_matrix() -> dict[str, RouteCases]:
    from operations.models import Operation

    matrix: dict[str, RouteCases] = {
        "api:api-root": _api_root,
        "api:country-detail": _api_directory_detail("country", lambda world: "THA", "ZZZ"),
        "api:agency-detail": _api_directory_detail(
            "agency", _first_pk(Agency, acronym="RTP"), MISSING_ID),
        "api:focal-point-detail": _api_focal_point_detail,
        "api:joint-operation-detail": _api_directory_detail(
            "joint-operation", lambda world: "jpoa-2015", "no-such"),
        "api:operation-detail": _api_directory_detail(
            "operation", _first_pk(Operation, country__code="THA"), MISSING_ID),
        "api:return-list": _api_return_list,
        "api:return-detail": _api_return_detail,
        "api:return-submit": _api_return_submit,
        "api:return-accept": _api_return_accept,
        "api:return-reopen": _api_return_reopen,
        "api:totals": _api_totals,
        "api:token-obtain": _api_token_obtain,
        "api:schema": _api_schema,
        "api:docs": _api_docs,
        "api_tokens": _api_tokens_page,
        "api_token_revoke": _api_token_revoke,
        "two_factor_manage": _two_factor_manage,
        "two_factor_setup": _two_factor_setup,
        "two_factor_verify": _two_factor_verify,
        "two_factor_recovery_codes": _two_factor_recovery_codes,
        "two_factor_reset": _two_factor_reset,
    }
    for name in ("country", "agency", "focal-point", "joint-operation", "operation"):
        matrix[f"api:{name}-list"] = _api_directory_list(name)
    for kind in KINDS:
        matrix[f"api:{kind.slug}-list"] = _api_record_list(kind)
        matrix[f"api:{kind.slug}-detail"] = _api_record_detail(kind)
        matrix[f"api:{kind.slug}-bulk"] = _api_record_bulk(kind)
    matrix["api:arrests-list"] = lambda world: (_api_record_list(KINDS[0])(world)
                                                + _api_record_create(world))
    matrix.update({
        "api:export-job-list": _api_export_list,
        "api:export-job-detail": _api_export_detail,
        "api:export-job-download": _api_export_download,
        "api:export-job-retry": _api_export_retry,
        "api:network-list": _api_network_list,
        "api:network-detail": _api_network_detail,
        "api:network-give": _api_network_give,
        "api:investigation-list": _api_investigation_list,
        "api:investigation-detail": _api_investigation_detail,
        "api:investigation-invite": _api_investigation_lead_action("invite", {"country": "IDN"}),
        "api:investigation-close": _api_investigation_lead_action("close"),
        "api:investigation-note-list": _api_investigation_notes,
        # Australia is invited: only its focal point (not in the roles) answers for it.
        "api:investigation-member-accept": _api_investigation_member("accept", "AUS", {}),
        "api:investigation-member-decline": _api_investigation_member("decline", "AUS", {}),
        # The lead cannot leave: its focal point is told why (409).
        "api:investigation-member-leave": _api_investigation_member(
            "leave", "THA", {"focal_point": 409}),
        "api:incoming-enquiry-list": _api_incoming_enquiry_list,
        "api:incoming-enquiry-detail": _api_incoming_enquiry_detail,
        "api:incoming-enquiry-answer": _api_incoming_enquiry_answer,
        "api:planning-meeting-list": _api_planning_meeting_list,
        "api:planning-meeting-detail": _api_planning_meeting_detail,
        "api:nomination-list": _api_nomination_list,
        "api:nomination-detail": _api_nomination_detail,
        "api:nomination-answer": _api_nomination_answer,
        "api:nomination-convert": _api_nomination_convert,
    })
    return matrix


API_MATRIX = _api_matrix()


MATRIX: dict[str, RouteCases] = {
    "home": _home,
    "healthz": _healthz,
    "login": _login,
    "logout": _logout,
    "password_change": _password_change,
    "password_change_done": _password_change_done,
    "set_language": _set_language,
    "operations:record_list": _record_list,
    "operations:record_export_csv": _record_export_csv,
    "operations:record_detail": _record_detail,
    "operations:record_share": _record_share,
    "operations:record_create": _record_create,
    "operations:record_update": _record_update,
    "operations:record_delete": _record_delete,
    "operations:record_import": _record_import,
    "operations:import_template_csv": _import_template("import_template_csv"),
    "operations:import_template_xlsx": _import_template("import_template_xlsx"),
    "operations:import_detail": _import_detail,
    "operations:import_confirm": _import_confirm,
    "operations:share_list": _share_list,
    "operations:share_revoke": _share_revoke,
    "audit_log": _audit_log,
    "reporting:return_list": _return_list,
    "reporting:dashboard": _dashboard,
    "cooperation:investigation_list": _investigation_list,
    "cooperation:investigation_create": _investigation_create,
    "cooperation:investigation_detail": _investigation_detail,
    "cooperation:member_invite": _member_invite,
    "cooperation:investigation_close": _investigation_close,
    "cooperation:member_respond": _member_respond,
    "cooperation:member_leave": _member_leave,
    "cooperation:network_create": _network_create,
    "cooperation:network_detail": _network_detail,
    "cooperation:record_attribute": _record_attribute,
    "cooperation:enquiries_incoming": _enquiries_incoming,
    "cooperation:enquiry_answer": _enquiry_answer,
    "cooperation:planning_list": _planning_list,
    "cooperation:planning_meeting": _planning_meeting,
    "cooperation:planning_nomination": _planning_nomination,
    "cooperation:nomination_convert": _nomination_convert,
    "cooperation:nomination_answer": _nomination_answer,
    "cooperation:directory": _directory,
    "cooperation:record_network_link": _record_network_link,
    "reporting:export_list": _export_list,
    "reporting:workshop_detail": _workshop_detail,
    "reporting:lessons_edit": _lessons_edit,
    "reporting:recommendation_add": _recommendation_add,
    "reporting:recommendation_track": _recommendation_track,
    "reporting:statement_download": _statement_download,
    "reporting:export_detail": _export_detail,
    "reporting:export_download": _export_download,
    "reporting:export_retry": _export_retry,
    "reporting:return_detail": _return_detail,
    "reporting:return_submit": _return_submit,
    "reporting:return_accept": _return_accept,
    "reporting:return_reopen": _return_reopen,
    "reporting:outlier_check": _outlier_check,
    **API_MATRIX,
}

# ---------------------------------------------------------------------------------------------
# Running the cases
# ---------------------------------------------------------------------------------------------


def add_staff_officer(world: World) -> None:
    """A Thai officer with admin access to the record models: the admin must scope them too."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("staff.tha", password="jpoa-demo-2015", is_staff=True)
    Membership.objects.create(user=user, agency=Agency.objects.get(acronym="RTP"), role=Role.OFFICER)
    content_types = ContentType.objects.get_for_models(*OUTCOME_MODELS).values()
    user.user_permissions.set(Permission.objects.filter(content_type__in=content_types))
    world.users["staff_officer"] = user


def outcome(response) -> int | str:
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    return response.status_code


def run_cases(client, world: World, cases: list[Case]) -> list[str]:
    failures = []
    for case in cases:
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(world.users[role])
            body = {"content_type": case.content_type} if case.content_type else {}
            with transaction.atomic():
                response = getattr(client, case.method.lower())(case.url, case.data or {}, **body)
                transaction.set_rollback(True)  # each case starts from the same world
            got, want = outcome(response), case.expected[role]
            CASES["permission matrix"] += 1
            if got != want:
                failures.append(f"{case.method} {case.url} [{case.label}] as {role}: got {got}, expected {want}")
    return failures


@pytest.fixture
def matrix_world(world):
    add_staff_officer(world)
    return world


def test_every_route_is_in_the_matrix():
    missing = [name for name in portal_route_names() if name not in MATRIX]
    assert not missing, f"routes with no entry in the permission matrix: {missing}"
    stale = [name for name in MATRIX if name not in portal_route_names()]
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


@pytest.mark.parametrize("route", portal_route_names())
def test_route_permissions(route, client, matrix_world):
    if route not in MATRIX:
        pytest.fail(f"route {route!r} has no entry in the permission matrix")
    failures = run_cases(client, matrix_world, MATRIX[route](matrix_world))
    assert not failures, "\n".join(failures)


def test_admin_routes_permissions(client, matrix_world):
    """Every admin route sits behind the admin login; record admins are scoped by country."""
    from django.contrib import admin

    admin_roles = {role: LOGIN for role in ROLES}
    cases = []

    def admin_expect(admin_status, staff_status):
        # Non-staff users and anonymous visitors are sent to the admin's own login page.
        return {**admin_roles, "admin": admin_status, "staff_officer": staff_status}

    cases.append(Case("admin index", "GET", reverse("admin:index"), admin_expect(200, 200)))
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        is_record = model in OUTCOME_MODELS
        cases.append(Case(f"admin {model._meta.label} list", "GET",
                          reverse(f"{prefix}_changelist"), admin_expect(200, 200 if is_record else 403)))
        if is_record:
            own = model.objects.filter(country__code="THA").order_by("pk").first()
            other = model.objects.filter(country__code="AUS").order_by("pk").first()
            # The admin answers a record outside the user's scope exactly like a missing one.
            cases += [
                Case(f"admin {model._meta.label} own", "GET",
                     reverse(f"{prefix}_change", args=[own.pk]), admin_expect(200, 200)),
                Case(f"admin {model._meta.label} other", "GET",
                     reverse(f"{prefix}_change", args=[other.pk]), admin_expect(200, 302)),
                Case(f"admin {model._meta.label} missing", "GET",
                     reverse(f"{prefix}_change", args=[MISSING_ID]), admin_expect(302, 302)),
            ]
    failures = []
    for case in cases:
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(matrix_world.users[role])
            response = client.get(case.url)
            got = response.status_code
            if got == 302 and "/admin/login/" in response.url:
                got = LOGIN
            CASES["permission matrix"] += 1
            if got != case.expected[role]:
                failures.append(f"GET {case.url} [{case.label}] as {role}: got {got}, expected {case.expected[role]}")
    assert not failures, "\n".join(failures)
