import uuid

from alongside.directory.models import Organization, Phone
from alongside.lib.bulk import dicts_insert, dicts_update


def test_dicts_insert_fills_defaults_and_takes_uuid_text(db):
    organization = str(uuid.uuid4())
    dicts_insert(Organization, [{"id": organization, "name": "Harbor (test)"}])
    phone = str(uuid.uuid4()).upper()  # not canonical: converted the long way
    dicts_insert(Phone, [{"id": phone, "organization_id": organization, "number": "555-0100"}])
    saved = Phone.objects.get(pk=phone)
    assert (saved.type, saved.extension) == ("voice", None)
    assert str(saved.organization_id) == organization
    assert Organization.objects.get(pk=organization).last_modified is not None


def test_dicts_update_writes_every_field_by_primary_key(db):
    organization = Organization.objects.create(name="Harbor (test)")
    row = Organization.objects.filter(pk=organization.pk).values().get()
    dicts_update(Organization, [row | {"name": "Harbor Peer Line (test)", "email": ""}])
    organization.refresh_from_db()
    assert organization.name == "Harbor Peer Line (test)"
