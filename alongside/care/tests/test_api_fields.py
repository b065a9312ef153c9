"""The API's writable fields are the services' lists: a drift stops the API from loading."""

import importlib.util
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from pydantic import StrictBool

from alongside.care import services
from alongside.care.api import plans
from alongside.care.api.fields import writes
from alongside.care.api.participants import ParticipantIn, ParticipantPatch
from alongside.care.api.plans import GoalPatch


def import_afresh(module, monkeypatch):
    """Run ``module``'s code as an import would, under another name, leaving the loaded one."""
    spec = importlib.util.spec_from_file_location(f"{module.__name__}_afresh", module.__file__)
    fresh = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, fresh)
    spec.loader.exec_module(fresh)


def test_a_field_the_service_gains_stops_the_api_from_loading(monkeypatch):
    monkeypatch.setattr(services, "GOAL_FIELDS", (*services.GOAL_FIELDS, "mood"))
    with pytest.raises(ImproperlyConfigured, match=r"GoalIn .*missing \['mood'\]"):
        import_afresh(plans, monkeypatch)


def test_the_api_loads_with_the_services_lists(monkeypatch):
    import_afresh(plans, monkeypatch)


def test_a_field_the_service_drops_is_unknown_to_it():
    with pytest.raises(ImproperlyConfigured, match=r"unknown to the service \['target_date'\]"):
        writes([f for f in services.GOAL_FIELDS if f != "target_date"])(GoalPatch)


def test_a_field_added_to_the_schema_alone_is_caught():
    class Drifted(GoalPatch):
        pinned: StrictBool = False

    with pytest.raises(ImproperlyConfigured, match=r"unknown to the service \['pinned'\]"):
        writes(services.GOAL_FIELDS)(Drifted)


def test_the_participant_patch_leaves_the_pathway_to_its_own_service():
    assert "pathway" in ParticipantIn.model_fields
    assert "pathway" not in ParticipantPatch.model_fields
