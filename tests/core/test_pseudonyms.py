"""core.pseudonyms: one stand-in per scope and value, unrelated across scopes."""

import re

from django.test import override_settings

from core.pseudonyms import pseudonym


def test_pseudonym_is_stable_for_a_scope_and_value():
    assert pseudonym(scope="polity.test", value=7) == pseudonym(scope="polity.test", value="7")
    assert re.fullmatch(r"p_[0-9a-f]{20}", pseudonym(scope="polity.test", value=7))


def test_pseudonym_differs_across_values_and_scopes():
    names = {
        pseudonym(scope=scope, value=value)
        for scope in ("export:a", "export:b")
        for value in (1, 2)
    }
    assert len(names) == 4


def test_pseudonym_depends_on_the_site_secret():
    before = pseudonym(scope="polity.test", value=7)
    with override_settings(SECRET_KEY="another secret key that is long enough to be valid"):
        assert pseudonym(scope="polity.test", value=7) != before
