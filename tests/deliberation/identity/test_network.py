from django.test import RequestFactory

from deliberation.identity.network import client_ip, network_key


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


def test_network_key_counts_an_ipv6_address_as_its_64():
    same = {network_key(a) for a in ("2001:db8:1:2::1", "2001:DB8:1:2:ffff::9", "2001:db8:1:2::")}
    assert same == {"net:2001:db8:1:2::/64"}
    assert network_key("2001:db8:1:3::1") != network_key("2001:db8:1:2::1")


def test_network_key_counts_an_ipv4_address_alone_however_written():
    assert network_key("192.0.2.1") == network_key("::ffff:192.0.2.1") == "ip:192.0.2.1"
    assert network_key("192.0.2.2") != network_key("192.0.2.1")


def test_network_key_keeps_what_is_not_an_address_as_given():
    assert network_key("") == "ip:"
    assert network_key("proxy-name") == "ip:proxy-name"
