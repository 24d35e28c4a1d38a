"""Django's file cache, remembering where each key's file is.

Every cache call turned its key into a file name afresh: the key prefixed,
validated for memcached's sake, md5-hashed and joined to the folder, which
was a quarter of a page-cache hit (bench/page_cache_hit.py). The name depends
on the key alone, so it is worked out once per key, for a bounded number of keys.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

REMEMBERED_KEYS = 50_000  # about 10 MB of names at most, per process


class FileCache(FileBasedCache):
    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._file_names: dict[tuple[str, Any], str] = {}

    def _key_to_file(self, key: str, version: Any = None) -> str:
        name = self._file_names.get((key, version))
        if name is None:
            if len(self._file_names) >= REMEMBERED_KEYS:
                self._file_names.clear()  # rare: start again rather than track use
            name = self._file_names[(key, version)] = super()._key_to_file(key, version)
        return name
