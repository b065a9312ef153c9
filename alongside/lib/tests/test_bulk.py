import uuid

from alongside.core.models import SearchDocument
from alongside.core.search import search_matches
from alongside.directory.models import Organization, Phone
from alongside.lib.bulk import dicts_insert, dicts_update, dicts_upsert


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


def test_dicts_upsert_inserts_new_rows_and_updates_matching_ones(db):
    SearchDocument.objects.create(kind="test", object_id="a", title="Harbor warm line")
    rows = [
        {"kind": "test", "object_id": "a", "title": "Harbor peer respite"},
        *({"kind": "test", "object_id": str(i), "title": f"Group {i}"} for i in range(2500)),
    ]
    assert dicts_upsert(SearchDocument, rows, unique=["kind", "object_id"]) == 2501
    assert SearchDocument.objects.filter(kind="test").count() == 2501
    assert SearchDocument.objects.get(kind="test", object_id="a").title == "Harbor peer respite"
    # The full-text index followed, on SQLite through its triggers.
    assert search_matches("test", "respite") == ["a"]
    assert search_matches("test", "warm") == []


def test_dicts_insert_converts_a_column_of_mixed_values(db):
    # A column goes to the database as it is only when every value in it is plain text (or a
    # plain number): a UUID object or a None among them converts the whole column value by value.
    organization = uuid.uuid4()
    dicts_insert(Organization, [{"id": organization, "name": "Harbor (test)"}])
    given = [str(organization), organization.hex, organization]
    ids = [uuid.uuid4() for _ in given]
    rows = [
        {"id": str(i), "organization_id": o, "number": "555-0100", "extension": n or None}
        for n, (i, o) in enumerate(zip(ids, given, strict=True))
    ]
    dicts_insert(Phone, rows)
    saved = dict(Phone.objects.filter(organization=organization).values_list("id", "extension"))
    assert saved == {ids[0]: None, ids[1]: 1, ids[2]: 2}


def test_writing_no_rows_sends_no_statement(db, django_assert_num_queries):
    # Not even an empty COPY, which names every column of today's model: a migration that
    # rebuilds from no rows (directory 0005, the search buckets) must not name columns a later
    # one adds. A COPY goes past Django's query log: building the PostgreSQL test database
    # from the migrations is what checks that one.
    with django_assert_num_queries(0):
        assert dicts_insert(Organization, iter([])) == 0
        assert dicts_upsert(SearchDocument, [], unique=["kind", "object_id"]) == 0
