"""The constitutions app's plain-SQL reads."""

import pytest

from constitutions.readers import published_version
from tests.constitutions.helpers import published_version as publish_demo


@pytest.fixture
def version(context, conversation, facilitator):
    return publish_demo(context, conversation, facilitator)


def test_published_version_is_none_for_an_unknown_number_or_context(context, version):
    assert published_version(context.slug, "9.9.9") is None
    assert published_version("no-such-context", "1.0.0") is None
    assert published_version(context.slug, "latest").pk == version.pk
