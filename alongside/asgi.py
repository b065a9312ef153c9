"""The ASGI application: Django's pages over HTTP, and the warm line's WebSockets.

Run it with any ASGI server (``daphne alongside.asgi:application``, or uvicorn); several
workers share the warm line through Redis when ``REDIS_URL`` is set (docs/warmline.md).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
django_application = get_asgi_application()

# Imported once Django is set up: they load models.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from alongside.warmline.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # Only pages of our own hosts may open a socket (a cross-site page would ride the
        # responder's session cookie otherwise).
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Loaded here, not on the first request: see ``directory.warmup``.
from alongside.directory.warmup import warm_up  # noqa: E402

warm_up()
