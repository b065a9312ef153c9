import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
application = get_wsgi_application()

# Loaded here, not on the first request: see ``directory.warmup``.
from alongside.directory.warmup import warm_up  # noqa: E402

warm_up()
