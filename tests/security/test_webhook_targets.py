"""Webhook targets: IPv6 spellings of IPv4 addresses (issue 16, finding 4).

[64:ff9b::7f00:1], [2002:7f00:1::] and [::127.0.0.1] all reach 127.0.0.1, yet passed Python's
`is_global`, which judges the IPv6 address itself.
"""

import pytest

from constitutions.errors import InvalidWebhookUrl
from constitutions.services.webhooks import check_url


@pytest.mark.parametrize(
    "host",
    [
        "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
        "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
        "[64:ff9b:1::7f00:1]",  # local-use NAT64 (RFC 8215)
        "[2002:7f00:1::]",  # 6to4 of 127.0.0.1
        "[2002:a9fe:a9fe::]",  # 6to4 of 169.254.169.254
        "[::127.0.0.1]",  # IPv4-compatible
        "[::a9fe:a9fe]",
        "[::ffff:127.0.0.1]",  # IPv4-mapped
        "[::ffff:10.1.2.3]",
    ],
)
def test_webhook_ipv6_forms_of_private_ipv4_are_refused(settings, host):
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(InvalidWebhookUrl):
        check_url(f"http://{host}/hook")


@pytest.mark.parametrize(
    "host", ["[64:ff9b::5db8:d822]", "[2002:5db8:d822::1]", "[2606:4700::1111]"]
)
def test_webhook_ipv6_forms_of_public_ipv4_are_accepted(settings, host):
    settings.POLITY_WEBHOOKS_ALLOW_PRIVATE = False
    assert check_url(f"http://{host}/hook") == f"http://{host}/hook"
