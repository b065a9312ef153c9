"""The scan of a signed consent form: checked by content, kept encrypted, downloaded audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alongside.care.models import Consent
from alongside.core.audit import Action
from alongside.core.models import AuditEvent
from alongside.core.tenancy import organization_scope

from .conftest import make_participant

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nSigned by Jordan (sample)\n%%EOF\n"
FORM = {
    "discloser": "Granite Peer (sample)",
    "recipients": "Dr. Lee (sample)",
    "information": "Dates of contact",
    "information_categories": ["encounter_dates"],
    "purposes": ["treatment"],
    "expires_on": "2027-06-01",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client, participant, content, name="consent.pdf"):
    url = reverse("care:consent_create", args=[participant.pk])
    scan = SimpleUploadedFile(name, content, "application/pdf")
    return client.post(url, {**FORM, "signature_file": scan})


def test_a_scan_is_kept_encrypted_and_downloads_audited(sign_in, member, participant, media):
    client = sign_in(member)
    assert _upload(client, participant, PDF).status_code == 302
    with organization_scope(participant.organization):
        consent = Consent.objects.get(participant=participant)
    assert consent.signature_document.startswith("consents/")
    on_disk = [path.read_bytes() for path in media.rglob("*") if path.is_file()]
    assert len(on_disk) == 1 and b"Jordan" not in on_disk[0]

    page = client.get(reverse("care:participant", args=[participant.pk])).content.decode()
    url = reverse("care:consent_scan", args=[participant.pk, consent.pk])
    assert url in page
    download = client.get(url)
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download["Cache-Control"].split(", ")
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, object_id=str(consent.pk), participant_id=str(participant.pk)
    ).exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<html><script>alert(1)</script></html>", "Upload a PDF, PNG or JPEG"),
        (PDF + b"x" * 200, "larger than"),
    ],
)
def test_a_bad_scan_is_refused_and_nothing_is_kept(
    settings, sign_in, member, participant, media, content, words
):
    settings.ALONGSIDE_UPLOAD_MAX_BYTES = 150
    response = _upload(sign_in(member), participant, content)
    assert response.status_code == 400
    assert words in response.content.decode()
    with organization_scope(participant.organization):
        assert not Consent.objects.filter(participant=participant).exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_another_organization_cannot_download_a_scan(
    sign_in, member, participant, outsider, other_org
):
    assert _upload(sign_in(member), participant, PDF).status_code == 302
    with organization_scope(participant.organization):
        consent = Consent.objects.get(participant=participant)
    url = reverse("care:consent_scan", args=[participant.pk, consent.pk])
    assert sign_in(outsider).get(url).status_code == 404
    # Nor through one of their own participants' addresses.
    theirs = make_participant(other_org, outsider)
    wrong = reverse("care:consent_scan", args=[theirs.pk, consent.pk])
    assert sign_in(outsider).get(wrong).status_code == 404


def test_a_consent_without_a_scan_has_no_download(sign_in, member, participant):
    client = sign_in(member)
    url = reverse("care:consent_create", args=[participant.pk])
    form = {**FORM, "signature_name": "Jordan (sample)", "signed_on": "2026-12-01"}
    assert client.post(url, form).status_code == 302
    with organization_scope(participant.organization):
        consent = Consent.objects.get(participant=participant)
    scan = reverse("care:consent_scan", args=[participant.pk, consent.pk])
    assert client.get(scan).status_code == 404
