"""al-folio sites in and out: read a repository (folder, zip or about.md), import it, export it.

- archive: the input as a tree of files, with the limits that keep hostile archives out;
- repair: what real files contain (mojibake, Liquid, kramdown attribute lists, cut YAML);
- about, config, news, bibliography: what each file says;
- plan: the whole repository read into an ImportPlan (no writes);
- apply: the plan written to a site, atomically; report: what it did;
- exporter: a site back as an al-folio repository.
"""

from profiles.alfolio.about import FrontMatterError, about_page_fields, split_front_matter
from profiles.alfolio.apply import import_site
from profiles.alfolio.archive import ArchiveRefused, read_source, read_upload
from profiles.alfolio.plan import ImportRefused
from profiles.alfolio.report import ImportReport

__all__ = [
    "ArchiveRefused",
    "FrontMatterError",
    "ImportRefused",
    "ImportReport",
    "about_page_fields",
    "import_site",
    "read_source",
    "read_upload",
    "split_front_matter",
]
