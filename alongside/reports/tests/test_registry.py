"""The registry: a changed definition needs a new version, and the docs list every metric."""

import hashlib
from pathlib import Path

from django.utils import translation

from alongside.reports.catalog import REPORTS
from alongside.reports.definitions_doc import END, START, metrics_markdown
from alongside.reports.registry import METRICS

DOCS = Path(__file__).resolve().parents[3] / "docs" / "reports.md"

# A fingerprint of each version's definition. Changing what a metric counts: give it a new
# version and add its line here; never edit a line to fit a changed definition.
FINGERPRINTS = {
    ("billing_units", 1): "5ce5cafe8d154520",
    ("discharges_by_reason", 1): "89cd4845e361b8b1",
    ("encounters_by_service_category", 1): "03ee82f9f7fe0f75",
    ("encounters_by_type", 1): "7d65436f8041d120",
    ("enrollments_new", 1): "62bca957e797faf9",
    ("gpra_followups", 1): "78d298026dc13ef1",
    ("group_activity", 1): "58e2073fa61f2511",
    ("participants_served", 1): "89e4a4a2b7b7743a",
    ("recovery_measures", 1): "07cf84eb97c7f18a",
    ("recovery_measures", 2): "5902651b46c414f3",
    ("referrals", 1): "4b05b2772460f216",
    ("staff_credentials", 1): "58518c9ecf0d9578",
    ("warmline_contacts", 1): "a78257a4d475437e",
    ("warmline_contacts", 2): "6a2d53304bb93038",
    ("warmline_crisis_transfers", 1): "39d9c2b3d42caa86",
    ("warmline_crisis_transfers", 2): "56dcb4cc14845a33",
    ("warmline_median_wait", 1): "1c9459c563054092",
    ("warmline_median_wait", 2): "824c6ee4dd55c815",
}


def test_no_definition_changed_without_a_new_version():
    with translation.override("en"):
        found = {
            (m.name, m.version): hashlib.sha256(str(m.definition).encode()).hexdigest()[:16]
            for m in METRICS.values()
        }
    assert found == {key: FINGERPRINTS[key] for key in found}, (
        "give the changed metric a new version"
    )


def test_every_report_names_registered_metrics():
    for report in REPORTS.values():
        assert set(report.metrics) <= set(METRICS)


def test_docs_list_every_metric_as_the_registry_defines_it():
    text = DOCS.read_text()
    section = text[text.index(START) : text.index(END) + len(END)] + "\n"
    assert section == metrics_markdown(), "run `alongside reports_definitions` into docs/reports.md"


def test_outcomes_and_warm_line_metrics_are_available_now_their_apps_have_landed():
    names = ("recovery_measures", "warmline_contacts", "warmline_crisis_transfers")
    assert all(METRICS[name].available for name in (*names, "warmline_median_wait"))
