"""al-folio sites in and out: read a repository (folder, zip or about.md), import it, export it.

- archive: the input as a tree of files, with the limits that keep hostile archives out;
- repair: what real files contain (mojibake, Liquid, kramdown attribute lists, cut YAML);
- about, config, news: what each file says;
- importer: the plan built from a tree, then applied atomically;
- exporter: a site back as an al-folio repository.
"""

from profiles.alfolio.about import FrontMatterError, about_page_fields, split_front_matter

__all__ = ["FrontMatterError", "about_page_fields", "split_front_matter"]
