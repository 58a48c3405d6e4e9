"""The reader's real address, for login throttling (django-axes), the suggestion limit and
the logs: one function, one setting (TRUSTED_PROXIES).

Behind nginx every request comes from 127.0.0.1. X-Forwarded-For says who the reader is,
but anyone can send that header: it is believed only when the connection itself comes from
a proxy listed in TRUSTED_PROXIES, and then only its last entry, the address that proxy saw.
(nginx resolves a longer chain first, with its realip module over the same list, and
passes on a single address; see templates/deploy/nginx.conf.)
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from ipware import get_client_ip


@lru_cache(maxsize=8)
def trusted_networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted_proxy(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request):
    """The address the request came from, as the last trusted proxy saw it."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    # proxy_count=0, not strict: the last entry, the one our proxy wrote; entries a client
    # put before it (garbage included) are never chosen.
    forwarded, _ = get_client_ip(
        request, proxy_count=0, request_header_order=["HTTP_X_FORWARDED_FOR"], strict=False
    )
    return forwarded or remote


class ClientAddressFilter(logging.Filter):
    """Adds %(client)s to log records that carry a request (django.request and the like)."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.client = client_ip(request) if hasattr(request, "META") else "-"
        return True
