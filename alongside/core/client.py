"""The address of the client behind a request: one answer for lockout, audit and rate limits.

Without a configured proxy (``ALONGSIDE_PROXY_COUNT=0``, the default) it is the address of
the connection, and ``X-Forwarded-For`` is ignored: anyone can write that header. Behind
``ALONGSIDE_PROXY_COUNT`` proxies that each append the address they saw to
``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``), the client is the
``ALONGSIDE_PROXY_COUNT``-th address from the right: what the outermost proxy saw. Entries
further left came from the client and are not believed. With ``ALONGSIDE_TRUSTED_PROXIES``
set, the header is read only on connections from those networks, so a request that reaches
the application without going through the proxy is taken at its own address. A WebSocket's
ASGI scope gets the same answer (``scope_client_ip``).
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ipware import get_client_ip

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Parse ``ALONGSIDE_TRUSTED_PROXIES`` (addresses or CIDR networks); ValueError if bad."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(raw: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((raw or "").strip()))
    except ValueError:
        return None


def _from_trusted_proxy(peer: str | None) -> bool:
    entries = tuple(settings.ALONGSIDE_TRUSTED_PROXIES)
    if not entries:
        return True
    if peer is None:
        return False
    address = ipaddress.ip_address(peer)
    return any(address in network for network in trusted_networks(entries))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as text (normalised), or None when there is none to tell."""
    peer = _address(request.META.get("REMOTE_ADDR"))
    proxies = settings.ALONGSIDE_PROXY_COUNT
    if proxies <= 0 or not _from_trusted_proxy(peer):
        return peer
    # django-ipware counts the proxies *listed after* the client; the nearest proxy is not
    # listed (it is the connection), so N proxies in front leave N - 1 after the client.
    forwarded, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return _address(forwarded) or peer


def scope_client_ip(scope: Mapping[str, Any]) -> str | None:
    """``client_ip`` for an ASGI connection (a WebSocket): its peer and its headers."""
    peer = scope.get("client") or ("",)
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": str(peer[0] or "")}
    # ASGI gives header names in lower case, as bytes; a repeated header is one list.
    forwarded = [
        value.decode("latin-1")
        for name, value in scope.get("headers") or []
        if name.lower() == b"x-forwarded-for"
    ]
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = ", ".join(forwarded)
    return client_ip(request)


def over_hourly_limit(kind: str, who: str, limit: int) -> bool:
    """Count one more ``kind`` for ``who`` (an address, an e-mail) this hour; True past ``limit``.

    Only a digest of ``who`` is kept, in the cache (shared by every worker with Redis).
    """
    key = f"limit:{kind}:" + hashlib.sha256(who.encode()).hexdigest()[:32]
    cache.add(key, 0, timeout=3600)
    return cache.incr(key) > limit
