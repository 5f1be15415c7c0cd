import pytest

from constitutions.renderers import FORMATS
from tests.constitutions.renderers.schemas import validate_format


@pytest.mark.parametrize("name", list(FORMATS))
def test_format_validates_against_its_schema_and_names_its_version(name, document, parts):
    validate_format(name, FORMATS[name].body(document, parts), document)
