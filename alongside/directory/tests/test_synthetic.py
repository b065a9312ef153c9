from io import StringIO

from django.core.management import call_command

from alongside.core.search import search_matches
from alongside.directory.indexing import SEARCH_KIND
from alongside.directory.models import SearchEntry, Service


def test_generated_listings_are_searchable(db):
    before = Service.objects.count()
    call_command("generate_directory", "--count", "50", stdout=StringIO())
    assert Service.objects.count() == before + 50
    generated = Service.objects.filter(description__startswith="Synthetic listing")
    assert SearchEntry.objects.filter(service__in=generated).count() == 50
    assert len(search_matches(SEARCH_KIND, "synthetic listing")) == 50
