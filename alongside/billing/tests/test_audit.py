"""Every billing page and API read that shows people names each of them in the audit trail
(the care walk in care/tests/test_audit_coverage.py lists these as walked here)."""

import pytest
from django.test import Client
from django.urls import reverse

from alongside.billing.tests.conftest import submitted_batch
from alongside.billing.tests.test_views import PATIENT, _file
from alongside.billing.tests.test_x12_835 import remittance_text
from alongside.core.models import AuditEvent
from alongside.core.services import api_token_create

# Pages and API reads that show the people of a run, a claim or a remittance.
SHOWN_PAGES = ("billing:batch", "billing:batch_file", "billing:claim", "billing:remittance")
SHOWN_LIST_PAGES = ("billing:denials",)
SHOWN_API = (
    "/billing/batches/{batch}",
    "/billing/claims/{claim}",
    "/billing/remittances/{remittance}",
    "/participants/{participant}/coverages",
)


def _last_event_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _named(participant_id, since):
    return AuditEvent.objects.filter(id__gt=since, participant_id=str(participant_id)).exists()


@pytest.fixture
def answered(sign_in, world, clerk, identity):
    """A submitted claim the payer denied: a run, a claim, a remittance and a denial."""
    batch, claim = submitted_batch(world, clerk, 60)
    text = remittance_text(
        f"CLP*{claim.claim_id}*4*60*0**MC*PCN-4~\nCAS*CO*16*60~\n" + PATIENT, payment="0"
    )
    upload = sign_in(clerk).post(reverse("billing:remittances"), {"file": _file(text)})
    assert upload.status_code == 302, upload.content
    remittance_id = upload["Location"].rstrip("/").split("/")[-1]
    return {
        "batch": batch.pk,
        "claim": claim.claim_id,
        "remittance": remittance_id,
        "participant": claim.participant_id,
    }


def test_every_billing_page_that_shows_people_names_them(sign_in, clerk, answered):
    client = sign_in(clerk)
    args = {
        "billing:batch": [answered["batch"]],
        "billing:batch_file": [answered["batch"]],
        "billing:claim": [answered["claim"]],
        "billing:remittance": [answered["remittance"]],
        "billing:denials": [],
    }
    unaudited = []
    for name in (*SHOWN_PAGES, *SHOWN_LIST_PAGES):
        since = _last_event_id()
        response = client.get(reverse(name, args=args[name]))
        assert response.status_code == 200, (name, response.status_code)
        if not _named(answered["participant"], since):
            unaudited.append(name)
    assert unaudited == []


def test_every_billing_api_read_that_shows_people_names_them(clerk, org, answered):
    token = api_token_create(user=clerk, organization=org)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    unaudited = []
    for path in (*SHOWN_API, "/billing/batches/{batch}/837p"):
        since = _last_event_id()
        response = client.get("/api/v1" + path.format(**answered))
        assert response.status_code == 200, (path, response.status_code, response.content)
        if not _named(answered["participant"], since):
            unaudited.append(path)
    assert unaudited == []
