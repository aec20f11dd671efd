"""The UI's named GraphQL operations (ui/operations/*.graphql) are valid against the API's schema, and each name is
used once: a schema change that would break a screen fails here, before any browser starts."""

from __future__ import annotations

from collections import Counter

import pytest
from graphql import OperationDefinitionNode, parse, validate

from backend.api.schema import schema
from ui.client import OPERATIONS_DIR

FILES = sorted(OPERATIONS_DIR.glob("*.graphql"))


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_operations_file_is_valid_against_the_schema(path):
    errors = validate(schema._schema, parse(path.read_text()))
    assert not errors, [error.message for error in errors]


def test_every_operation_is_named_and_names_are_unique():
    names = []
    for path in FILES:
        for definition in parse(path.read_text()).definitions:
            assert isinstance(definition, OperationDefinitionNode) and definition.name, path.name
            names.append(definition.name.value)
    assert [name for name, count in Counter(names).items() if count > 1] == []
