"""Storing a message: once per client id, never after the end, in few statements."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from alongside.core.tenancy import organization_scope
from alongside.warmline import services
from alongside.warmline.models import Message

pytestmark = pytest.mark.django_db


def test_messages_are_numbered_in_order(talking):
    talking.refresh_from_db()
    before = talking.last_seq  # taking the contact said so in the conversation
    with organization_scope(talking.organization):
        first, _ = services.message_store(contact=talking, sender="visitor", body="Hello")
        second, _ = services.message_store(contact=talking, sender="responder", body="Hi there")
        talking.refresh_from_db()
    assert (first.seq, second.seq) == (before + 1, before + 2)
    assert talking.last_seq == before + 2


def test_a_message_sent_again_is_stored_once_and_keeps_its_number(talking):
    with organization_scope(talking.organization):
        first, new = services.message_store(
            contact=talking, sender="visitor", body="Hello", client_id="v-1"
        )
        again, again_new = services.message_store(
            contact=talking, sender="visitor", body="Hello", client_id="v-1"
        )
        later, _ = services.message_store(contact=talking, sender="visitor", body="Still here")
        stored = Message.objects.filter(contact=talking, sender="visitor").count()
    assert (new, again_new) == (True, False)
    assert again.pk == first.pk
    assert stored == 2
    assert later.seq == first.seq + 1  # the retry's number was given back


def test_nothing_is_stored_after_the_end_but_a_retry_is_answered(talking):
    with organization_scope(talking.organization):
        sent, _ = services.message_store(
            contact=talking, sender="visitor", body="Bye", client_id="v-9"
        )
        services.contact_end(contact=talking)
        again, new = services.message_store(
            contact=talking, sender="visitor", body="Bye", client_id="v-9"
        )
        with pytest.raises(ValidationError, match="has ended"):
            services.message_store(contact=talking, sender="visitor", body="Hello?")
        count = Message.objects.filter(contact=talking, sender="visitor").count()
    assert (again.pk, new) == (sent.pk, False)
    assert count == 1


def test_a_message_takes_two_statements(talking, django_assert_num_queries):
    # Its number (one UPDATE … RETURNING) and the row; the savepoint and commit besides.
    with organization_scope(talking.organization), django_assert_num_queries(4):
        services.message_store(contact=talking, sender="visitor", body="Hello", client_id="v-2")
