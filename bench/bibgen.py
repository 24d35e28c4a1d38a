"""A realistic al-folio .bib, generated from a seed, for bench/publications.py.

    from bench.bibgen import generate
    bib = generate(entries=4000, broken=10, seed=2025)
    bib.text                 # the whole file
    bib.broken               # [(line, key or None, kind)] of the deliberately broken entries
    bib.subset(500)          # the @string header and the first 500 good entries

What real al-folio files hold: @string macros used as booktitles and journals, months
as macros (`jul`) and as text, LaTeX accents in names (`M{\\"u}ller`, `{\\v{S}}ebesta`,
`Garc{\\'\\i}a`), "von" parts, equal-contribution marks, math and protective braces in
titles, abstracts on about half of the entries, al-folio's own fields (abbr, selected,
bibtex_show, pdf, code, html, preview, award), a few `#` concatenations and `%` lines
inside entries (bibtexparser's slow path), and a few broken entries spread through the
file: unbalanced braces, a missing comma, a missing key.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

# The site's owner: most entries are hers (her name is highlighted on the page).
OWNER = ("Ada", "K.", "Lovelace")

# (first, last) of co-authors who also have a published site on the platform: the page
# links them. bench/publications.py creates these researchers.
PLATFORM_PEOPLE = [
    (r"Grace", r"Hopper"),
    (r"Alan", r"Turing"),
    (r"Leslie", r"Lamport"),
    (r"Barbara", r"Liskov"),
    (r"Donald", r"Knuth"),
    (r"Frances", r"Allen"),
    (r"Edsger", r"Dijkstra"),
    (r"Radia", r"Perlman"),
    (r"Tony", r"Hoare"),
    (r"Shafi", r"Goldwasser"),
    (r"Yoshua", r"Bengio"),
    (r"Fei-Fei", r"Li"),
]

# "first | von | last" as written in BibTeX, accents in several spellings.
_PEOPLE_TEXT = r"""
Thomas | | M{\"u}ller
Jana | | {\v{S}}ebesta
Mar{\'\i}a | | Garc{\'\i}a
Jos{\'e} | | Rodr{\'\i}guez
Fran{\c{c}}ois | | Dubois
Ji{\v{r}}{\'\i} | | Dvo{\v{r}}{\'a}k
Bernhard | | Sch{\"o}lkopf
P{\'a}l | | Erd{\H{o}}s
S{\o}ren | | {\O}stergaard
Jo{\~a}o | | Gon{\c{c}}alves
{\L}ukasz | | Kowalski
Zo{\"e} | | Martin
Bj{\"o}rn | | Bornel{\"o}v
Ren{\'e}e | | Lef{\`e}vre
Eva | | Nov{\'a}kov{\'a}
Jan | van der | Berg
Ana | de la | Cruz
Luiz | | {da Costa}
Ludwig | von | Neumann
Wei | | Zhang
Mei | | Wang
Hao | | Li
Hiroshi | | Tanaka
Yuki | | Sato
Priya | | Raman
Arjun | | Kumar
Chidi | | Okafor
Amara | | Nwosu
Minh | | Nguyen
Ingrid | | Johansson
Giulia | | Rossi
Mateo | | Fern{\'a}ndez
Olga | | Ivanova
David | | Smith
Sarah | | Johnson
Michael | | Brown
Emily | | Davis
Kevin | | O'Brien
Fatima | | Al-Sayed
Noah | | Cohen
Lars | | J{\o}rgensen
Sven | | H{\aa}kansson
Ay{\c{s}}e | | Y{\i}lmaz
Kai | | Chen
Songting | | Li
Douglas | | Zhou
Rob | | Fergus
Saining | | Xie
"""
_PEOPLE = [
    tuple(part.strip() for part in line.split("|")) for line in _PEOPLE_TEXT.strip().splitlines()
] + [(first, "", last) for first, last in PLATFORM_PEOPLE]

# name, text, badge; kind says whether it names a journal or proceedings.
_VENUES = [
    ("neurips", "Advances in Neural Information Processing Systems", "NeurIPS", "conf"),
    ("icml", "Proceedings of the International Conference on Machine Learning", "ICML", "conf"),
    ("iclr", "International Conference on Learning Representations", "ICLR", "conf"),
    ("cvpr", "IEEE/CVF Conference on Computer Vision and Pattern Recognition", "CVPR", "conf"),
    (
        "acl",
        "Proceedings of the Annual Meeting of the Association for Computational Linguistics",
        "ACL",
        "conf",
    ),
    ("kdd", "ACM SIGKDD Conference on Knowledge Discovery and Data Mining", "KDD", "conf"),
    ("popl", "ACM SIGPLAN Symposium on Principles of Programming Languages", "POPL", "conf"),
    ("jmlr", "Journal of Machine Learning Research", "JMLR", "journal"),
    ("tpami", "IEEE Transactions on Pattern Analysis and Machine Intelligence", "TPAMI", "journal"),
    ("natmi", "Nature Machine Intelligence", "Nat. Mach. Intell.", "journal"),
    ("pnas", "Proceedings of the National Academy of Sciences", "PNAS", "journal"),
    ("cacm", "Communications of the {ACM}", "CACM", "journal"),
]
_TEXT_VENUES = [
    ("Physical Review Letters", "PRL", "journal"),
    ("Neural Computation", "Neural Comput.", "journal"),
    ("Bioinformatics", "Bioinformatics", "journal"),
    ("Proceedings of the {AAAI} Conference on Artificial Intelligence", "AAAI", "conf"),
    ("Findings of the Association for Computational Linguistics: {EMNLP}", "EMNLP", "conf"),
    ("European Conference on Computer Vision ({ECCV})", "ECCV", "conf"),
]
_PUBLISHERS = ["{IEEE}", "{ACM}", "Springer", "{PMLR}", "Curran Associates, Inc.", "Elsevier"]
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip

_ADJECTIVES = [
    "Scalable", "Robust", "Efficient", "Provable", "Neural", "Bayesian", "Sparse", "Causal",
    "Self-Supervised", "Differentiable", "Adaptive", "Hierarchical", "Contrastive",
    "Distributed", "Interpretable", "Equivariant", "Probabilistic", "Federated",
]  # fmt: skip
_NOUNS = [
    "Inference", "Representations", "Transformers", "Graph Networks", "Kernels",
    "Optimization", "Attention", "Diffusion Models", "Policies", "Embeddings",
    "Estimators", "Priors", "Program Synthesis", "Type Systems", "Consensus",
]  # fmt: skip
_TASKS = [
    "Protein Folding", "Video Action Detection", "Machine Translation", "Causal Discovery",
    "Neural Network Reconstruction", "Image Segmentation", "Question Answering",
    "Molecule Generation", "Time Series Forecasting", "Theorem Proving", "Robot Navigation",
    "Spike Train Analysis", "Code Generation", "Climate Modelling",
]  # fmt: skip
_ACRONYMS = ["{BERT}", "{LSTM}", "{GPU}", "{MCMC}", "{3D}", "{PAC}-{B}ayes", "{SGD}", "{LLM}s"]
_MATH = [
    r"$k$-Means",
    r"$\mathcal{O}(n \log n)$",
    r"$\alpha$-Stable",
    r"$\ell_1$-Regularized",
    r"$\epsilon$-Greedy",
    r"$\mathbb{R}^d$",
    r"$p$-Adic",
    r"$O(\sqrt{T})$",
]
_SENTENCES = [
    "We study {noun} for {task} and show that {adj} methods outperform strong baselines.",
    "Existing approaches to {task} rely on hand-crafted features and scale poorly.",
    "Here, we introduce a {adj} framework that learns {noun} directly from raw data.",
    "Our analysis yields a bound of $O(\\sqrt{{T}})$ on the regret, matching the lower bound.",
    "Experiments on {n} benchmarks demonstrate improvements of up to {p}\\% over prior work.",
    "We further show that the learned {noun} transfer to {task} without fine-tuning.",
    "Theoretically, we prove convergence under mild assumptions on the step size $\\eta$.",
    "The method is simple to implement, runs on a single {{GPU}}, and is open source.",
    "Taken together, these results establish {noun} as a practical tool for {task}.",
    "Ablations reveal that both components are necessary; removing either degrades accuracy.",
    "Code and data are available on the project page -- see the supplementary material.",
    "In contrast to previous work, our approach does not require labelled {task} data.",
]
_AWARDS = ["Best Paper Award", "Outstanding Paper Award", "Oral presentation (top 1.8\\%)"]


@dataclass
class Entry:
    key: str | None
    text: str
    broken: str = ""  # the kind of breakage, "" for a good entry


@dataclass
class Bib:
    header: str
    entries: list[Entry]
    text: str = ""
    broken: list[tuple[int, str | None, str]] = field(default_factory=list)

    def subset(self, count: int) -> str:
        """The @string header and the first `count` good entries, as one .bib text."""
        good = [entry.text for entry in self.entries if not entry.broken][:count]
        return self.header + "\n\n".join(good) + "\n"

    @property
    def good(self) -> int:
        return sum(not entry.broken for entry in self.entries)


_BROKEN_KINDS = ("unbalanced braces", "missing comma between fields", "missing key")


def generate(*, entries: int = 4000, broken: int = 10, seed: int = 2025) -> Bib:
    """`entries` entries in all, of which `broken` are broken, evenly spread."""
    rng = random.Random(seed)
    header = _header()
    keys: set[str] = set()
    spacing = entries // max(broken, 1)
    broken_at = {spacing // 2 + i * spacing for i in range(broken)}
    items: list[Entry] = []
    for n in range(entries):
        kind = ""
        if n in broken_at:
            kind = _BROKEN_KINDS[sum(i < n for i in broken_at) % len(_BROKEN_KINDS)]
        items.append(_entry(rng, keys, kind))

    bib = Bib(header=header, entries=items)
    parts = [header]
    line = header.count("\n") + 1
    for index, entry in enumerate(items):
        if index:
            parts.append("\n\n")
            line += 2
        if entry.broken:
            bib.broken.append((line, entry.key, entry.broken))
        parts.append(entry.text)
        line += entry.text.count("\n")
    parts.append("\n")
    bib.text = "".join(parts)
    return bib


def _header() -> str:
    lines = [
        "---",
        "---",
        "",
        "% Publications of Ada K. Lovelace and her group (generated for a benchmark).",
        "@comment{jabref-meta: databaseType:bibtex;}",
        "",
    ]
    lines += [f"@string{{{name} = {{{text}}}}}" for name, text, _badge, _kind in _VENUES]
    lines.append('@string{proc = "Proceedings of the "}')
    return "\n".join(lines) + "\n\n"


def _ascii(text: str) -> str:
    text = re.sub(r"\\[A-Za-z]+|\\.", "", text)
    return re.sub(r"[^A-Za-z]", "", text)


def _name(rng: random.Random, person: tuple[str, str, str]) -> str:
    first, von, last = person
    style = rng.random()
    if style < 0.6:
        return f"{f'{von} ' if von else ''}{last}, {first}"
    if style < 0.9 or "{" in first:
        return f"{first} {f'{von} ' if von else ''}{last}"
    initials = f"{first[0]}. {rng.choice('ABCDEFGHJKLMNPRSTW')}."
    return f"{initials} {f'{von} ' if von else ''}{last}"


def _authors(rng: random.Random) -> tuple[str, str]:
    """The author field and the first author's last name (for the key)."""
    count = rng.randint(2, 12)
    people = rng.sample(_PEOPLE, count)
    names = [_name(rng, person) for person in people]
    if rng.random() < 0.9:  # the owner, somewhere in the list
        owner = rng.choice(["Lovelace, Ada K.", "Ada K. Lovelace", "A. K. Lovelace"])
        names[rng.randrange(len(names))] = owner
    if rng.random() < 0.04:  # equal contribution
        names[0] += "*"
        names[1] += "*"
    if rng.random() < 0.02:
        names[-1] = "others"
    first = names[0]
    last = first.split(",")[0] if "," in first else first.split()[-1]
    return " and ".join(names), _ascii(last).lower() or "anon"


def _title(rng: random.Random) -> str:
    adj, noun, task = rng.choice(_ADJECTIVES), rng.choice(_NOUNS), rng.choice(_TASKS)
    shape = rng.random()
    if shape < 0.25:
        title = f"{adj} {noun} for {task}"
    elif shape < 0.4:
        title = f"On the {noun} of {adj} {rng.choice(_NOUNS)}"
    elif shape < 0.55:
        title = f"{rng.choice(_ACRONYMS)} Meets {noun}: {adj} Learning for {task}"
    elif shape < 0.7:
        title = f"{rng.choice(_MATH)} {noun} for {task}"
    elif shape < 0.8:
        title = f"Towards {adj} and Long--Range {noun} with {rng.choice(_ACRONYMS)}"
    elif shape < 0.9:
        title = f"A {adj} Approach to {task} via {noun}"
    else:
        title = f"{{{adj}}} {noun}: Theory and Practice"
    return title


def _abstract(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(5, 10)):
        sentences.append(
            rng.choice(_SENTENCES).format(
                noun=rng.choice(_NOUNS).lower(),
                task=rng.choice(_TASKS).lower(),
                adj=rng.choice(_ADJECTIVES).lower(),
                n=rng.randint(3, 12),
                p=rng.randint(2, 40),
            )
        )
    return " ".join(sentences)


def _entry(rng: random.Random, keys: set[str], broken: str) -> Entry:
    authors, first_last = _authors(rng)
    title = _title(rng)
    year = min(2025, int(2026 - rng.expovariate(1 / 7)))
    year = max(year, 1990)
    word = _ascii(title.split()[0]).lower() or "paper"
    key = f"{first_last}{year}{word}"
    suffix = 0
    while key in keys:
        suffix += 1
        key = f"{first_last}{year}{word}{chr(ord('a') + suffix % 26)}{suffix // 26 or ''}"
    keys.add(key)

    roll = rng.random()
    fields: list[tuple[str, str]] = []  # (name, value as written after the `=`)
    if roll < 0.45:
        entry_type = "inproceedings"
        if rng.random() < 0.7:
            name, _text, badge, _kind = rng.choice([v for v in _VENUES if v[3] == "conf"])
            fields.append(("abbr", f"{{{badge}}}"))
            # A few use `#` (bibtexparser's slow path, as in real files).
            value = f"proc # {{{badge}}}" if rng.random() < 0.02 else name
            fields.append(("booktitle", value))
        else:
            text, badge, _kind = rng.choice([v for v in _TEXT_VENUES if v[2] == "conf"])
            fields += [("abbr", f"{{{badge}}}"), ("booktitle", f"{{{text}}}")]
    elif roll < 0.8:
        entry_type = "article"
        if rng.random() < 0.6:
            name, _text, badge, _kind = rng.choice([v for v in _VENUES if v[3] == "journal"])
            fields += [("abbr", f"{{{badge}}}"), ("journal", name)]
        else:
            text, badge, _kind = rng.choice([v for v in _TEXT_VENUES if v[2] == "journal"])
            fields += [("abbr", f"{{{badge}}}"), ("journal", f"{{{text}}}")]
        fields += [("volume", f"{{{rng.randint(1, 60)}}}"), ("number", str(rng.randint(1, 12)))]
    elif roll < 0.88:
        entry_type = "misc"
        arxiv = f"{year % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(10000, 99999)}"
        fields += [
            ("abbr", "{arXiv}"),
            ("howpublished", f"{{arXiv preprint arXiv:{arxiv}}}"),
            ("arxiv", f"{{{arxiv}}}"),
        ]
    elif roll < 0.92:
        entry_type = "techreport"
        fields.append(("institution", "{University of Cambridge, Computer Laboratory}"))
    elif roll < 0.96:
        entry_type = "incollection"
        fields.append(("booktitle", "{Handbook of {M}achine {L}earning}"))
        fields.append(("editor", "{Hopper, Grace and Turing, Alan}"))
    elif roll < 0.98:
        entry_type = "book"
    else:
        entry_type = "phdthesis"
        fields.append(("school", "{Universit{\\'e} de Montr{\\'e}al}"))

    fields.insert(0, ("title", f"{{{title}}}"))
    fields.insert(1, ("author", f"{{{authors}}}"))
    if rng.random() < 0.7:
        fields.insert(0, ("bibtex_show", "{true}"))
    if entry_type in ("inproceedings", "article", "incollection"):
        start = rng.randint(1, 900)
        fields.append(("pages", f"{{{start}--{start + rng.randint(6, 30)}}}"))
    fields.append(("year", f"{{{year}}}"))
    month = rng.randrange(12)
    style = rng.random()
    if style < 0.35:
        fields.append(("month", _MONTHS[month]))
    elif style < 0.6:
        fields.append(("month", f"{{{_MONTH_NAMES[month]}}}"))
    elif style < 0.7:
        fields.append(("month", f"{{{_MONTHS[month]}}}"))
    if entry_type in ("inproceedings", "book", "incollection") or rng.random() < 0.3:
        fields.append(("publisher", f"{{{rng.choice(_PUBLISHERS)}}}"))
    if rng.random() < 0.6:
        fields.append(("doi", f"{{10.{rng.randint(1000, 9999)}/{key}.{rng.randint(1, 999)}}}"))
    if rng.random() < 0.3:
        fields.append(("url", f"{{https://example.org/papers/{key}}}"))
    if rng.random() < 0.5:
        fields.append(("abstract", f"{{{_abstract(rng)}}}"))
    if rng.random() < 0.5:
        pdf = f"{key}.pdf" if rng.random() < 0.5 else f"https://example.org/pdf/{key}.pdf"
        fields.append(("pdf", f"{{{pdf}}}"))
    if rng.random() < 0.3:
        fields.append(("code", f"{{https://github.com/ada-lab/{key}}}"))
    if rng.random() < 0.2:
        fields.append(("html", f"{{https://ada-lab.example.org/{key}/}}"))
    if rng.random() < 0.15:
        fields.append(("preview", f"{{{key}.png}}"))
    if rng.random() < 0.08:
        fields.append(("selected", "{true}"))
    if rng.random() < 0.01:
        award = rng.choice(_AWARDS)
        fields += [("award", f"{{{award}}}"), ("award_name", f"{{{award.split(' (')[0]}}}")]
    if rng.random() < 0.01:
        fields.append(("note", "{Extended version of the workshop paper}"))

    if broken == "unbalanced braces":
        fields[fields.index(("title", f"{{{title}}}"))] = ("title", f"{{{{{title}}}")
    body = [f"  {name} = {value}," for name, value in fields]
    if rng.random() < 0.01 and not broken:  # a field commented out (slow path)
        body.insert(2, "  % note = {to appear},")
    if broken == "missing comma between fields":
        year_line = next(i for i, line in enumerate(body) if line.startswith("  year ="))
        body[year_line] = body[year_line].rstrip(",")
    head = f"@{entry_type}{{{key}," if broken != "missing key" else f"@{entry_type}{{"
    text = "\n".join([head, *body, "}"])
    return Entry(key=key if broken != "missing key" else None, text=text, broken=broken)
