"""Stand-ins for database ids in what leaves the site (raw-data exports, data downloads)."""

from django.utils.crypto import salted_hmac


def pseudonym(*, scope: str, value: object) -> str:
    """ "p_" and 20 hex digits of an HMAC of `value`, keyed with `scope` and the site's secret.

    The same scope and value give the same pseudonym; another scope gives an unrelated one, so a
    scope decides where pseudonyms may be linked (one export, or all of a person's downloads).
    Without the secret, no pseudonym leads back to its value.
    """
    return "p_" + salted_hmac(scope, str(value)).hexdigest()[:20]
