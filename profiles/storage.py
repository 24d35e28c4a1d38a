"""Uploads in a private S3-compatible bucket (MEDIA_STORAGE=s3), streamed by the app.

Several app servers share one bucket. Nothing about serving changes: every
file is still served by profiles.views.media on its own site's host, after
that view's checks (site published, preview token), so the bucket stays
private and no one is ever given its address.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from django.utils.timezone import make_naive
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None) -> str:
        # A bucket URL, signed or not, would skip the checks of the view that
        # serves uploads; give the address the file system storage gives
        # (which, like it, works on the file's own site's host only).
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

    def scan(self, folder: str) -> Iterator[tuple[str, int, datetime]]:
        """(name, bytes, modified) of every file under `folder`, from the listing itself.

        listdir() with size() and get_modified_time() would cost a request per
        folder and one or two per file; a listing carries both, 1,000 objects
        a request. profiles.media uses it for the quota, checked before every
        upload, and for clearing out unused editor images.
        """
        prefix = self._normalize_name(clean_name(folder))
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        paginator = self.connection.meta.client.get_paginator("list_objects")
        for page in paginator.paginate(Bucket=self.bucket_name, Prefix=prefix):
            for entry in page.get("Contents", ()):
                key = entry["Key"]
                if key.endswith("/"):
                    continue  # an empty "folder" some S3 tools create
                modified = entry["LastModified"]
                yield (
                    key[len(self.location) :].lstrip("/"),
                    entry["Size"],
                    modified if settings.USE_TZ else make_naive(modified),
                )
