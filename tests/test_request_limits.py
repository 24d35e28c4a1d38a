"""Oversized request bodies are refused from their declared length, before a byte is read."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from profiles.request_limits import DEFAULT_LIMIT, body_limit

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        pytest.fail("the oversized body was read")

    readinto = readline = read


@pytest.mark.parametrize(
    ("path", "megabytes"),
    [
        ("/dashboard/photo/", 60),
        ("/dashboard/import/", 60),
        ("/dashboard/publications/upload/", 30),
    ],
)
def test_a_body_over_what_its_page_takes_gets_a_413_unread(owner_client, path, megabytes):
    response = owner_client.post(
        path,
        data=b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(megabytes * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "This upload is too large" in html and "nothing was saved" in html
    assert response["Connection"] == "close"
    assert "Content-Security-Policy" in response


def test_each_page_takes_what_its_own_check_allows():
    assert body_limit("/dashboard/import/") > 50 * 1024 * 1024  # a 50 MB archive
    assert body_limit("/dashboard/publications/upload/") > 20 * 1024 * 1024  # 20 MB of BibTeX
    assert body_limit("/dashboard/photo/") == DEFAULT_LIMIT > 10 * 1024 * 1024  # a 10 MB photo


def test_an_upload_within_the_limit_reaches_its_form_which_says_what_is_wrong(owner_client, owner):
    fake = SimpleUploadedFile("photo.jpg", b"not an image" * 1000, content_type="image/jpeg")
    response = owner_client.post("/dashboard/photo/", {"photo": fake})
    assert response.status_code == 200  # the form's own message, not a 413
    assert "413" not in response.content.decode()
