"""Social networks: what an owner may type for each, what is stored, where it links."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from profiles.social import NETWORK_CHOICES, NETWORKS, normalize_value, profile_url

EXPECTED_ORDER = [
    "email", "scholar", "orcid", "github", "gitlab", "x", "bluesky", "mastodon", "linkedin",
    "researchgate", "semantic_scholar", "dblp", "arxiv", "openreview", "zotero", "kaggle",
    "huggingface", "youtube", "instagram", "facebook", "telegram", "wechat", "rss", "cv",
    "website", "custom",
]  # fmt: skip

SCHOLAR_URL = "https://scholar.google.com/citations?user=3udA8hkAAAAJ"

# (network, what the owner typed, stored value, public link)
ACCEPTED = [
    ("scholar", "3udA8hkAAAAJ", "3udA8hkAAAAJ", SCHOLAR_URL),
    ("scholar", SCHOLAR_URL, "3udA8hkAAAAJ", SCHOLAR_URL),
    ("scholar", "https://scholar.google.de/citations?hl=en&user=3udA8hkAAAAJ", "3udA8hkAAAAJ",
     SCHOLAR_URL),
    ("scholar", "scholar.google.co.uk/citations?user=3udA8hkAAAAJ&hl=en&oi=ao", "3udA8hkAAAAJ",
     SCHOLAR_URL),
    ("orcid", "0000-0002-1825-0097", "0000-0002-1825-0097",
     "https://orcid.org/0000-0002-1825-0097"),
    ("orcid", "  https://orcid.org/0000-0002-1825-0097/ \n", "0000-0002-1825-0097",
     "https://orcid.org/0000-0002-1825-0097"),
    ("orcid", "0000-0002-1694-233x", "0000-0002-1694-233X",
     "https://orcid.org/0000-0002-1694-233X"),
    ("orcid", "0000000218250097", "0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097"),
    ("github", "octocat", "octocat", "https://github.com/octocat"),
    ("github", "@octocat", "octocat", "https://github.com/octocat"),
    ("github", "github.com/octocat", "octocat", "https://github.com/octocat"),
    ("github", "https://www.github.com/mona-lisa-1/?tab=repositories", "mona-lisa-1",
     "https://github.com/mona-lisa-1"),
    ("gitlab", "https://gitlab.com/ada.lovelace", "ada.lovelace", "https://gitlab.com/ada.lovelace"),
    ("x", "@ada", "ada", "https://x.com/ada"),
    ("x", "https://twitter.com/ada_L", "ada_L", "https://x.com/ada_L"),
    ("x", "x.com/ada?s=21", "ada", "https://x.com/ada"),
    ("x", "mobile.twitter.com/ada", "ada", "https://x.com/ada"),
    ("bluesky", "@Ada.bsky.social", "ada.bsky.social", "https://bsky.app/profile/ada.bsky.social"),
    ("bluesky", "ada.org", "ada.org", "https://bsky.app/profile/ada.org"),
    ("bluesky", "https://bsky.app/profile/ada.bsky.social", "ada.bsky.social",
     "https://bsky.app/profile/ada.bsky.social"),
    ("mastodon", "@ada@mastodon.social", "ada@mastodon.social", "https://mastodon.social/@ada"),
    ("mastodon", "ada@Mastodon.Social", "ada@mastodon.social", "https://mastodon.social/@ada"),
    ("mastodon", "https://fosstodon.org/@ada/", "ada@fosstodon.org", "https://fosstodon.org/@ada"),
    ("mastodon", "fosstodon.org/@ada", "ada@fosstodon.org", "https://fosstodon.org/@ada"),
    ("linkedin", "ada-lovelace", "ada-lovelace", "https://www.linkedin.com/in/ada-lovelace"),
    ("linkedin", "https://de.linkedin.com/in/ada-lovelace-123/", "ada-lovelace-123",
     "https://www.linkedin.com/in/ada-lovelace-123"),
    ("linkedin", "linkedin.com/in/j%C3%BCrgen-m%C3%BCller", "jürgen-müller",
     "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller"),
    ("researchgate", "https://www.researchgate.net/profile/Ru-Peng-3", "Ru-Peng-3",
     "https://www.researchgate.net/profile/Ru-Peng-3"),
    ("semantic_scholar", "https://www.semanticscholar.org/author/Ru-Peng/1741101", "1741101",
     "https://www.semanticscholar.org/author/1741101"),
    ("semantic_scholar", "semanticscholar.org/author/1741101", "1741101",
     "https://www.semanticscholar.org/author/1741101"),
    ("dblp", "12/3456", "12/3456", "https://dblp.org/pid/12/3456.html"),
    ("dblp", "https://dblp.org/pid/123/4567-1.html", "123/4567-1",
     "https://dblp.org/pid/123/4567-1.html"),
    ("dblp", "dblp.uni-trier.de/pid/h/JohnDoe", "h/JohnDoe", "https://dblp.org/pid/h/JohnDoe.html"),
    ("arxiv", "peng_r_1", "peng_r_1", "https://arxiv.org/a/peng_r_1"),
    ("arxiv", "https://arxiv.org/a/peng_r_1.html", "peng_r_1", "https://arxiv.org/a/peng_r_1"),
    ("openreview", "~Ru_Peng1", "~Ru_Peng1", "https://openreview.net/profile?id=~Ru_Peng1"),
    ("openreview", "Ru_Peng1", "~Ru_Peng1", "https://openreview.net/profile?id=~Ru_Peng1"),
    ("openreview", "https://openreview.net/profile?id=%7ERu_Peng1", "~Ru_Peng1",
     "https://openreview.net/profile?id=~Ru_Peng1"),
    ("zotero", "zotero.org/ada_lovelace", "ada_lovelace", "https://www.zotero.org/ada_lovelace"),
    ("kaggle", "https://www.kaggle.com/adalovelace", "adalovelace",
     "https://www.kaggle.com/adalovelace"),
    ("huggingface", "https://huggingface.co/ada", "ada", "https://huggingface.co/ada"),
    ("youtube", "@ada", "@ada", "https://www.youtube.com/@ada"),
    ("youtube", "ada", "@ada", "https://www.youtube.com/@ada"),
    ("youtube", "https://m.youtube.com/@ada/videos", "@ada", "https://www.youtube.com/@ada"),
    ("youtube", "youtube.com/channel/UCa1b2c3d4e5f6g7h8i9j0kL", "UCa1b2c3d4e5f6g7h8i9j0kL",
     "https://www.youtube.com/channel/UCa1b2c3d4e5f6g7h8i9j0kL"),
    ("instagram", "instagram.com/ada.lovelace/", "ada.lovelace",
     "https://www.instagram.com/ada.lovelace"),
    ("facebook", "https://www.facebook.com/ada.lovelace", "ada.lovelace",
     "https://www.facebook.com/ada.lovelace"),
    ("facebook", "https://m.facebook.com/profile.php?id=100012345678901", "100012345678901",
     "https://www.facebook.com/profile.php?id=100012345678901"),
    ("telegram", "@ada_lovelace", "ada_lovelace", "https://t.me/ada_lovelace"),
    ("telegram", "https://telegram.me/ada_lovelace", "ada_lovelace", "https://t.me/ada_lovelace"),
    ("website", " https://example.org/~ada ", "https://example.org/~ada",
     "https://example.org/~ada"),
    ("cv", "http://example.org/cv.pdf", "http://example.org/cv.pdf", "http://example.org/cv.pdf"),
    ("custom", "https://example.org/lab?tab=people", "https://example.org/lab?tab=people",
     "https://example.org/lab?tab=people"),
]  # fmt: skip

# (network, what the owner typed, part of the message)
REFUSED = [
    ("scholar", "3udA8hkAAAA", "12 characters after user="),
    ("scholar", "https://scholar.google.com/citations?view_op=search_authors", "has no user="),
    ("orcid", "0000-0002-1825-0098", "looks mistyped"),
    ("orcid", "0000-0002-1825", "16 digits"),
    ("orcid", "https://github.com/octocat", "this field is for ORCID"),
    ("github", "https://github.com/octocat/hello-world", "not to your profile"),
    ("github", "-octocat", "start or end with a hyphen"),
    ("github", "a" * 40, "up to 39"),
    ("github", "https://example.org/octocat", "not on GitHub"),
    ("github", "ftp://github.com/octocat", "https://"),
    ("gitlab", "a", "2 to 255"),
    ("x", "ada lovelace", "up to 15"),
    ("x", "https://x.com/ada/status/123", "not to your profile"),
    ("bluesky", "ada", "ada.bsky.social"),
    ("bluesky", "https://bsky.app/profile/ada.bsky.social/post/3k", "not to your profile"),
    ("mastodon", "@ada", "your username and your server"),
    ("mastodon", "https://fosstodon.org/@ada/111", "not to your profile"),
    ("mastodon", "https://github.com/@ada", "this field is for Mastodon"),
    ("linkedin", "https://www.linkedin.com/company/acme", "/in/"),
    ("linkedin", "ad", "after /in/"),
    ("researchgate", "Ru Peng", "after /profile/"),
    ("semantic_scholar", "Ru-Peng", "number at the end"),
    ("dblp", "https://dblp.org/search?q=Peng", "/pid/"),
    ("dblp", "Ru Peng", "part after /pid/"),
    ("arxiv", "https://arxiv.org/abs/2101.00001", "not to your profile"),
    ("arxiv", "peng-r-1", "lowercase letters, digits and underscores"),
    ("openreview", "https://openreview.net/forum?id=abc", "?id="),
    ("openreview", "~Ru Peng", "like ~Ru_Peng1"),
    ("zotero", "zotero.org/ada/items/ABC", "not to your profile"),
    ("kaggle", "ada!", "letters, digits, hyphens or underscores"),
    ("huggingface", "https://huggingface.co/ada/my-model", "not to your profile"),
    ("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "channel ID starting with UC"),
    ("youtube", "@a", "handle like @ada"),
    ("instagram", "https://www.instagram.com/p/C0ffee/", "not to your profile"),
    ("facebook", "ada", "at least 5"),
    ("telegram", "@ada", "5 to 32"),
    ("email", "ada@", "Enter an email address"),
    ("email", "ada lovelace@example.org", "Enter an email address"),
    ("website", "example.org", "starting with https://"),
    ("website", "javascript:alert(1)", "starting with https://"),
    ("custom", "JavaScript:alert(document.cookie)", "starting with https://"),
    ("cv", "javascript:alert(1)", "starting with https://"),
    ("custom", "data:text/html,<script>alert(1)</script>", "starting with https://"),
    ("website", "ftp://example.org/", "starting with https://"),
    ("wechat", "x" * 101, "at most 100"),
]


def test_the_networks_come_in_al_folio_order():
    assert list(NETWORKS) == EXPECTED_ORDER
    assert [key for key, _ in NETWORK_CHOICES] == EXPECTED_ORDER


def test_every_choice_has_a_label_and_every_network_tells_the_owner_what_to_type():
    for key, label in NETWORK_CHOICES:
        assert label == NETWORKS[key].label != ""
        assert NETWORKS[key].help_text.endswith(".")
        assert NETWORKS[key].icon.split(":")[0] in {"fa-solid", "fa-brands", "ai", "emoji"}


@pytest.mark.parametrize(("key", "raw", "stored", "url"), ACCEPTED)
def test_an_id_or_profile_address_is_stored_canonically_and_links_to_the_profile(
    key, raw, stored, url
):
    assert normalize_value(key, raw) == stored
    assert profile_url(key, stored) == url


def test_every_id_network_has_an_accepted_example():
    id_networks = {key for key, network in NETWORKS.items() if network.kind == "id"}
    assert id_networks <= {key for key, *_ in ACCEPTED}


def test_every_id_network_has_a_refused_example():
    id_networks = {key for key, network in NETWORKS.items() if network.kind == "id"}
    assert id_networks <= {key for key, *_ in REFUSED}


@pytest.mark.parametrize(("key", "raw", "message"), REFUSED)
def test_a_value_that_does_not_fit_is_refused_with_a_message_saying_what_fits(key, raw, message):
    with pytest.raises(ValidationError) as caught:
        normalize_value(key, raw)
    assert message in caught.value.messages[0]


def test_a_github_address_in_the_orcid_field_names_both_networks():
    with pytest.raises(ValidationError) as caught:
        normalize_value("orcid", "github.com/octocat")
    assert "That is a GitHub address, but this field is for ORCID" in caught.value.messages[0]


@pytest.mark.parametrize("key", ["scholar", "github", "orcid", "mastodon", "website", "custom"])
def test_an_empty_value_is_refused_where_it_would_make_no_link(key):
    with pytest.raises(ValidationError):
        normalize_value(key, "   ")


def test_an_email_address_is_kept_as_typed_without_the_surrounding_spaces():
    assert normalize_value("email", "  Ada.Lovelace@example.org\n") == "Ada.Lovelace@example.org"


def test_the_feed_stores_nothing_and_wechat_stores_its_optional_id():
    assert normalize_value("rss", "anything at all") == ""
    assert normalize_value("wechat", "  ada_lovelace ") == "ada_lovelace"
    assert normalize_value("wechat", "") == ""


def test_a_cv_may_be_left_empty_because_the_uploaded_pdf_is_the_link():
    assert normalize_value("cv", "  ") == ""


NOT_FROM_VALUE = [("email", "ada@example.org"), ("rss", ""), ("wechat", "ada")]


@pytest.mark.parametrize(("key", "value"), NOT_FROM_VALUE)
def test_profile_url_refuses_networks_whose_link_is_not_made_from_the_value(key, value):
    with pytest.raises(ValueError, match="not made from the stored value"):
        profile_url(key, value)


@pytest.mark.parametrize("key", ["website", "cv", "custom"])
def test_profile_url_never_turns_a_stored_javascript_url_into_a_link(key):
    with pytest.raises(ValueError, match="not an http"):
        profile_url(key, "javascript:alert(1)")


# --- Addresses that disguise themselves (issue 6, item 16) -------------------------


@pytest.mark.parametrize(
    "value",
    [
        "https://user:pass@example.org/",
        "https://google.com@evil.example/",
        "https://user@example.org/",
    ],
)
@pytest.mark.parametrize("network", ["website", "cv", "custom"])
def test_web_addresses_with_credentials_are_refused(network, value):
    with pytest.raises(ValidationError) as raised:
        normalize_value(network, value)
    assert "user name or password" in raised.value.messages[0]


@pytest.mark.parametrize(
    "value",
    [
        "https://example.org/\u202egpj.exe",  # right-to-left override
        "https://exam\u200bple.org/",  # zero-width space
        "https://example.org/\u2066x",  # left-to-right isolate
        "https://example.org/\x07",  # a control character
    ],
)
def test_web_addresses_with_invisible_or_direction_changing_characters_are_refused(value):
    with pytest.raises(ValidationError) as raised:
        normalize_value("website", value)
    assert "invisible or direction-changing" in raised.value.messages[0]


def test_an_id_with_a_right_to_left_override_is_refused():
    with pytest.raises(ValidationError):
        normalize_value("github", "octo\u202ecat")


def test_an_emoji_sequence_is_still_fine_in_the_wechat_note():
    assert normalize_value("wechat", "scan me 👩\u200d🔬") == "scan me 👩\u200d🔬"
