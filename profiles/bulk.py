"""Many published sites at once, for benchmarks and load tests: `seed_sites()`.

`manage.py seed_sites --count 10000` makes 10,000 sites in seconds, where
sign-up's path (one save per row, each rendering its markup) would take
minutes. Rows go in with `bulk_create`, in batches, in one transaction, so
the number of queries depends on the batches, not on the sites. What `save()`
would have stored is stored: every rendered field comes from the model's
own renderers (`RENDERED_FIELDS`, `Publication.render`, `render_markdown`)
and `search_text` from `profile_search_text`; since many sites share a text,
each distinct text is rendered once and its HTML reused.

Seeded accounts are marked by their address, `<slug>@seed.invalid` (RFC 2606:
`.invalid` never resolves, so no mail can go out and nobody can confirm one),
and have unusable passwords. A prefix that any site, account or reserved
former address already uses is refused: nothing that exists is ever touched.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from news.models import NewsItem
from profiles import former_slugs, tenancy
from profiles.markup import render_markdown
from profiles.models import RENDERED_FIELDS, Profile, SlugHistory, User
from profiles.search import profile_search_text
from profiles.slugs import slug_problem
from publications.models import Publication
from publications.selectors import bump_people_version
from publications.services import entry_from_bibtex, entry_values

SEED_EMAIL_DOMAIN = "seed.invalid"
# Rows per INSERT; Django lowers it where the database takes fewer parameters (SQLite: 999).
BATCH_SIZE = 1000
MAX_COUNT = 100_000
# One site in PAPERS_EVERY gets the papers and news below; the others have a bio only.
PAPERS_EVERY = 5

FIRST_NAMES = (
    "Ada", "Amara", "Ana", "Björn", "Chen", "Chiara", "Dmitri", "Elif", "Émilie", "Fatima",
    "Gabriel", "Hana", "Ibrahim", "Ingrid", "Javier", "Jiho", "Kofi", "Kwame", "Lars",
    "Lucía", "Łukasz", "Marta", "Mateo", "Mei", "Nadia", "Nikhil", "Noor", "Oksana", "Olu",
    "Pedro", "Priya", "Rafael", "Sakura", "Søren", "Tomás", "Uma", "Valentina", "Wei",
    "Yusuf", "Zoë",
)  # fmt: skip
LAST_NAMES = (
    "Abebe", "Andersson", "Bianchi", "Chen", "Cohen", "Costa", "Dubois", "Fernández",
    "García", "Haddad", "Hansen", "Horvat", "Ivanova", "Jovanović", "Kaur", "Kim",
    "Kowalski", "Larsen", "Lindqvist", "Mensah", "Moreau", "Müller", "Nakamura", "Nguyen",
    "Novak", "O'Brien", "Okafor", "Øverland", "Patel", "Petrov", "Popescu", "Ramos",
    "Rossi", "Sato", "Schmidt", "Silva", "Svensson", "Tanaka", "Walsh", "Yilmaz",
)  # fmt: skip
AFFILIATIONS = (
    "Universität Göttingen", "Université de Lyon", "Universidad de Chile", "ETH Zürich",
    "KTH Royal Institute of Technology", "University of Oslo", "University of Nairobi",
    "Kyoto University", "Seoul National University", "University of Toronto",
    "Universidade de São Paulo", "Jagiellonian University", "University of Cape Town",
    "Indian Institute of Science", "University of Melbourne", "Tsinghua University",
    "Sorbonne Université", "University of Edinburgh", "Technion", "Aarhus University",
    "University of Helsinki", "Politecnico di Milano", "Boğaziçi University",
    "University of Ghana", "McGill University", "University of Auckland",
    "Universidad Nacional Autónoma de México", "Charles University", "TU Delft",
    "University of Iceland",
)  # fmt: skip
TOPICS = (
    "ecology", "machine learning", "glaciology", "remote sensing", "number theory",
    "algebraic geometry", "computational linguistics", "protein folding", "epidemiology",
    "quantum information", "fluid dynamics", "urban economics", "medieval history",
    "cognitive science", "materials science", "marine biology", "cryptography",
    "developmental psychology", "climate modelling", "particle physics", "robotics",
    "soil science", "neuroscience", "graph theory", "hydrology", "astrochemistry",
    "public health", "philosophy of science", "computer vision", "volcanology",
    "microbiology", "econometrics", "ethnomusicology", "optimization", "genomics",
    "seismology", "human-computer interaction", "archaeology", "plasma physics",
    "sociolinguistics",
)  # fmt: skip
POSITIONS = (
    "Professor", "Associate Professor", "Assistant Professor", "Postdoctoral Researcher",
    "PhD Student", "Research Scientist",
)  # fmt: skip

# A few bios of a realistic length: each is rendered once, whatever the number of sites.
BIOS = tuple(
    f"""I am a researcher working on **{topic}** and its neighbours. My group builds
