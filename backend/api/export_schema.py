"""Print the exported GraphQL schema: `python -m backend.api.export_schema > schema.graphql`."""

from backend.api.schema import schema


def exported_schema() -> str:
    return schema.as_str() + "\n"


if __name__ == "__main__":
    print(exported_schema(), end="")
