"""What search engines and link previews read: descriptions, JSON-LD, image URLs."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.utils.html import strip_tags
from django.utils.text import Truncator

from profiles.images import largest_fallback_name
from profiles.links import site_url
from profiles.media import media_path
from profiles.models import Profile, SocialLink

DESCRIPTION_LENGTH = 160

# What json_script escapes: "</script>" or "<!--" inside a value cannot end the block.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def page_description(profile: Profile) -> str:
    """The owner's own description, else the start of the bio as plain text."""
    if profile.meta_description:
        return profile.meta_description
    text = " ".join(strip_tags(profile.public_bio_html).split())
    if not text:
        return f"{profile.full_name}'s academic homepage."
    return Truncator(text).chars(DESCRIPTION_LENGTH)


def absolute_url(profile: Profile, path: str) -> str:
    """`path` on the site's own host; media URLs may already be absolute (a CDN)."""
    if path.startswith(("http://", "https://")):
        return path
    return site_url(profile.public_host, path)


def photo_url(profile: Profile) -> str | None:
    """The largest JPEG/PNG of the photo: what link previews can all display."""
    name = largest_fallback_name(profile.public_photo)
    return absolute_url(profile, media_path(name)) if name else None


def person_jsonld(profile: Profile, links: Iterable[SocialLink], *, description: str) -> dict:
    """schema.org Person for the about page (`description`: page_description's result)."""
    person: dict = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": profile.full_name,
        "givenName": profile.first_name,
        "url": site_url(profile.public_host),
    }
    if profile.last_name:
        person["familyName"] = profile.last_name
    if profile.middle_name:
        person["additionalName"] = profile.middle_name
    if profile.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": profile.affiliation}
    subtitle = " ".join(strip_tags(profile.subtitle_html).split())
    if subtitle:
        person["jobTitle"] = subtitle
    if description:
        person["description"] = description
    interests = [i.strip() for i in profile.research_interests.split(",") if i.strip()]
    if interests:
        person["knowsAbout"] = interests
    image = photo_url(profile)
    if image:
        person["image"] = image
    same_as = [url for link in links if (url := link.same_as_url)]
    if same_as:
        person["sameAs"] = same_as
    return person


def jsonld_script_body(data: dict) -> str:
    """JSON safe to place inside <script type="application/ld+json">."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(
        _JSON_SCRIPT_ESCAPES
    )
