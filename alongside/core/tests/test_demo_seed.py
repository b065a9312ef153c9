from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command


def test_demo_staff_have_made_up_names(db):
    call_command("demo_seed", stdout=StringIO())
    assert get_user_model().objects.get(username="peer").get_full_name() == "Jamie Riverstone"
