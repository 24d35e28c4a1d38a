"""NUL characters in an address never reach a view (PostgreSQL cannot hold one in
text): a path holding one is a plain 400, a query is read without them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/publications/a%00b/", "/news/x%00/", "/%00"])
def test_a_nul_in_a_sites_path_is_a_plain_400(owner, site_client, path):
    response = site_client("ada").get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This address cannot be read" in page
    assert "Traceback" not in page


def test_a_nul_in_a_platform_path_is_a_plain_400(client):
    assert client.get("/dashboard/news/%00/").status_code == 400


def test_nuls_are_dropped_from_a_query(owner, client, owner_client):
    found = client.get("/directory/?q=Love%00lace")
    assert found.status_code == 200
    assert found.wsgi_request.GET["q"] == "Lovelace"
    assert "Ada" in found.content.decode()
    # The owner's own paper search and a report about a page: pages, not server errors.
    assert owner_client.get("/dashboard/publications/?q=%00engine").status_code == 200
    assert client.get("/report/?site=ada%00").status_code == 200


def test_ordinary_addresses_pass(owner, site_client, client):
    assert site_client("ada").get("/").status_code == 200
    assert client.get("/directory/?q=ada").status_code == 200
