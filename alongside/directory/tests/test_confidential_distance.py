"""A confidential place cannot be found from the distances search gives."""

from django.test import Client

from alongside.directory import geo
from alongside.directory.models import Address


def distances(near, **params):
    response = Client().get("/api/v1/search", {"near": near, "per_page": 100, **params})
    assert response.status_code == 200
    return {r["service_id"]: r["distance_miles"] for r in response.json()["results"]}


def test_a_confidential_place_is_as_far_as_the_middle_of_its_town(sample):
    hidden = Address.objects.select_related("location").get(location__address_confidential=True)
    location = hidden.location
    service_id = str(location.service_at_locations.get().service_id)
    town = geo.town_place(hidden.city, hidden.state_province)
    assert (
        geo.miles_between(town.latitude, town.longitude, location.latitude, location.longitude)
        > 0.2
    )
    # Searched from the place itself, and from the middle of its town.
    at_the_door = distances(f"{location.latitude},{location.longitude}", radius=5)
    at_the_middle = distances(f"{town.latitude},{town.longitude}", radius=5)
    assert at_the_middle[service_id] == 0.0
    assert at_the_door[service_id] == round(
        geo.miles_between(location.latitude, location.longitude, town.latitude, town.longitude), 1
    )
    # The radius, too, counts from the middle of the town: probing it tells nothing more.
    north = f"{town.latitude + 0.02},{town.longitude}"  # 1.4 miles from the middle
    assert service_id not in distances(north, radius=1)
    assert service_id in distances(north, radius=2)
