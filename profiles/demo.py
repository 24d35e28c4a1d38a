"""Two fictional researchers for a fresh checkout. Any likeness is accidental.

Their portraits are drawn at load time (profiles.management.commands.load_demo),
so no photograph of anyone is in the repository.
"""

from __future__ import annotations

# Development only (load_demo sets it when DEBUG is on), so a newcomer can try
# the dashboard as a demo researcher.
DEMO_PASSWORD = "multifolio-demo"  # noqa: S105

DEMO_RESEARCHERS = [
    {
        "email": "amara.okafor@example.org",
        "slug": "amara",
        "first_name": "Amara",
        "middle_name": "N.",
        "last_name": "Okafor",
        "subtitle": "Assistant Professor, <a href='https://example.org/northbridge'>University of "
        "Northbridge</a>",
        "affiliation": "University of Northbridge",
        "research_interests": "computational ecology, freshwater food webs, time series",
        "more_info": (
            "<p>Room 2.14, Kelvin Building</p>\n<p>1 River Walk</p>\n<p>Northbridge NB1 4QT</p>"
        ),
        "photo_align": "right",
        "photo_shape": "rounded",
        "contact_note": "The quickest way to reach me is e-mail; I answer within two days.",
        "accent_color": "#0b7a75",
        "links": [
            ("email", "amara.okafor@example.org"),
            ("scholar", "AbCdEfGhIjAJ"),
            ("orcid", "0000-0002-1825-0097"),
            ("github", "amara-okafor-demo"),
            ("bluesky", "amara-demo.bsky.social"),
            ("website", "https://example.org/riverine"),
            ("rss", ""),
        ],
        "portrait": ("#0b7a75", "#9be3d7"),
        "bio": """\
I am an assistant professor of **computational ecology** at the
[University of Northbridge](https://example.org/northbridge), where I lead the
[Riverine Systems Lab](https://example.org/riverine). We build models of how
freshwater food webs respond to drought, and we test them with ten years of
sensor data from the Aln river basin.

Before Northbridge I was a postdoc at the [Institute for Quantitative
Biology](https://example.org/iqb) and did my PhD on stochastic population
models.

<span style="background-color: #F9EAFB">I am recruiting two PhD students for
autumn: get in touch if rivers, ODEs or field work excite you.</span>

<i class="ai ai-google-scholar"></i> [Google Scholar](https://example.org/scholar/amara)
&nbsp;&nbsp; <i class="fa-brands fa-github"></i> [GitHub](https://example.org/code/amara)

<details><summary>Teaching this year</summary>

- ECO 214, Population dynamics (autumn)
- ECO 512, Inference for ecological time series (spring)

</details>
""",
    },
    {
        "email": "tomas.reyes@example.org",
        "slug": "treyes",
        "first_name": "Tomás",
        "middle_name": "",
        "last_name": "Reyes Lindgren",
        "subtitle": "PhD student, <em>quantum information</em>, Kestrel Institute of Technology",
        "affiliation": "Kestrel Institute of Technology",
        "research_interests": "quantum information, randomized benchmarking, magic states",
        "photo_align": "left",
        "photo_shape": "circular",
        "links": [
            ("email", "tomas.reyes@example.org"),
            ("arxiv", "reyeslindgren_t_1"),
            ("github", "treyes-demo"),
            ("mastodon", "treyes@mathstodon.xyz"),
        ],
        "portrait": ("#5b2a86", "#f0c4ff"),
        "bio": """\
Hi! :wave: I am a PhD student in **quantum information theory** at the
[Kestrel Institute of Technology](https://example.org/kestrel), advised by
[Prof. Ingrid Solberg](https://example.org/solberg).

My research asks how much entanglement a noisy device can certify, and what
that costs in samples. Lately I work on:

* randomized benchmarking with few measurements;
* resource theories for magic states;
* teaching quantum computing to undergraduates with real hardware.

| Term | Course | Role |
|------|--------|------|
| Fall | Quantum Computing I | Teaching assistant |
| Spring | Information Theory | Guest lecturer |

The fidelity of a depolarizing channel with parameter $p$ is
$$F = 1 - \\frac{(d-1)\\,p}{d}.$$

<i class="fa-solid fa-envelope"></i> tomas [at] kestrel [dot] example
""",
    },
]
