"""An address holding a NUL character is a 400 at the door, on every host, before any
view hands it to the database (PostgreSQL cannot hold one in text)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/publications/a%00b/", "/news/x%00/", "/?q=%00", "/publications/?a=1%00"],
)
def test_a_nul_in_a_sites_address_is_a_plain_400(owner, site_client, path):
    response = site_client("ada").get(path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This address cannot be read" in page
    assert "Traceback" not in page


@pytest.mark.parametrize(
    "path",
    ["/directory/?q=ada%00", "/accounts/login/?next=%2Fdashboard%2F%00", "/report/?page=%00"],
)
def test_a_nul_in_a_platform_address_is_a_plain_400(client, path):
    assert client.get(path).status_code == 400


def test_ordinary_addresses_pass(owner, site_client, client):
    assert site_client("ada").get("/").status_code == 200
    assert client.get("/directory/?q=ada").status_code == 200
