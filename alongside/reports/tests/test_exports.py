"""CSV and spreadsheet files: the same bytes on every run, definitions on the second sheet."""

import io

import openpyxl
import pytest
from django.urls import reverse

from alongside.core.models import AuditEvent

from .conftest import make_encounter, make_person, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(org, writer):
    _start, end = period()
    for n in range(3):
        make_encounter(make_person(org, writer, name=f"P{n} (sample)"), writer, end)


def _query(suppress=False):
    start, end = period()
    return f"?from={start}&to={end}" + ("&suppress=1" if suppress else "")


def test_csv_is_byte_identical_on_a_second_run(served, admin, sign_in):
    client = sign_in(admin)
    url = reverse("reports:report_csv", args=["quarterly"]) + _query()
    first, second = client.get(url), client.get(url)
    assert first.status_code == 200
    assert first.content == second.content
    text = first.content.decode()
    assert text.startswith("report,report_version,from,to,suppressed,metric,metric_version")
    assert "participants_served,1,total,value,,value,3" in text
    assert "recovery_measures,2,total,value,,value,0" in text
    assert "not available yet" not in text


def test_suppressed_csv_hides_small_counts(served, admin, sign_in):
    url = reverse("reports:report_csv", args=["quarterly"]) + _query(suppress=True)
    text = sign_in(admin).get(url).content.decode()
    assert "participants_served,1,total,value,,value,<11" in text
    assert ",3\r\n" not in text


def test_xlsx_opens_with_a_definitions_sheet_and_is_byte_identical(served, admin, sign_in):
    client = sign_in(admin)
    url = reverse("reports:report_xlsx", args=["quarterly"]) + _query()
    first, second = client.get(url), client.get(url)
    assert first.content == second.content
    workbook = openpyxl.load_workbook(io.BytesIO(first.content))
    assert workbook.sheetnames == ["Report", "Definitions"]
    definitions = [row[0] for row in workbook["Definitions"].iter_rows(values_only=True)]
    assert "participants_served" in definitions and "warmline_median_wait" in definitions


def test_a_download_is_audited_as_an_export(served, admin, sign_in):
    sign_in(admin).get(reverse("reports:report_csv", args=["quarterly"]) + _query())
    event = AuditEvent.objects.get(object_type="reports.report")
    assert event.action == "export" and event.participant_id == ""
    assert event.object_id.startswith("quarterly v1 ")
