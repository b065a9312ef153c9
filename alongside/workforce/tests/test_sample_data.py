"""The demo's workforce sample data: every status the issue names, and safe to run again."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from alongside.core.models import Organization
from alongside.core.tenancy import organization_scope
from alongside.workforce.models import CredentialType, StaffProfile, Status
from alongside.workforce.selectors import my_status, progress


def test_sample_data_has_every_status_and_loads_once(db):
    call_command("demo_seed", stdout=StringIO())
    call_command("load_workforce_sample_data", stdout=StringIO())
    call_command("load_workforce_sample_data", stdout=StringIO())
    organization = Organization.objects.get(slug="granite-peer")
    today = timezone.localdate()
    with organization_scope(organization):
        rows = [my_status(p.membership, today) for p in StaffProfile.objects.all()]
        statuses = {s.status for row in rows for s in row.statuses}
        assert {Status.ACTIVE, Status.EXPIRING, Status.GRACE} <= statuses
        assert statuses & {Status.LAPSED, Status.RETRAINING_REQUIRED}
        held = {s.credential.type.jurisdiction for row in rows for s in row.statuses}
        assert held == set(CredentialType.objects.values_list("jurisdiction", flat=True))
        peer = StaffProfile.objects.get(user__username="peer")
        crsw = CredentialType.objects.get(code="nh-crsw")
        toward = progress(peer, crsw, today)
        assert toward.supervised[0] > 0
        assert toward.unapproved_supervision > 0
        assert not toward.met
        # Run twice, loaded once.
        assert peer.supervision_received.count() == 19
