"""Private document storage: judged by content, capped in size, encrypted, served as a download."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.core.documents import (
    document_delete,
    document_read,
    document_response,
    document_store,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nA certificate of completion\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 40


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_html_renamed_pdf_is_refused(media):
    upload = SimpleUploadedFile(
        "certificate.pdf", b"<html><script>x</script></html>", "application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        document_store(upload, folder="certificates", field="certificate")
    assert "certificate" in error.value.message_dict
    assert not any(media.rglob("*"))


def test_oversize_file_is_refused(settings, media):
    settings.ALONGSIDE_UPLOAD_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", PDF + b"x" * 200, "application/pdf")
    with pytest.raises(ValidationError, match="larger than"):
        document_store(upload, folder="certificates")
    assert not any(media.rglob("*"))


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        document_store(b"", folder="certificates")


@pytest.mark.parametrize(
    ("data", "kind"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")]
)
def test_allowed_types_are_judged_by_content(data, kind):
    stored = document_store(
        SimpleUploadedFile("scan.txt", data, "text/plain"), folder="certificates"
    )
    assert stored.content_type == kind
    assert stored.size == len(data)


def test_bytes_on_disk_are_not_the_plaintext(media):
    stored = document_store(PDF, folder="certificates")
    on_disk = (media / stored.key).read_bytes()
    assert b"certificate of completion" not in on_disk
    assert not on_disk.startswith(b"%PDF")
    assert document_read(stored.key) == PDF


def test_download_round_trips_as_a_private_attachment():
    stored = document_store(SimpleUploadedFile("My Cert <1>.pdf", PDF), folder="certificates")
    response = document_response(stored.key, filename="My Cert <1>.pdf")
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="My-Cert-1.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_delete_removes_the_file(media):
    stored = document_store(PNG, folder="certificates")
    document_delete(stored.key)
    assert not (media / stored.key).exists()


def test_a_key_cannot_walk_out_of_the_media_root():
    with pytest.raises(ValueError):
        document_read("../../etc/passwd")
