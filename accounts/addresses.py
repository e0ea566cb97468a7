"""The address a request came from, behind any number of trusted proxies."""

from ipaddress import ip_address

from django.conf import settings


def client_ip(request):
    """The client's address: ``REMOTE_ADDR``, or, behind ``TRUSTED_PROXY_COUNT`` proxies, the
    address the outermost of them received the request from.

    Each proxy appends the address it was contacted from to ``CLIENT_IP_HEADER``
    (X-Forwarded-For), so the client's address is the n-th from the right; anything to its left
    was written by the client and proves nothing. A request that did not come through the
    proxies (a header too short, or not an address) is known by ``REMOTE_ADDR``.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    meta_key = "HTTP_" + settings.CLIENT_IP_HEADER.upper().replace("-", "_")
    hops = [hop.strip() for hop in request.META.get(meta_key, "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    try:
        return str(ip_address(hops[-count]))
    except ValueError:
        return remote
