"""Tenancy that cannot be forgotten: scoped managers, the request's scope, named opt-outs."""

from io import StringIO

import pytest
from django.core.management import BaseCommand, call_command
from django_scopes import ScopeError

from alongside.care.models import Participant
from alongside.core.tenancy import UNSCOPED_COMMANDS, organization_scope

from .conftest import make_participant


def test_a_query_outside_any_scope_raises(participant):
    with pytest.raises(ScopeError):
        Participant.objects.count()
    with pytest.raises(ScopeError):
        list(Participant.objects.filter(pk=participant.pk))


def test_a_scope_sees_its_organization_only(participant, foreign_participant, org, other_org):
    with organization_scope(org):
        assert list(Participant.objects.all()) == [participant]
    with organization_scope(other_org):
        assert list(Participant.objects.all()) == [foreign_participant]


def test_a_scope_needs_an_organization():
    with pytest.raises(ValueError), organization_scope(None):
        pass


def test_a_request_runs_in_its_members_scope_not_the_callers(
    sign_in, member, participant, other_org, foreign_participant
):
    # The test body is in the other organization's scope; the page must not see it.
    with organization_scope(other_org):
        page = sign_in(member).get("/staff/care/participants/?show=active")
    assert participant.preferred_name in page.content.decode()
    assert foreign_participant.preferred_name not in page.content.decode()


def test_a_request_without_a_member_has_no_scope(rf, participant, org):
    from django.contrib.auth.models import AnonymousUser

    from alongside.core.middleware import CurrentOrganizationMiddleware

    def view(request):
        return Participant.objects.count()

    request = rf.get("/find/")
    request.user = AnonymousUser()
    request.session = {}
    # Even called from inside a scope, a request with no member starts from none.
    with organization_scope(org), pytest.raises(ScopeError):
        CurrentOrganizationMiddleware(view)(request)


def test_an_api_token_scopes_its_request(member, participant, foreign_participant, client):
    from alongside.core.services import api_token_create

    secret = api_token_create(user=member, organization=participant.organization)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/api/v1/participants/{participant.pk}", **auth).status_code == 200
    answer = client.get(f"/api/v1/participants/{foreign_participant.pk}", **auth)
    assert answer.status_code == 404


class CountParticipants(BaseCommand):
    def handle(self, *args, **options):
        self.stdout.write(str(Participant.objects.count()))


def test_a_command_not_named_as_unscoped_cannot_read_records(db, org, member):
    make_participant(org, member)
    with pytest.raises(ScopeError):
        call_command(CountParticipants(), stdout=StringIO())


def test_a_command_named_as_unscoped_reads_every_organization(db, org, other_org, member, outsider):
    make_participant(org, member)
    make_participant(other_org, outsider)
    named = type("Command", (CountParticipants,), {"__module__": "x.load_care_sample_data"})
    assert "load_care_sample_data" in UNSCOPED_COMMANDS
    out = StringIO()
    call_command(named(), stdout=out)
    assert out.getvalue().strip() == "2"


def test_an_unscoped_command_takes_an_option_named_command(db, capsys):
    # `alongside shell -c "..."` passes its code as the option `command`.
    call_command("shell", command="print(6 * 7)")
    assert capsys.readouterr().out.splitlines()[-1] == "42"
