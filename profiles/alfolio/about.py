"""Reading al-folio's about page (`_pages/about.md`) into Profile fields.

The whole-site importer builds on this; it already knows the keys of every
al-folio generation seen in real sites: `image_circular` and the older
misspelt `image_cicular`, `more_info` and the older `address`, a boolean
`news` or an `announcements` block.
"""

from __future__ import annotations

from typing import Any

import yaml

from profiles.alfolio.config import without_nul


class FrontMatterError(ValueError):
    """The front matter is not valid YAML; the message says where."""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a Jekyll page; a page without `---` has no front matter."""
    # A NUL is no character of a page, and PostgreSQL cannot store one (profiles.alfolio.config).
    text = text.lstrip("\ufeff").replace("\x00", "\ufffd")
    if not text.startswith("---"):
        return {}, text
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        return {}, text
    header, body = parts
    try:
        meta = without_nul(yaml.safe_load(header[3:]) or {})  # "\0" escapes
    except yaml.YAMLError as error:
        raise FrontMatterError(f"The front matter is not valid YAML: {error}") from None
    if not isinstance(meta, dict):
        raise FrontMatterError("The front matter must be a YAML mapping (key: value lines).")
    return meta, body.split("\n", 1)[1] if "\n" in body else ""


def about_page_fields(meta: dict[str, Any], body: str) -> dict[str, Any]:
    """Profile field values for an about page's front matter and Markdown body."""
    profile = meta.get("profile") or {}
    fields: dict[str, Any] = {"bio": body.strip("\n")}
    if meta.get("subtitle"):
        fields["subtitle"] = str(meta["subtitle"]).strip()
    align = str(profile.get("align") or "right").lower()
    fields["photo_align"] = "left" if align.startswith("left") else "right"
    circular = profile.get("image_circular", profile.get("image_cicular", False))
    fields["photo_shape"] = "circular" if circular is True else "rounded"
    more_info = profile.get("more_info") or profile.get("address")
    if more_info:
        fields["more_info"] = str(more_info).strip()

    announcements = meta.get("announcements")
    if isinstance(announcements, dict):
        fields["show_announcements"] = bool(announcements.get("enabled", False))
        fields["announcements_scrollable"] = bool(announcements.get("scrollable", True))
        limit = announcements.get("limit")
        fields["announcements_limit"] = limit if isinstance(limit, int) and limit > 0 else None
    elif "news" in meta:
        fields["show_announcements"] = bool(meta["news"])
    if "selected_papers" in meta:
        fields["show_selected_papers"] = bool(meta["selected_papers"])
    if "social" in meta:
        fields["show_social"] = bool(meta["social"])
    if meta.get("description"):
        fields["meta_description"] = str(meta["description"]).strip()[:300]
    return fields
