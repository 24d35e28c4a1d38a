"""Custom domains must be real host names that do not belong to the platform."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from profiles.models import CustomDomain

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("localhost", "belongs to the platform"),
        ("ada.localhost", "belongs to the platform"),
        ("127.0.0.1", "not an IP address"),
        ("https://ada.org/", "full host name"),
        ("ada.org:8080", "full host name"),
        ("nodot", "full host name"),
        ("-bad.org", "full host name"),
    ],
)
def test_a_custom_domain_that_cannot_work_is_refused_with_a_reason(owner, host, message):
    domain = CustomDomain(host=host, profile=owner)
    with pytest.raises(ValidationError) as excinfo:
        domain.full_clean()
    assert message in " ".join(excinfo.value.message_dict["host"])


def test_a_custom_domain_is_stored_lowercase_without_trailing_dot(owner):
    domain = CustomDomain.objects.create(host="WWW.Ada-Lovelace.ORG.", profile=owner)
    assert domain.host == "www.ada-lovelace.org"
    domain.full_clean()
