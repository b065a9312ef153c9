"""The warm line's WebSocket addresses (mounted by ``alongside/asgi.py``)."""

from django.urls import path

from alongside.warmline import consumers

websocket_urlpatterns = [
    path("ws/warmline/chat/", consumers.VisitorConsumer.as_asgi()),
    path("ws/warmline/console/", consumers.ResponderConsumer.as_asgi()),
]
