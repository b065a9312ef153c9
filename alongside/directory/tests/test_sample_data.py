from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from alongside.directory.models import Service


def test_sample_data_will_not_replace_a_deployments_directory(sample, settings):
    settings.DEBUG = False
    settings.ALONGSIDE_DEMO = False
    Service.objects.filter(pk=Service.objects.first().pk).update(name="A real listing")
    with pytest.raises(CommandError, match="ALONGSIDE_DEMO=1"):
        call_command("load_sample_data", stdout=StringIO())
    assert Service.objects.filter(name="A real listing").exists()


def test_a_demo_site_loads_it(sample, settings):
    settings.DEBUG = False
    settings.ALONGSIDE_DEMO = True
    Service.objects.filter(pk=Service.objects.first().pk).update(name="Changed")
    out = StringIO()
    call_command("load_sample_data", stdout=out)
    assert out.getvalue().startswith("Loaded ")
    assert not Service.objects.filter(name="Changed").exists()
