"""The operators list pages by offset cursors in Relay's encoding: each page's endCursor leads to the next, the last
page has none, and a cursor that is not one of ours is refused (INVALID on `after`)."""

from __future__ import annotations

import base64

from tests.conftest import graphql, login, unique_sub

PAGE = "query($after: String) { operators(first: 2, after: $after) { items { id } totalCount hasNextPage endCursor } }"


def test_an_officer_pages_through_every_operator(live_server, provider):
    officer = login(live_server, provider, unique_sub("officer"), {"customs_office": "FR000690", "name": "Agent"})
    try:
        seen: list[str] = []
        after = None
        while True:
            page = graphql(officer, PAGE, {"after": after}).json()["data"]["operators"]
            seen += [item["id"] for item in page["items"]]
            if not page["hasNextPage"]:
                assert page["endCursor"] is None
                break
            after = page["endCursor"]
            assert base64.b64decode(after).decode() == f"offset:{len(seen)}"  # the cursors clients already hold
        assert len(seen) == len(set(seen)) == page["totalCount"] > 2

        for cursor in ("pas-un-curseur", base64.b64encode(b"arrayconnection:2").decode()):
            errors = graphql(officer, PAGE, {"after": cursor}).json()["errors"]
            assert errors[0]["extensions"]["code"] == "INVALID", errors
    finally:
        officer.close()
