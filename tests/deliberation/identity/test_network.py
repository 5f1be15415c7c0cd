from django.test import RequestFactory

from deliberation.identity.network import client_ip


def make_request(forwarded=None):
    extra = {"REMOTE_ADDR": "10.0.0.1"}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_ip_without_trusted_proxies_ignores_forwarded_headers(settings):
    settings.POLITY_TRUSTED_PROXIES = 0
    assert client_ip(make_request("203.0.113.9")) == "10.0.0.1"


def test_client_ip_behind_one_proxy_takes_the_address_the_proxy_appended(settings):
    settings.POLITY_TRUSTED_PROXIES = 1
    # The client forged the first entry; the proxy appended the real one.
    assert client_ip(make_request("198.51.100.7, 203.0.113.9")) == "203.0.113.9"


def test_client_ip_falls_back_to_the_socket_address_when_the_header_is_short(settings):
    settings.POLITY_TRUSTED_PROXIES = 2
    assert client_ip(make_request("203.0.113.9")) == "10.0.0.1"