[open tools](https://example.org/tools) and shares its data; see the
[lab page](https://example.org/lab) for current projects.

Before this I studied {other} and spent a year in industry, which still shapes
how I pick problems: *does it help someone measure something better?*

- Teaching: an introductory course and a graduate seminar every year.
- Service: reviewer for several journals; co-organiser of a yearly workshop.

If you are a student interested in $E = mc^2$-style back-of-envelope models,
write to me. :smile:
"""
    for topic, other in (
        ("field measurements", "mathematics"),
        ("models that explain data", "physics"),
        ("reproducible methods", "computer science"),
        ("long-term records", "history"),
    )
)
MORE_INFO = "Office 3.14\nExample Street 1\n0000 Example City"
CONTACT_NOTE = "E-mail is the best way to reach me; I answer within a week."

PAPERS_BIBTEX = (
    r"""@article{seed2024a,
  title = {Measuring what matters: a field guide to {$\mu$}-scale effects},
  author = {Lovelace, Ada and Hopper, Grace M. and Noether, Emmy},
  journal = {Journal of Examples},
  volume = {12}, number = {3}, pages = {45--67}, year = {2024},
  abstract = {We measure small things carefully and report what we find.},
  abbr = {JEx}, selected = {true}, bibtex_show = {true}, doi = {10.5555/seed.2024a}
}""",
    r"""@inproceedings{seed2023b,
  title = {Fast Methods for Slow Problems},
  author = {Turing, Alan and Lovelace, Ada},
  booktitle = {Proceedings of the Example Conference},
  pages = {1--10}, year = {2023}, abbr = {ExC}, arxiv = {2399.99999}
}""",
    r"""@book{seed2022c,
  title = {An Introduction to Everything},
  author = {Lovelace, Ada},
  publisher = {Example University Press}, year = {2022}
}""",
)
NEWS = (
    {"inline": True, "title": "", "slug": "", "content": "Our workshop paper was accepted. :tada:"},
    {
        "inline": False,
        "title": "A new project starts",
        "slug": "a-new-project-starts",
        "content": "We start a **three-year project** with partners from "
        "[four countries](https://example.org/project).\n\nMore soon.",
    },
)


class SeedRefused(Exception):
    """The prefix is taken, or the request is not one we make sites for; nothing was written."""


@dataclass
class SeedReport:
    prefix: str
    sites: int = 0
    publications: int = 0
    news: int = 0
    slugs: list[str] = field(default_factory=list, repr=False)

    @property
    def first_slug(self) -> str:
        return self.slugs[0] if self.slugs else ""

    @property
    def last_slug(self) -> str:
        return self.slugs[-1] if self.slugs else ""


class _RenderedOnce:
    """Renders each (renderer, text) once: thousands of sites share a few texts."""

    def __init__(self) -> None:
        self._html: dict[tuple[Callable[[str], str], str], str] = {}

    def __call__(self, render: Callable[[str], str], text: str) -> str:
        key = (render, text)
        if key not in self._html:
            self._html[key] = render(text)
        return self._html[key]


def seed_slugs(prefix: str, count: int) -> list[str]:
    """`<prefix>-00001` ... : zero-padded so that they sort, at least five digits."""
    width = max(5, len(str(count)))
    return [f"{prefix}-{n:0{width}d}" for n in range(1, count + 1)]


def seed_email(slug: str) -> str:
    return f"{slug}@{SEED_EMAIL_DOMAIN}"


def check_prefix(prefix: str, count: int) -> list[str]:
    """The slugs `count` sites under `prefix` would take; raises SeedRefused if any is not free.

    Three queries: sites, accounts and reserved former addresses under the prefix.
    """
    if not 1 <= count <= MAX_COUNT:
        raise SeedRefused(f"Choose a count from 1 to {MAX_COUNT:,}.")
    slugs = seed_slugs(prefix, count)
    for slug in (slugs[0], slugs[-1]):  # the others differ only in their digits
        problem = slug_problem(slug)
        if problem:
            raise SeedRefused(f"The prefix {prefix!r} makes addresses like {slug!r}: {problem}")
    start = f"{prefix}-"
    sites = Profile.objects.filter(slug__startswith=start).count()
    if sites:
        raise SeedRefused(
            f"{sites:,} site(s) already have addresses starting with {start!r}; "
            "choose another --prefix (existing sites are never touched)."
        )
    accounts = User.objects.filter(
        email__istartswith=start, email__iendswith=f"@{SEED_EMAIL_DOMAIN}"
    ).count()
    if accounts:
        raise SeedRefused(
            f"{accounts:,} account(s) like {seed_email(slugs[0])!r} already exist; "
            "choose another --prefix."
        )
    reserved = SlugHistory.objects.filter(
        slug__startswith=start, changed_at__gt=former_slugs.cutoff()
    ).count()
    if reserved:
        raise SeedRefused(
            f"{reserved:,} former address(es) starting with {start!r} are reserved for "
            "renamed sites; choose another --prefix."
        )
    return slugs


def _template_publications() -> list[dict]:
    """The papers every site with papers gets: parsed and rendered once, as field values."""
    papers = []
    for position, text in enumerate(PAPERS_BIBTEX):
        values, _warnings = entry_values(entry_from_bibtex(text))
        publication = Publication(**{**values, "position": position})
        publication.render()  # what Publication.save() stores
        papers.append(
            {
                f.attname: getattr(publication, f.attname)
                for f in Publication._meta.concrete_fields
                if f.attname not in {"id", "profile_id", "created_at", "updated_at"}
            }
        )
    return papers


def _profile(slug: str, owner: User, rng: random.Random, rendered: _RenderedOnce) -> Profile:
    affiliation = rng.choice(AFFILIATIONS)
    profile = Profile(
        owner=owner,
        slug=slug,
        status=Profile.Status.PUBLISHED,
        first_name=rng.choice(FIRST_NAMES),
        middle_name=rng.choice(("", "", "", "", "K.", "M.")),
        last_name=rng.choice(LAST_NAMES),
        subtitle=f"{rng.choice(POSITIONS)}, {affiliation}",
        affiliation=affiliation,
        research_interests=", ".join(rng.sample(TOPICS, rng.randint(2, 3))),
        bio=rng.choice(BIOS),
        more_info=MORE_INFO,
        contact_note=CONTACT_NOTE,
    )
    # What Profile.save() fills in, from the same functions (it is never called here).
    profile.search_text = profile_search_text(profile)
    for source, (target, render) in RENDERED_FIELDS.items():
        setattr(profile, target, rendered(render, getattr(profile, source)))
    return profile


@transaction.atomic
def seed_sites(
    *, count: int, prefix: str = "bench", seed: int = 0, batch_size: int = BATCH_SIZE
) -> SeedReport:
    """Create `count` published sites `<prefix>-00001`... with their accounts, in one transaction.

    One site in PAPERS_EVERY also gets three papers and two news items. Raises
    SeedRefused, writing nothing, when the prefix is taken (check_prefix).
    Queries: the three checks, then one INSERT per batch of accounts, sites,
    papers and news items; no query per site.
    """
    prefix = prefix.strip().lower()
    slugs = check_prefix(prefix, count)
    rng = random.Random(f"{prefix}:{seed}")  # noqa: S311 (sample data, reproducible)
    rendered = _RenderedOnce()
    # One unusable password for all: make_password(None) gives a random "!..." value,
    # which no password matches; the hashing cost of a real one is what we avoid.
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(email=seed_email(slug), password=unusable, email_confirmed=True) for slug in slugs],
        batch_size=batch_size,
    )
    profiles = Profile.objects.bulk_create(
        [_profile(slug, user, rng, rendered) for slug, user in zip(slugs, users, strict=True)],
        batch_size=batch_size,
    )

    with_papers = profiles[::PAPERS_EVERY]
    papers = _template_publications()
    Publication.objects.bulk_create(
        [Publication(profile=p, **values) for p in with_papers for values in papers],
        batch_size=batch_size,
    )
    now = timezone.now()
    news = [
        NewsItem(
            profile=profile,
            date=now - timedelta(days=7 + 30 * n + rng.randint(0, 20)),
            content_html=rendered(render_markdown, item["content"]),  # NewsItem.save() does so
            **item,
        )
        for profile in with_papers
        for n, item in enumerate(NEWS)
    ]
    NewsItem.objects.bulk_create(news, batch_size=batch_size)

    # bulk_create sends no signals: do what they would, once the rows are there.
    # A host asked for before it existed is cached as "no site"; and new names
    # change other sites' co-author links (which bumps every cached page).
    hosts = {profile.host for profile in profiles}
    transaction.on_commit(lambda: tenancy.forget_hosts(hosts))
    transaction.on_commit(bump_people_version)
    return SeedReport(
        prefix=prefix,
        sites=len(profiles),
        publications=len(with_papers) * len(papers),
        news=len(news),
        slugs=slugs,
    )
