"""Two fictional researchers for a fresh checkout. Any likeness is accidental."""

from __future__ import annotations

DEMO_RESEARCHERS = [
    {
        "email": "amara.okafor@example.org",
        "slug": "amara",
        "first_name": "Amara",
        "middle_name": "N.",
        "last_name": "Okafor",
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

<i class="fa-solid fa-envelope"></i> tomas [at] kestrel [dot] example
""",
    },
]
