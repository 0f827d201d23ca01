"""The debrief workbook and CSV write text that starts like a formula as inert text (issue 18):
a joint operation's classification ``=HYPERLINK(…)`` came back as a live formula (Summary!B1)
in a focal point's XLSX export. Names of the joint operation and of countries reach the files
too. Read back with openpyxl and the csv module, as in tests/operations/test_formula_injection.py.
"""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from countries.models import Country
from operations.models import JointOperation
from reporting import rollups
from reporting.models import ExportJob
from tests.operations.test_formula_injection import PAYLOADS, assert_inert_csv, assert_inert_xlsx

CLASSIFICATION = '=HYPERLINK("http://x.example/","x")'
NAME = "=cmd|' /C calc'!A0"
COUNTRY = "@SUM(1+1)"


@pytest.fixture
def planted(demo):
    """The sweep's payloads, written as a bulk update would (the form now refuses the first)."""
    JointOperation.objects.filter(slug="jpoa-2015").update(classification=CLASSIFICATION, name=NAME)
    Country.objects.filter(code="THA").update(name=COUNTRY)
    rollups.rollup()


def _export(client, capture, **choice) -> bytes:
    data = {"joint_operation": "jpoa-2015", "country": "THA", "format": "xlsx",
            "profile": "restricted", "rounded": ["enquiries"], **choice}
    with capture(execute=True):
        response = client.post(reverse("reporting:export_list"), data)
    if response.status_code == 200:  # a CSV is streamed at once
        return b"".join(response.streaming_content)
    assert response.status_code == 302, response.content[:2000]
    job = ExportJob.objects.latest("pk")
    download = client.get(reverse("reporting:export_download", args=[job.pk]))
    assert download.status_code == 200
    return b"".join(download.streaming_content)


@pytest.mark.parametrize(("username", "country"), [("focal.tha", "THA"), ("secretariat", "")],
                         ids=["a focal point's country", "the secretariat's region"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_debrief_files_write_formula_like_text_as_inert_text(
        client, planted, django_capture_on_commit_callbacks, username, country, fmt):
    # given
    client.force_login(get_user_model().objects.get(username=username))
    # when
    content = _export(client, django_capture_on_commit_callbacks, format=fmt, country=country)
    # then: nothing a spreadsheet would run, and the payloads are there as text
    if fmt == "xlsx":
        texts = assert_inert_xlsx(content)
        assert {CLASSIFICATION, NAME, COUNTRY} <= set(texts)
    else:
        cells = assert_inert_csv(content)
        assert f"'{COUNTRY}" in cells


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_classification_that_starts_like_a_formula_is_refused_where_it_is_typed(demo, payload):
    joint_operation = JointOperation.objects.get(slug="jpoa-2015")
    joint_operation.classification = payload
    with pytest.raises(ValidationError) as error:
        joint_operation.full_clean()
    assert "classification" in error.value.message_dict
    joint_operation.classification = "LAW ENFORCEMENT SENSITIVE"
    joint_operation.full_clean()
