"""The demo researchers' news: fictional, inline and titled, as al-folio's _news/ holds them.

(days ago, title or "" for an inline item, Markdown content.)
"""

from __future__ import annotations

DEMO_NEWS: dict[str, list[tuple[int, str, str]]] = {
    "amara": [
        (6, "", "Our drought-memory paper is out in the *Journal of Theoretical Ecology*. :tada:"),
        (
            24,
            "Two PhD positions in river ecology",
            "The Riverine Systems Lab is recruiting **two PhD students** for autumn, one on "
            "food-web models and one on field sensing in the Aln basin.\n\n"
            "Send a short letter and your CV by e-mail. Experience with R or Python helps; "
            "curiosity about rivers matters more.",
        ),
        (61, "", "Gave the keynote at the Northern Freshwater Ecology Meeting in Tarnby."),
        (
            95,
            "Ten years of sensor data, now open",
            "The full Aln basin sensor record, 2015 to 2025, is now public, with a data paper "
            "describing the gaps and how we filled them. Each station logs temperature, flow "
            "and dissolved oxygen every 15 minutes, which makes about $3.5 \\times 10^{7}$ "
            "readings.",
        ),
        (150, "", "Welcome to Chidera and Eirik, who join the lab this term! :wave:"),
        (
            230,
            "Teaching population dynamics, again",
            "ECO 214 is back this autumn with new exercises on stochastic models. The course "
            "notes are on the course page.",
        ),
        (320, "", "Our review on seasonal rewiring of food webs won a *Best Paper* award."),
    ],
    "treyes": [
        (9, "", "Started a research visit at the Kestrel quantum lab. :atom_symbol:"),
        (
            40,
            "Preprint: certifying entanglement with few samples",
            "With Amara Okafor and colleagues we show how randomized benchmarking ideas cut "
            "the samples needed to certify entanglement. The bound scales as "
            "$$N \\geq \\frac{2}{\\epsilon^2} \\log \\frac{1}{\\delta}$$ "
            "for confidence $1 - \\delta$.",
        ),
        (88, "", "Passed my qualifying exam. Thank you, Ingrid, for the patience! :tada:"),
        (
            140,
            "Teaching assistant for Quantum Computing I",
            "This term I run the exercise sessions of Quantum Computing I, with weekly "
            "problems on real hardware.",
        ),
        (205, "", "Poster on magic-state resource theories at the Nordic Quantum Workshop."),
        (290, "", "Joined the Kestrel Institute of Technology as a PhD student."),
    ],
}
