r"""The demo researchers' publications: a .bib file each, as people keep them, and its settings.

Everything here is invented: titles, abstracts, venues, co-authors. Links go to
example.org, DOIs use the 10.5555 test prefix, and the arXiv numbers are above
any month's real count of submissions, so no button leads to somebody's work.

Three papers are joint work of the two demo researchers; like real co-authors'
files, both .bib files carry them with the same key and text, so each site links
the other researcher's name to their site (publications.entries.author_html).

The files that entries name (`pdf = {okafor2023drought.pdf}`, `preview =
{amara-foodweb.png}`) are drawn when the demo is loaded
(profiles.management.commands.load_demo).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Joint work of Amara N. Okafor and Tomás Reyes Lindgren (in both files) ----------------

JOINT_2025_RIVERS = r"""
@article{reyeslindgren2025rivers,
  title = {How Many Samples Does a River Need? {R}andomized Benchmarking Ideas for
           Sensor Calibration},
  author = {Reyes Lindgren, Tom{\'a}s and M{\"u}ller, Henrike and Solberg, Ingrid and
            Okafor, Amara N.},
  journal = {arXiv preprint arXiv:2507.91264},
  year = {2025},
  month = jul,
  eprint = {2507.91264},
  archivePrefix = {arXiv},
  primaryClass = {stat.ME},
  abbr = {arXiv},
  arxiv = {2507.91264},
  bibtex_show = {true},
  abstract = {Randomized benchmarking estimates the average error of quantum gates from
              sequences of random operations whose decay is insensitive to preparation and
              measurement errors. We carry the idea to field sensors: random sequences of
              reference checks, interleaved with routine readings, give a drift estimate
              that does not depend on how well the reference itself is known. On two years
              of dissolved-oxygen records from the Aln basin the method needs a third of the
              manual checks of the current protocol for the same confidence.},
  code = {https://example.org/code/river-benchmarking},
}
"""

JOINT_2024_SAMPLES = r"""
@inproceedings{okafor2024samples,
  title = {Certified Sample Sizes for Ecological Monitoring},
  author = {Okafor, Amara N.* and Reyes Lindgren, Tom{\'a}s* and van der Berg, Lotte},
  booktitle = {Proceedings of the Workshop on Statistical Methods Across the Sciences},
  pages = {41--52},
  year = {2024},
  month = sep,
  abbr = {SMAS},
  bibtex_show = {true},
  abstract = {How many surveys does a monitoring programme need before a decline can be
              called a decline? We borrow certification bounds from quantum state
              verification, where a verifier must accept or reject a claimed state from few
              copies, and turn them into sample sizes for population trends with a stated
              error. The bounds are distribution-free, simple to compute, and within a
              factor of two of simulation-based power analyses on twelve long-term
              freshwater datasets.},
  annotation = {Authors marked with an asterisk contributed equally.},
  slides = {https://example.org/talks/certified-sample-sizes},
}
"""

JOINT_2022_TENSOR = r"""
@article{reyeslindgren2022tensor,
  title = {Tensor-Network Compression of Stochastic Food-Web Models},
  author = {Reyes Lindgren, Tom{\'a}s and Okafor, Amara N.},
  journal = {Ecological Modelling Letters},
  volume = {9},
  number = {4},
  pages = {e2217},
  year = {2022},
  month = {8},
  doi = {10.5555/eml.2022.2217},
  abbr = {EML},
  selected = {true},
  bibtex_show = {true},
  abstract = {The master equation of a food web with a dozen species has more states than
              any computer can store. We write its probability vector as a matrix product
              state, the tensor network physicists use for one-dimensional quantum systems,
              and evolve it with a time-dependent variational method. For a
              twelve-species riverine web the compressed model keeps extinction
              probabilities within one percent of exact results on smaller webs, at a
              cost that grows linearly with the number of species.},
  html = {https://example.org/eml/2022/2217},
  code = {https://example.org/code/foodweb-mps},
  preview = {okafor-reyes-tensor.png},
}
"""

JOINT_KEYS = ("reyeslindgren2025rivers", "okafor2024samples", "reyeslindgren2022tensor")


# --- Amara N. Okafor: computational ecology, 2014 to 2026 ---------------------------------

AMARA_BIB = (
    r"""---
---

% Publications of Amara N. Okafor, newest first.
% Feeds the site's publications page; keep the al-folio fields at the end of each entry.

@string{compeco = {Proceedings of the Workshop on Computational Ecology}}
@string{jte = {Journal of Theoretical Ecology}}

@article{okafor2026memory,
  title = {Drought Memory Stabilises {Aln} River Food Webs},
  author = {Okafor, Amara N. and {\v{S}}imon, Kl{\'a}ra and van der Berg, Lotte},
  journal = jte,
  year = {2026},
  month = feb,
  note = {In press},
  abbr = {JTE},
  selected = {true},
  bibtex_show = {true},
  abstract = {Rivers that dried out in one summer recover differently in the next. We show
              that this memory is carried by the slow-growing top predators: a food-web
              model with delayed predator recovery reproduces the muted response to the
              2022 and 2025 droughts in the Aln sensor record, while models without it
              overshoot. Memory damps oscillations after a drought and makes webs more
              stable to a second one, but only when droughts are more than two years
              apart.},
  html = {https://example.org/jte/2026/okafor-memory},
  code = {https://example.org/code/drought-memory},
  preview = {amara-foodweb.png},
}

@misc{simon2026sparse,
  title = {Sparse Interaction Networks from Short Time Series with $\ell_1$-Penalised
           {ODE} Fits},
  author = {{\v{S}}imon, Kl{\'a}ra* and M{\"u}ller, Henrike* and Okafor, Amara N.},
  year = {2026},
  month = {January},
  eprint = {2601.93417},
  archivePrefix = {arXiv},
  primaryClass = {q-bio.PE},
  howpublished = {Preprint},
  abbr = {arXiv},
  arxiv = {2601.93417},
  bibtex_show = {true},
  abstract = {Most ecological time series are too short to fit a dense model of who
              affects whom. We fit generalised Lotka--Volterra equations by gradient
              matching with an $\ell_1$ penalty on the interaction matrix and choose the
              penalty by forward validation. On simulated communities of up to thirty
              species the method recovers the sign of strong interactions from forty time
              points; on the Aln invertebrate record it finds a sparse web whose strongest
              links match gut-content studies.},
  code = {https://example.org/code/sparse-glv},
}

"""
    + JOINT_2025_RIVERS
    + r"""
@article{okafor2025aln,
  title = {Ten Years of High-Frequency Sensing in the {Aln} Basin: Data, Gaps and Lessons},
  author = {Okafor, Amara N. and Fairweather, Callum and Nakashima, Reina and
            Castellanos Ruiz, In{\'e}s and Oduya, Peter and Haugland, Eirik and
            Achterberg, Femke and Ferreira Lobo, Duarte and
            {Aln Basin Monitoring Consortium}},
  journal = {Freshwater Data Journal},
  volume = {6},
  pages = {118},
  year = {2025},
  month = {11},
  doi = {10.5555/fdj.2025.118},
  abbr = {FDJ},
  bibtex_show = {true},
  abstract = {We describe ten years of readings from forty-one sensors in the Aln river
              basin: water level, temperature, conductivity, dissolved oxygen and
              turbidity every fifteen minutes. The data descriptor documents every
              calibration, every gap and why it happened, and the quality flags we
              recommend. Gaps cluster in floods and in the first winter after a sensor is
              installed, which matters for anyone fitting models to the extremes.},
  additional_info = {. Data and code: [example.org/aln-data](https://example.org/aln-data)},
  html = {https://example.org/fdj/2025/118},
}

@article{muller2025bayesian,
  title = {{B}ayesian State-Space Models for Patchy Sensor Records},
  author = {M{\"u}ller, Henrike and Okafor, Amara N.},
  journal = {Methods in Quantitative Ecology},
  volume = {14},
  number = {2},
  pages = {301--322},
  year = {2025},
  month = {May},
  doi = {10.5555/mqe.2025.0301},
  abbr = {MQE},
  bibtex_show = {true},
  abstract = {Sensor records have gaps, drift and the occasional sensor buried in silt. We
              propose a state-space model that treats each sensor's calibration as a slowly
              varying latent process and shares information between neighbouring sensors.
              Fitted with a particle Gibbs sampler, it fills gaps of up to three weeks with
              calibrated uncertainty and flags silted sensors days before field teams
              notice them.},
  code = {https://example.org/code/patchy-ssm},
}

@techreport{okafor2025lowflow,
  title = {Low-Flow Early Warning for the {Aln}: A Model Audit},
  author = {Okafor, Amara N. and Brennagh, Saoirse},
  institution = {Riverine Systems Lab, University of Northbridge},
  number = {RSL-TR-2025-02},
  year = {2025},
  month = mar,
  abbr = {Report},
  bibtex_show = {true},
  abstract = {The regional water authority warns of low flow from a rainfall-runoff model
              calibrated in 2009. We audit its warnings against eleven years of gauged
              flows: it issued timely warnings for six of nine low-flow events and two
              false alarms. Recalibrating on the last decade, and adding soil moisture from
              the basin's sensor network, would have caught eight of the nine.},
  pdf = {okafor2025lowflow.pdf},
}

"""
    + JOINT_2024_SAMPLES
    + r"""
@article{okafor2024foodweb,
  title = {Who Eats Whom When the River Runs Dry: Seasonal Rewiring of Freshwater
           Food Webs},
  author = {Okafor, Amara N. and Iwu-Thornbury, Chidera and Jos{\'e} Andrade and
            van der Berg, Lotte},
  journal = {Freshwater Systems Review},
  volume = {42},
  number = {1},
  pages = {15--39},
  year = {2024},
  month = {January},
  doi = {10.5555/fsr.2024.0015},
  abbr = {FSR},
  selected = {true},
  bibtex_show = {true},
  abstract = {Food webs are usually drawn once and treated as fixed. From stable isotopes
              and gut contents sampled monthly over three years, we rebuild the web of a
              chalk stream for every season and find that a third of its links appear or
              vanish between wet and dry months. Rewiring is driven by prey moving into
              refuge pools, not by predators switching diet, and it buffers the top
              predators against the loss of their usual prey.},
  html = {https://example.org/fsr/2024/0015},
  slides = {https://example.org/talks/who-eats-whom},
  preview = {amara-drought.png},
}

@inproceedings{simon2024regime,
  title = {Detecting Regime Shifts in Dissolved Oxygen with Change-Point Ensembles},
  author = {{\v{S}}imon, Kl{\'a}ra and Okafor, Amara N.},
  booktitle = compeco # { 2024},
  pages = {88--93},
  year = {2024},
  month = "jun",
  abbr = {CompEco},
  bibtex_show = {true},
  abstract = {Single change-point methods disagree about when a river's oxygen regime
              shifted. An ensemble of five methods, weighted by how well each predicts the
              next month, gives dates with honest uncertainty and finds the two known
              shifts in the Aln record without false alarms.},
  poster = {https://example.org/posters/regime-shifts-2024},
}

@article{okafor2023drought,
  title = {Drought Propagation Through Trophic Levels: Evidence from a Decade of Sensor
           Data},
  author = {Okafor, Amara N. and van der Berg, Lotte and Haugland, Eirik},
  journal = {Freshwater Systems Review},
  volume = {41},
  number = {3},
  pages = {211--234},
  year = {2023},
  month = jul,
  doi = {10.5555/fsr.2023.0211},
  abbr = {FSR},
  selected = {true},
  bibtex_show = {true},
  abstract = {Droughts reach fish through their food. Combining a decade of sensor data
              with annual invertebrate and fish surveys, we trace how low flow propagates
              up three trophic levels. Algal biomass responds within weeks, grazers within
              a season, and fish recruitment only in the following year; the lag explains
              why fish stocks kept falling after flows had recovered in 2019.},
  award = {Chosen by the editors of *Freshwater Systems Review* as the best paper of 2023.},
  award_name = {Best Paper},
  html = {https://example.org/fsr/2023/0211},
  code = {https://example.org/code/drought-trophic},
  pdf = {okafor2023drought.pdf},
}

@inproceedings{okafor2023identifiability,
  title = {Interaction Strengths from Abundance Data: An $\ell_1$ Route Around
           Non-Identifiability},
  author = {Okafor, Amara N. and Whitlock-Aro, Jonah},
  booktitle = compeco,
  pages = {12--19},
  year = {2023},
  month = {June},
  eprint = {2304.90218},
  archivePrefix = {arXiv},
  abbr = {CompEco},
  arxiv = {2304.90218},
  bibtex_show = {true},
  abstract = {Abundance time series rarely pin down every interaction strength in a
              community model: many matrices fit equally well. We show that among them the
              sparsest one, found by $\ell_1$ minimisation, is unique under a condition on
              the community's dynamics that can be checked from the data, and give a
              diagnostic for when the condition fails.},
  preview = {amara-l1.png},
}

@article{fairweather2023guide,
  title = {A Field Guide to Time-Series Models for Ecologists},
  author = {Fairweather, Callum and Okafor, Amara N. and others},
  journal = {Ecological Modelling Letters},
  volume = {10},
  pages = {e2301},
  year = {2023},
  month = {2},
  doi = {10.5555/eml.2023.2301},
  abbr = {EML},
  bibtex_show = {true},
  abstract = {Ecologists meet autoregressive models, state-space models, Gaussian
              processes and neural networks in the same week and with little guidance on
              choosing. This guide compares them on the questions ecologists ask:
              forecasting, detecting change, and estimating interactions. It comes with
              worked examples in R and Python.},
  code = {https://example.org/code/ts-field-guide},
}

"""
    + JOINT_2022_TENSOR
    + r"""
@article{okafor2022sensors,
  title = {Placing Few Sensors Well: Optimal Design for River Network Monitoring},
  author = {Okafor, Amara N. and Nakashima, Reina and Brennagh, Saoirse},
  journal = {Journal of Hydroecological Computation},
  volume = {5},
  number = {2},
  pages = {77--98},
  year = {2022},
  month = oct,
  doi = {10.5555/jhc.2022.0077},
  abbr = {JHC},
  bibtex_show = {true},
  abstract = {A monitoring budget buys a handful of sensors for a river network of
              hundreds of reaches. We cast sensor placement as Bayesian optimal design on
              the network's graph and solve it greedily with a guarantee from
              submodularity. In the Aln basin, eight well-placed sensors predict
              unmonitored reaches as well as the fifteen placed by expert judgement.},
  pdf = {okafor2022sensors.pdf},
  preview = {amara-sensors.png},
  code = {https://example.org/code/river-design},
}

@article{okafor2021recovery,
  title = {Demographic Noise Sets the Pace of Recovery in Fragmented Populations},
  author = {Okafor, Amara N. and Quennell, Harriet},
  journal = jte,
  volume = {17},
  pages = {402--419},
  year = {2021},
  month = {3},
  doi = {10.5555/jte.2021.0402},
  abbr = {JTE},
  bibtex_show = {true},
  abstract = {After a disturbance, small fragmented populations recover more slowly than
              deterministic models predict. We derive the recovery time of a stochastic
              metapopulation from a diffusion approximation and show that demographic
              noise, not reduced dispersal, explains most of the delay in fragmented
              landscapes of realistic size.},
  arxiv = {2009.93321},
}

@misc{okafor2021teaching,
  title = {Teaching Population Dynamics with Live River Data},
  author = {Okafor, Amara N.},
  howpublished = {Talk at the Northbridge Teaching and Learning Forum},
  year = {2021},
  month = {November},
  abbr = {Talk},
  slides = {https://example.org/talks/live-river-data},
}

@techreport{okafor2020pipelines,
  title = {Reproducible Pipelines for Ecological Forecasting: A Practical Guide},
  author = {Okafor, Amara N. and Lindqvist, Maja},
  institution = {Institute for Quantitative Biology},
  number = {IQB-TR-2020-07},
  year = {2020},
  month = oct,
  abbr = {Report},
  bibtex_show = {true},
  abstract = {Forecasts that cannot be rerun cannot be trusted. This guide shows how to
              build an ecological forecasting pipeline that reruns itself when new data
              arrive, records every model version, and scores past forecasts
              automatically, using only free tools.},
  code = {https://example.org/code/forecast-pipeline},
}

@article{okafor2020extinction,
  title = {Extinction Debt in Stochastic Metapopulations: Fast Approximations},
  author = {Okafor, Amara N. and Quennell, Harriet and Lindqvist, Maja},
  journal = {Methods in Quantitative Ecology},
  volume = {9},
  number = {4},
  pages = {522--537},
  year = {2020},
  month = aug,
  doi = {10.5555/mqe.2020.0522},
  eprint = {2002.94410},
  archivePrefix = {arXiv},
  abbr = {MQE},
  arxiv = {2002.94410},
  bibtex_show = {true},
  abstract = {Habitat loss commits species to extinctions that happen decades later. We
              give closed-form approximations of this extinction debt for stochastic
              metapopulations, accurate to a few percent against simulations and fast
              enough to map the debt across whole landscapes.},
}

@inproceedings{okafor2019moment,
  title = {Moment Closure for Predator--Prey Models with Seasonal Forcing},
  author = {Okafor, Amara N.},
  booktitle = compeco,
  pages = {30--37},
  year = {2019},
  month = aug,
  abbr = {CompEco},
  bibtex_show = {true},
  abstract = {Moment closure replaces a stochastic model by equations for its first few
              moments. For seasonally forced predator--prey models the usual closures
              fail near the seasonal minimum; a log-normal closure with a periodic
              correction stays accurate through the whole year.},
}

@article{quennell2019blooms,
  title = {Near-Term Forecasts of Algal Blooms from Sparse Monitoring},
  author = {Quennell, Harriet and Okafor, Amara N. and Ferreira Lobo, Duarte},
  journal = {Freshwater Systems Review},
  volume = {37},
  number = {2},
  pages = {140--158},
  year = {2019},
  month = {April},
  doi = {10.5555/fsr.2019.0140},
  abbr = {FSR},
  bibtex_show = {true},
  abstract = {Algal blooms are forecast from weekly samples that miss their onset. A
              hierarchical model that borrows strength across lakes forecasts blooms two
              weeks ahead with skill comparable to daily monitoring, in forty lakes
              sampled only fortnightly.},
}

@article{okafor2018noise,
  title = {Coloured Environmental Noise and the Timing of Population Collapse},
  author = {Okafor, Amara N. and Marlowe, Desmond},
  journal = jte,
  volume = {14},
  pages = {255--270},
  year = {2018},
  month = {12},
  doi = {10.5555/jte.2018.0255},
  abbr = {JTE},
  bibtex_show = {true},
  abstract = {Environmental variation in nature is reddened: good and bad years come in
              runs. We show that reddened noise brings population collapse forward by a
              predictable amount and that early-warning indicators based on rising
              variance lose most of their power when the noise is red.},
}

@phdthesis{okafor2017thesis,
  title = {Stochastic Population Models for Fragmented Habitats},
  author = {Okafor, Amara N.},
  school = {University of Easthaven},
  year = {2017},
  month = {September},
  abbr = {PhD Thesis},
  bibtex_show = {true},
  abstract = {This thesis develops approximations for stochastic population models in
              fragmented habitats: diffusion limits, quasi-stationary distributions and
              moment closures. Each is tested against simulations and applied to the
              persistence of freshwater fish in the Easthaven catchment.},
  pdf = {okafor2017thesis.pdf},
}

@article{okafor2017abc,
  title = {Approximate {B}ayesian Computation for Birth--Death Processes with
           Immigration},
  author = {Okafor, Amara N. and Marlowe, Desmond},
  journal = {Methods in Quantitative Ecology},
  volume = {6},
  number = {1},
  pages = {44--58},
  year = {2017},
  month = jan,
  doi = {10.5555/mqe.2017.0044},
  abbr = {MQE},
  bibtex_show = {true},
  abstract = {Birth--death processes with immigration have likelihoods that are slow to
              evaluate for the population sizes ecologists observe. We give summary
              statistics for approximate Bayesian computation that recover birth, death
              and immigration rates from annual counts as well as the exact likelihood
              does.},
}

@inproceedings{okafor2016diffusion,
  title = {Diffusion Limits of Spatial {L}otka--{V}olterra Models},
  author = {Okafor, Amara N.},
  booktitle = {Proceedings of the Conference on Mathematical Population Biology},
  pages = {201--212},
  year = {2016},
  month = {July},
  abbr = {CMPB},
  bibtex_show = {true},
  abstract = {We derive the diffusion limit of a spatial Lotka--Volterra model on a
              network of patches and show when it is accurate for patches holding as few
              as fifty individuals.},
}

@article{marlowe2015quasi,
  title = {Quasi-Stationary Distributions for Ecologists},
  author = {Marlowe, Desmond and Okafor, Amara N.},
  journal = {Methods in Quantitative Ecology},
  volume = {4},
  number = {3},
  pages = {310--327},
  year = {2015},
  month = apr,
  doi = {10.5555/mqe.2015.0310},
  abbr = {MQE},
  bibtex_show = {true},
  abstract = {A population bound to go extinct can persist for centuries in a
              quasi-stationary state. This tutorial explains the quasi-stationary
              distribution, how to compute it, and what it says about persistence, with
              examples from fisheries.},
}

@mastersthesis{okafor2014harvest,
  title = {Persistence of Small Populations Under Harvesting},
  author = {Okafor, Amara N.},
  school = {University of Easthaven},
  year = {2014},
  month = {6},
  abbr = {MSc Thesis},
}
"""
)


# --- Tomás Reyes Lindgren: quantum information, 2021 to 2026 --------------------------------

TREYES_BIB = (
    r"""% references.bib -- Tomás Reyes Lindgren
% (exported from the reference manager, then cleaned up by hand)

@string{snqd = {Proceedings of the Symposium on Noisy Quantum Devices}}

@misc{reyeslindgren2026magic,
  title = {Magic-State Resource Monotones That Are Cheap to Estimate},
  author = {Reyes Lindgren, Tom{\'a}s and Solberg, Ingrid},
  year = {2026},
  month = feb,
  eprint = {2602.94873},
  archivePrefix = {arXiv},
  primaryClass = {quant-ph},
  abbr = {arXiv},
  arxiv = {2602.94873},
  selected = {true},
  bibtex_show = {true},
  abstract = {Resource monotones for magic quantify how far a state is from the
              stabilizer states, but most are hard to compute and harder to measure. We
              introduce a family of monotones that can be estimated from randomized Pauli
              measurements with a number of samples independent of the number of qubits,
              and show that they bound the cost of magic-state distillation from below.},
  preview = {treyes-magic.png},
}

@article{reyeslindgren2026certify,
  title = {Certifying Entanglement on Noisy Devices with Few Samples},
  author = {Reyes Lindgren, Tom{\'a}s and Dufresne, Margaux and Solberg, Ingrid},
  journal = {Quantum Information Letters},
  volume = {11},
  pages = {34},
  year = {2026},
  month = {January},
  doi = {10.5555/qil.2026.034},
  abbr = {QIL},
  selected = {true},
  bibtex_show = {true},
  abstract = {Entanglement witnesses need many measurement repetitions before their
              verdict can be trusted. We give a certification protocol whose sample cost
              grows only logarithmically with the confidence, and show on a
              twelve-qubit superconducting device that genuine multipartite entanglement
              can be certified with a few thousand shots.},
  code = {https://example.org/code/few-shot-entanglement},
  pdf = {reyeslindgren2026certify.pdf},
  preview = {treyes-entanglement.png},
}

@misc{reyeslindgren2026graph,
  title = {Lower Bounds on the Cost of Certifying Graph States},
  author = {Reyes Lindgren, Tom{\'a}s and Varga, Benedek},
  year = {2026},
  month = {3},
  eprint = {2603.95120},
  archivePrefix = {arXiv},
  primaryClass = {quant-ph},
  abbr = {arXiv},
  arxiv = {2603.95120},
  bibtex_show = {true},
  abstract = {We prove that certifying an n-qubit graph state to fidelity $1-\epsilon$
              with single-qubit measurements needs of order $1/\epsilon$ copies for
              every graph, matching known protocols, and that adaptivity cannot improve
              the constant by more than a factor of two.},
}

"""
    + JOINT_2025_RIVERS
    + r"""
@inproceedings{reyeslindgren2025fewshot,
  title = {Randomized Benchmarking with a Handful of Measurements},
  author = {Reyes Lindgren, Tom{\'a}s and Ishikawa, Ren and Solberg, Ingrid},
  booktitle = snqd,
  pages = {112--124},
  year = {2025},
  month = jun,
  eprint = {2502.96015},
  archivePrefix = {arXiv},
  abbr = {SNQD},
  arxiv = {2502.96015},
  selected = {true},
  bibtex_show = {true},
  abstract = {Randomized benchmarking protocols usually average hundreds of random
              sequences. We show that a handful of sequences, each measured a few times,
              suffices when the decay is fitted with a likelihood that accounts for
              finite sampling, and give confidence intervals that remain valid when the
              noise is gate-dependent.},
  award = {Received the Best Student Paper Award at SNQD 2025.},
  award_name = {Best Student Paper},
  slides = {https://example.org/talks/handful-of-measurements},
  pdf = {reyeslindgren2025fewshot.pdf},
  preview = {treyes-benchmarking.png},
}

@article{ishikawa2025drift,
  title = {Error Bars for Cross-Entropy Benchmarking Under Drift},
  author = {Ishikawa, Ren and Reyes Lindgren, Tom{\'a}s and Kova{\v{c}}, Luka},
  journal = {Open Journal of Quantum Science},
  volume = {9},
  pages = {1508},
  year = {2025},
  month = {10},
  doi = {10.5555/ojqs.2025.1508},
  abbr = {OJQS},
  bibtex_show = {true},
  abstract = {Cross-entropy benchmarking assumes that the device does not change while it
              is being benchmarked. We model calibration drift as a slowly varying
              process and derive error bars that stay honest when it is present; on
              public data from two devices the usual error bars are too narrow by a
              factor of three.},
  code = {https://example.org/code/xeb-drift},
}

@inproceedings{reyeslindgren2025teaching,
  title = {Teaching Quantum Computing to Undergraduates on Real Hardware: Three Semesters
           of Lessons},
  author = {Reyes Lindgren, Tom{\'a}s and Forsberg, Ebba and N{\o}rgaard, Sigrid},
  booktitle = {Proceedings of the Quantum Education Workshop},
  pages = {5--12},
  year = {2025},
  month = {March},
  abbr = {QEdu},
  bibtex_show = {true},
  abstract = {For three semesters, students of an introductory quantum computing course
              ran their exercises on a five-qubit device instead of a simulator. We
              report what they learnt about noise that simulators hide, what went wrong,
              and the assignments we would keep.},
  additional_info = {. Course materials are [openly licensed](https://example.org/treyes/teaching)},
  poster = {https://example.org/posters/teaching-on-hardware},
}

@techreport{reyeslindgren2025drift,
  title = {Calibration Drift on a Five-Qubit Device: A Six-Month Log},
  author = {Reyes Lindgren, Tom{\'a}s and Casta{\~n}o, Mateo},
  institution = {Quantum Devices Group, Kestrel Institute of Technology},
  number = {KIT-QD-2025-03},
  year = {2025},
  month = jan,
  abbr = {Report},
  bibtex_show = {true},
  abstract = {We recorded gate fidelities, coherence times and readout errors of a
              five-qubit teaching device every hour for six months. Readout error drifts
              the most and the fastest; two-qubit gate fidelity follows the building's
              heating cycle.},
  code = {https://example.org/code/drift-log},
}

"""
    + JOINT_2024_SAMPLES
    + r"""
@article{reyeslindgren2024renyi,
  title = {Stabilizer {R}{\'e}nyi Entropies Under Local Noise},
  author = {Reyes Lindgren, Tom{\'a}s and Bertolini, Chiara and Solberg, Ingrid},
  journal = {Quantum Information Letters},
  volume = {9},
  pages = {77},
  year = {2024},
  month = sep,
  doi = {10.5555/qil.2024.077},
  eprint = {2403.97702},
  archivePrefix = {arXiv},
  abbr = {QIL},
  arxiv = {2403.97702},
  bibtex_show = {true},
  abstract = {Stabilizer R\'enyi entropies measure magic and can be estimated
              efficiently, but how do they behave on a noisy device? We show that local
              depolarizing noise decreases them at a rate set by the noise strength and
              the number of qubits, and correct for it to recover the magic of the
              ideal state.},
}

@inproceedings{dufresne2024shadows,
  title = {Shadow Tomography Without a Shadow of Doubt: Confidence Regions for Classical
           Shadows},
  author = {Dufresne, Margaux* and Reyes Lindgren, Tom{\'a}s* and Solberg, Ingrid$^\dagger$},
  booktitle = snqd,
  pages = {64--75},
  year = {2024},
  month = jun,
  abbr = {SNQD},
  bibtex_show = {true},
  abstract = {Classical shadows predict many properties of a state from few
              measurements, but their error bars rest on worst-case bounds. We build
              confidence regions from the shadows themselves by a bootstrap that we
              prove valid, and find them ten times tighter on typical states.},
  code = {https://example.org/code/shadow-confidence},
}

@misc{reyeslindgren2024seminar,
  title = {Benchmarking with Few Shots},
  author = {Reyes Lindgren, Tom{\'a}s},
  howpublished = {Invited talk, Kestrel Quantum Seminar},
  year = {2024},
  month = {11},
  abbr = {Talk},
  slides = {https://example.org/talks/few-shots-seminar},
}

@article{reyeslindgren2023fidelity,
  title = {Fidelity Witnesses for Depolarized {GHZ} States},
  author = {Reyes Lindgren, Tom{\'a}s and Solberg, Ingrid},
  journal = {Open Journal of Quantum Science},
  volume = {7},
  pages = {1123},
  year = {2023},
  month = mar,
  doi = {10.5555/ojqs.2023.1123},
  abbr = {OJQS},
  bibtex_show = {true},
  abstract = {For GHZ states mixed with white noise, the fidelity of a depolarizing
              channel with parameter $p$ is $F = 1 - (d-1)p/d$. We construct witnesses
              that certify fidelity above one half from two measurement settings, for
              any number of qubits, and compare them with stabilizer witnesses on
              simulated devices.},
  html = {https://example.org/ojqs/2023/1123},
}

@article{amadi2023purity,
  title = {Sample-Optimal Purity Estimation with Randomized Measurements},
  author = {Amadi, Kelechi and Reyes Lindgren, Tom{\'a}s and Varga, Benedek},
  journal = {arXiv preprint arXiv:2311.98345},
  year = {2023},
  month = nov,
  abbr = {arXiv},
  arxiv = {2311.98345},
  bibtex_show = {true},
  abstract = {We determine the number of randomized measurements needed to estimate the
              purity of an unknown state to a given accuracy, up to constant factors, and
              give an estimator that attains it.},
}

@inproceedings{reyeslindgren2023readout,
  title = {A Resource-Theoretic View of Readout Error},
  author = {Tom{\'a}s Reyes Lindgren and Ingrid Solberg},
  booktitle = {Quantum Resource Theories Workshop},
  year = {2023},
  month = {12},
  abbr = {QRT},
  bibtex_show = {true},
  abstract = {We treat noisy measurements as a resource and ask which readout errors can
              be converted into one another by classical post-processing. The answer is
              a majorization condition on the confusion matrix.},
}

"""
    + JOINT_2022_TENSOR
    + r"""
@mastersthesis{reyeslindgren2022msc,
  title = {Randomized Benchmarking Beyond Gate-Independent Noise},
  author = {Reyes Lindgren, Tom{\'a}s},
  school = {Kestrel Institute of Technology},
  year = {2022},
  month = jun,
  abbr = {MSc Thesis},
  bibtex_show = {true},
  abstract = {Randomized benchmarking is usually analysed for noise that is the same for
              every gate. This thesis extends the analysis to gate-dependent noise with
              Fourier methods on the Clifford group and tests the bounds on simulated
              and real two-qubit devices.},
  pdf = {reyeslindgren2022msc.pdf},
}

@article{varga2022pauli,
  title = {Learning {P}auli Noise Channels from Interleaved Sequences},
  author = {Varga, Benedek and Reyes Lindgren, Tom{\'a}s and Kova{\v{c}}, Luka and
            Solberg, Ingrid},
  journal = {Quantum Information Letters},
  volume = {7},
  pages = {210},
  year = {2022},
  month = nov,
  doi = {10.5555/qil.2022.210},
  abbr = {QIL},
  bibtex_show = {true},
  abstract = {Interleaving a gate with random Clifford sequences reveals its error rate.
              We show that the same data, with a different fit, reveal the full Pauli
              error distribution of the gate when it is sparse.},
}

@misc{reyeslindgren2021notes,
  title = {Simulating Open Quantum Systems on a Laptop: A Tutorial},
  author = {Reyes Lindgren, Tom{\'a}s},
  howpublished = {Lecture notes, Kestrel Institute of Technology},
  year = {2021},
  month = {October},
  abbr = {Notes},
  bibtex_show = {true},
  abstract = {Notes for a two-week student tutorial on master equations, quantum
              trajectories and their numerical solution, with exercises in Python.},
  code = {https://example.org/code/open-systems-tutorial},
}

@inproceedings{castano2021compile,
  title = {Noise-Aware Compilation for Small Superconducting Devices},
  author = {Casta{\~n}o, Mateo and Reyes Lindgren, Tom{\'a}s},
  booktitle = {Proceedings of the Student Conference on Quantum Engineering},
  pages = {17--22},
  year = {2021},
  month = aug,
  abbr = {SCQE},
  bibtex_show = {true},
  abstract = {Choosing which physical qubits run which part of a circuit matters on small
              devices. A compiler pass that reads the day's calibration data raises the
              success rate of benchmark circuits by a fifth on a five-qubit device.},
}

@techreport{reyeslindgren2021mitigation,
  title = {An Undergraduate's Guide to Quantum Error Mitigation},
  author = {Reyes Lindgren, Tom{\'a}s},
  institution = {Kestrel Institute of Technology},
  type = {Undergraduate research report},
  number = {KIT-UR-2021-11},
  year = {2021},
  month = {5},
  abbr = {Report},
  abstract = {A self-contained introduction to zero-noise extrapolation, probabilistic
              error cancellation and readout mitigation, with their costs compared on one
              example.},
}
"""
)


# --- What each demo site gets besides its .bib --------------------------------------------


@dataclass(frozen=True)
class DemoPapers:
    bibtex: str
    name_variants: tuple[str, ...]  # PublicationSettings.name_variants, one per line
    max_author_limit: int | None
    venues: tuple[tuple[str, str, str], ...]  # (abbr, colour, url)
    coauthors: tuple[tuple[tuple[str, ...], str], ...]  # (name forms, url)
    palette: tuple[str, ...]  # colours of the drawn preview figures


DEMO_PAPERS: dict[str, DemoPapers] = {
    "amara": DemoPapers(
        bibtex=AMARA_BIB,
        name_variants=("Okafor, A. N.", "Okafor, Amara", "Okafor, A."),
        max_author_limit=5,
        venues=(
            ("JTE", "#0b7a75", "https://example.org/journals/theoretical-ecology"),
            ("FSR", "#2b6cb0", "https://example.org/journals/freshwater-systems-review"),
            ("CompEco", "#b7791f", "https://example.org/workshops/compeco"),
        ),
        coauthors=(
            (
                ("van der Berg, Lotte", "van der Berg, L."),
                "https://example.org/people/lotte-van-der-berg",
            ),
        ),
        palette=("#0b7a75", "#e07a5f", "#3d405b", "#f2cc8f", "#81b29a"),
    ),
    "treyes": DemoPapers(
        bibtex=TREYES_BIB,
        # The last two catch "Tomás Reyes Lindgren" written first-name-first, which
        # BibTeX reads as first names "Tomás Reyes" and last name "Lindgren".
        name_variants=(
            "Reyes Lindgren, T.",
            "Reyes Lindgren, Tomás",
            "Lindgren, Tomás Reyes",
            "Lindgren, T. R.",
        ),
        max_author_limit=None,
        venues=(
            ("QIL", "#5b2a86", "https://example.org/journals/quantum-information-letters"),
            ("SNQD", "#c2410c", "https://example.org/symposia/snqd"),
            ("OJQS", "#2f855a", "https://example.org/journals/ojqs"),
        ),
        coauthors=((("Solberg, Ingrid", "Solberg, I."), "https://example.org/solberg"),),
        palette=("#5b2a86", "#f4a259", "#2a9d8f", "#e63946", "#264653"),
    ),
}
