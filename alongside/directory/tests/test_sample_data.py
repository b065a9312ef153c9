from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from alongside.directory.models import Service


@pytest.mark.parametrize("debug", [False, True])
def test_sample_data_will_not_replace_a_directory_that_is_not_a_demo(sample, settings, debug):
    settings.DEBUG = debug  # a deployment, or a developer's machine: no banner says "sample"
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
