import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
application = get_asgi_application()

# Loaded here, not on the first request: see ``directory.warmup``.
from alongside.directory.warmup import warm_up  # noqa: E402

warm_up()
