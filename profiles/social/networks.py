"""The registry: every network a researcher can list, in al-folio's icon order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Network:
    """One network. `kind` says what the owner gives:

    "id"     an ID or handle, or a profile address it is read from
    "url"    a full http(s) address
    "email"  an email address
    "file"   an uploaded file is the link (WeChat's QR code); the value is optional text
    "feed"   the site's own feed; there is no value
    "cv"     an uploaded PDF, or an http(s) address
    "custom" an http(s) address; the title and icon are stored elsewhere
    """

    key: str
    label: str
    icon: str  # "fa-solid:NAME", "fa-brands:NAME", "ai:NAME" or "emoji:CHAR" (profiles.icons)
    kind: str
    placeholder: str
    help_text: str


KINDS = ("id", "url", "email", "file", "feed", "cv", "custom")
WEB_KINDS = frozenset({"url", "cv", "custom"})
FILE_TEXT_MAX_LENGTH = 100

_NETWORK_LIST = [
    Network(
        "email", "Email", "fa-solid:envelope", "email", "ada@example.org",
        "The address visitors can write to you at.",
    ),
    Network(
        "scholar", "Google Scholar", "ai:google-scholar", "id",
        "3udA8hkAAAAJ or https://scholar.google.com/citations?user=3udA8hkAAAAJ",
        "Open your Google Scholar profile and paste its address from the browser.",
    ),
    Network(
        "orcid", "ORCID", "ai:orcid", "id",
        "0000-0002-1825-0097 or https://orcid.org/0000-0002-1825-0097",
        "Your 16-digit ORCID iD, as shown at the top of your ORCID record.",
    ),
    Network(
        "github", "GitHub", "fa-brands:github", "id",
        "octocat or https://github.com/octocat",
        "Your GitHub username, or the address of your GitHub profile page.",
    ),
    Network(
        "gitlab", "GitLab", "fa-brands:gitlab", "id",
        "ada.lovelace or https://gitlab.com/ada.lovelace",
        "Your GitLab username, or the address of your GitLab profile page.",
    ),
    Network(
        "x", "X (Twitter)", "fa-brands:x-twitter", "id",
        "@ada or https://x.com/ada",
        "Your X (Twitter) username, with or without the @.",
    ),
    Network(
        "bluesky", "Bluesky", "fa-brands:bluesky", "id",
        "ada.bsky.social or https://bsky.app/profile/ada.bsky.social",
        "Your full Bluesky handle, such as ada.bsky.social, or your profile address.",
    ),
    Network(
        "mastodon", "Mastodon", "fa-brands:mastodon", "id",
        "@ada@mastodon.social or https://mastodon.social/@ada",
        "Your username together with your server, or the address of your profile.",
    ),
    Network(
        "linkedin", "LinkedIn", "fa-brands:linkedin", "id",
        "ada-lovelace or https://www.linkedin.com/in/ada-lovelace",
        "Open your LinkedIn profile and paste its address from the browser.",
    ),
    Network(
        "researchgate", "ResearchGate", "ai:researchgate", "id",
        "Ru-Peng-3 or https://www.researchgate.net/profile/Ru-Peng-3",
        "Open your ResearchGate profile and paste its address from the browser.",
    ),
    Network(
        "semantic_scholar", "Semantic Scholar", "ai:semantic-scholar", "id",
        "1741101 or https://www.semanticscholar.org/author/1741101",
        "Open your Semantic Scholar author page and paste its address from the browser.",
    ),
    Network(
        "dblp", "DBLP", "ai:dblp", "id",
        "12/3456 or https://dblp.org/pid/12/3456.html",
        "Open your DBLP page and paste its address from the browser.",
    ),
    Network(
        "arxiv", "arXiv", "ai:arxiv", "id",
        "peng_r_1 or https://arxiv.org/a/peng_r_1",
        "Your arXiv author ID, shown on your arXiv author page.",
    ),
    # Academicons 1.9.5 (its latest release) has no OpenReview icon.
    Network(
        "openreview", "OpenReview", "fa-solid:file-pen", "id",
        "~Ru_Peng1 or https://openreview.net/profile?id=~Ru_Peng1",
        "Open your OpenReview profile and paste its address from the browser.",
    ),
    Network(
        "zotero", "Zotero", "ai:zotero", "id",
        "ada_lovelace or https://www.zotero.org/ada_lovelace",
        "Your Zotero username, or the address of your Zotero profile.",
    ),
    Network(
        "kaggle", "Kaggle", "fa-brands:kaggle", "id",
        "adalovelace or https://www.kaggle.com/adalovelace",
        "Your Kaggle username, or the address of your Kaggle profile.",
    ),
    Network(
        "huggingface", "Hugging Face", "emoji:🤗", "id",
        "ada or https://huggingface.co/ada",
        "Your Hugging Face username, or the address of your Hugging Face profile.",
    ),
    Network(
        "youtube", "YouTube", "fa-brands:youtube", "id",
        "@ada or https://www.youtube.com/@ada",
        "Your channel's handle (it starts with @), or your channel's address.",
    ),
    Network(
        "instagram", "Instagram", "fa-brands:instagram", "id",
        "ada.lovelace or https://www.instagram.com/ada.lovelace",
        "Your Instagram username, or the address of your Instagram profile.",
    ),
    Network(
        "facebook", "Facebook", "fa-brands:facebook", "id",
        "ada.lovelace or https://www.facebook.com/ada.lovelace",
        "Open your Facebook profile and paste its address from the browser.",
    ),
    Network(
        "telegram", "Telegram", "fa-brands:telegram", "id",
        "@ada_lovelace or https://t.me/ada_lovelace",
        "Your Telegram username, with or without the @.",
    ),
    Network(
        "wechat", "WeChat", "fa-brands:weixin", "file", "ada_lovelace",
        "Upload the QR code from your WeChat profile; you may also add your WeChat ID.",
    ),
    Network(
        "rss", "RSS", "fa-solid:square-rss", "feed", "",
        "Links to your site's own news feed; there is nothing to type.",
    ),
    Network(
        "cv", "CV", "ai:cv", "cv", "https://example.org/cv.pdf",
        "Upload your CV as a PDF, or give the full address where it is kept.",
    ),
    Network(
        "website", "Website", "fa-solid:globe", "url", "https://example.org",
        "The full address of another website of yours, starting with https://.",
    ),
    Network(
        "custom", "Custom link", "fa-solid:link", "custom", "https://example.org/my-page",
        "Any other link: its full address starting with https://, a title and an icon.",
    ),
]  # fmt: skip

NETWORKS: dict[str, Network] = {network.key: network for network in _NETWORK_LIST}
NETWORK_CHOICES: list[tuple[str, str]] = [(n.key, n.label) for n in NETWORKS.values()]
