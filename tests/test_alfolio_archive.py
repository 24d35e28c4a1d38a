"""profiles.alfolio.archive: a folder, a .zip or an about.md in; the files the importer needs out.

The corpus tests read the nine real al-folio sites in ../shared/corpus (skipped where that
folder is absent), from disk and zipped in memory as GitHub's "Download ZIP" does. The
hostile inputs are built here; each refusal is an exception, and these functions only read,
so the exception is all that happens.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from profiles.alfolio import archive
from profiles.alfolio.archive import (
    ABOUT_PAGE_CANDIDATES,
    MB,
    ArchiveRefused,
    KeptFiles,
    SourceTree,
    find_about_pages,
    kept_rule,
    read_about_file,
    read_folder,
    read_source,
    read_upload,
    read_zip,
)

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"
SITES = sorted(path for path in CORPUS.iterdir() if path.is_dir()) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(
    not SITES, reason=f"the real al-folio sites are not at {CORPUS} (../shared/corpus)"
)
SEEDS = sorted((CORPUS.parent / "seeds").glob("*.md"))

ABOUT = b"---\nlayout: about\ntitle: about\n---\n\nI study **engines**.\n"
CONFIG = b"first_name: Ada\nlast_name: Lovelace\n"


def zip_bytes(
    files: dict[str, bytes], *, top: str = "site-main/", method: int = zipfile.ZIP_DEFLATED
) -> bytes:
    """A zip of these files under one top folder (with folder entries, as GitHub writes them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zipped:
        if top:
            zipped.writestr(top, b"")
        for name, data in files.items():
            zipped.writestr(top + name, data)
    return buffer.getvalue()


def zip_folder(folder: Path, *, top: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(top, b"")
        for path in sorted(folder.rglob("*")):
            zipped.write(path, top + path.relative_to(folder).as_posix())
    return buffer.getvalue()


def make_site(folder: Path, files: dict[str, bytes] | None = None) -> Path:
    for name, data in {"_pages/about.md": ABOUT, "_config.yml": CONFIG, **(files or {})}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def refused(reader, *args, **kwargs) -> str:
    with pytest.raises(ArchiveRefused) as caught:
        reader(*args, **kwargs)
    return str(caught.value)


# ---------------------------------------------------------------- the real sites


@needs_corpus
@pytest.mark.parametrize("site", SITES, ids=lambda path: path.name)
def test_every_corpus_site_reads_from_its_folder_with_its_about_page_and_photo(site):
    source = (site / "SOURCE.txt").read_text()
    about = re.search(r"^about file: (\S+)", source, re.M).group(1)
    photo = re.search(r"^profile image: (\S+) \((\d+) bytes\) (copied|NOT)", source, re.M)

    tree = read_folder(site)

    assert tree.name == site.name
    assert about in find_about_pages(tree)
    assert tree.get(about) == (site / about).read_bytes()
    if photo.group(3) == "copied":
        assert len(tree.get(photo.group(1))) == int(photo.group(2))
    assert tree.get("_config.yml") == (site / "_config.yml").read_bytes()
    assert "SOURCE.txt" not in tree.files
    assert not any(path.startswith("assets/json/") for path in tree.files)
    assert all(kept_rule(path) for path in tree.files)
    assert tree.skipped == []


@needs_corpus
@pytest.mark.parametrize("site", SITES, ids=lambda path: path.name)
def test_every_corpus_site_zipped_like_github_reads_to_the_same_files(site):
    data = zip_folder(site, top=f"{site.name}-main/")

    tree = read_zip(io.BytesIO(data), name=f"{site.name}-main.zip")

    assert tree.name == f"{site.name}-main.zip"
    assert tree.files == read_folder(site).files


@needs_corpus
def test_a_multi_language_site_keeps_its_news_at_every_depth_and_its_about_pages():
    tree = read_folder(CORPUS / "jiaye-wu__jiaye-wu.github.io")

    assert find_about_pages(tree) == [
        "_pages/en-us/about.md",
        "_pages/zh-cn/about.md",
        "_pages/zh-hk/about.md",
    ]
    assert len(tree.text_paths("_news/zh-cn")) == 14
    assert tree.text_paths("_news") == tree.text_paths("_news/") == sorted(tree.text_paths("_news"))


@needs_corpus
def test_a_corpus_site_reads_from_a_zip_file_on_disk_and_from_an_upload(tmp_path):
    site = CORPUS / "ellisbrown__ellisbrown.github.io"
    data = zip_folder(site, top="ellisbrown.github.io-main/")
    (tmp_path / "site.zip").write_bytes(data)

    from_disk = read_source(tmp_path / "site.zip")
    uploaded = read_upload(SimpleUploadedFile("ellisbrown.github.io-main.zip", data))

    assert from_disk.files == uploaded.files == read_source(site).files
    assert uploaded.name == "ellisbrown.github.io-main.zip"


@pytest.mark.skipif(not SEEDS, reason=f"the seed about pages are not at {CORPUS.parent / 'seeds'}")
@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name)
def test_a_seed_about_page_uploaded_on_its_own_is_kept_byte_for_byte(seed):
    tree = read_upload(SimpleUploadedFile(seed.name, seed.read_bytes()))

    assert tree.files == {"_pages/about.md": seed.read_bytes()}
    assert tree.name == seed.name


# ---------------------------------------------------------------- what is kept


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("_config.yml", True),
        ("_config.yml.bak", False),
        ("about.md", True),
        ("index.markdown", True),
        ("README.md", False),
        ("_pages/about.md", True),
        ("_pages/en-us/about.md", True),
        ("_pages/cv.html", True),
        ("_pages/notes.txt", False),
        ("_pages/._about.md", False),  # macOS's resource fork, not a page
        ("_Pages/about.md", False),  # Jekyll compares paths case-sensitively
        ("_data/socials.yml", True),
        ("_data/old/socials.yml", False),
        ("_news/en-us/announcement_1.md", True),
        ("_bibliography/papers.bib", True),
        ("_bibliography/old/papers.bib", False),
        ("_layouts/about.liquid", False),
        ("assets/img/me.JPG", True),  # extensions are not case-sensitive, as in Jekyll
        ("assets/img/publication_preview/paper.png", True),
        ("assets/img/logo.svg", False),
        ("assets/pdf/cv.pdf", True),
        ("assets/json/resume.json", False),
    ],
)
def test_only_the_files_the_importer_reads_are_kept(path, kept):
    assert (kept_rule(path) is not None) is kept


def test_the_list_of_kept_files_can_be_extended_by_the_importer(tmp_path, monkeypatch):
    make_site(tmp_path, {"assets/json/resume.json": b"{}"})
    monkeypatch.setattr(
        archive, "KEPT_FILES", (*archive.KEPT_FILES, KeptFiles("assets/json/", (".json",)))
    )

    assert read_folder(tmp_path).get("assets/json/resume.json") == b"{}"


def test_a_source_tree_lists_paths_under_a_folder_and_gets_files():
    tree = SourceTree(
        name="x", files={"_news/b.md": b"b", "_news/en/a.md": b"a", "_data/x.yml": b""}
    )

    assert tree.text_paths("_news/") == ["_news/b.md", "_news/en/a.md"]
    assert tree.get("_news/b.md") == b"b"
    assert tree.get("_news/missing.md") is None


def test_an_about_page_is_found_at_each_place_named_in_the_candidates():
    for place in [*ABOUT_PAGE_CANDIDATES[:-1], "_pages/pt-br/about.md"]:
        assert find_about_pages(SourceTree(name="x", files={place: ABOUT})) == [place]
    both = SourceTree(name="x", files={"index.md": b"", "_pages/about.md": b""})
    assert find_about_pages(both) == ["_pages/about.md", "index.md"]


# ---------------------------------------------------------------- folders


def test_git_node_modules_and_build_folders_are_never_walked(tmp_path, monkeypatch):
    make_site(tmp_path)
    for folder in (".git/objects", "node_modules/x", "_site", "vendor/bundle", "assets/img/.git"):
        (tmp_path / folder).mkdir(parents=True)
        for number in range(50):
            (tmp_path / folder / f"{number}.md").write_bytes(b"")
    monkeypatch.setattr(archive, "MAX_FOLDER_PATHS", 20)

    tree = read_folder(tmp_path)

    assert sorted(tree.files) == ["_config.yml", "_pages/about.md"]


def test_a_folder_past_the_walk_limit_is_refused(tmp_path, monkeypatch):
    make_site(tmp_path, {f"_news/{number}.md": b"news" for number in range(30)})
    monkeypatch.setattr(archive, "MAX_FOLDER_PATHS", 20)

    assert "more than 20 files" in refused(read_folder, tmp_path)


def test_a_folder_whose_about_page_links_outside_it_is_refused(tmp_path):
    (tmp_path / "outside.md").write_bytes(b"secret")
    site = make_site(tmp_path / "site")
    (site / "_pages/about.md").unlink()
    (site / "_pages/about.md").symlink_to(tmp_path / "outside.md")

    message = refused(read_folder, site)

    assert "_pages/about.md is a symbolic link" in message


def test_a_folder_whose_image_folder_links_outside_it_is_refused(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/me.jpg").write_bytes(b"\xff\xd8")
    site = make_site(tmp_path / "site")
    (site / "assets").mkdir()
    (site / "assets/img").symlink_to(tmp_path / "elsewhere", target_is_directory=True)

    assert "assets/img is a symbolic link" in refused(read_folder, site)


def test_a_link_the_importer_never_reads_is_left_alone(tmp_path):
    (tmp_path / "elsewhere.md").write_bytes(b"x")
    site = make_site(tmp_path / "site")
    (site / "README.md").symlink_to(tmp_path / "elsewhere.md")

    assert "README.md" not in read_folder(site).files


def test_a_pipe_where_a_page_should_be_is_refused_without_reading_it(tmp_path):
    site = make_site(tmp_path)
    os.mkfifo(site / "_pages/cv.md")

    assert "not an ordinary file" in refused(read_folder, site)


def test_oversize_images_and_texts_in_a_folder_are_skipped_and_listed(tmp_path):
    site = make_site(tmp_path, {"assets/img/small.png": b"\x89PNG", "_news/short.md": b"hi"})
    with (site / "assets/img/huge.jpg").open("wb") as image:
        image.truncate(10 * MB + 1)  # sparse: no 10 MB written
    with (site / "_news/long.md").open("wb") as text:
        text.truncate(2 * MB + 1)

    tree = read_folder(site)

    assert "assets/img/small.png" in tree.files
    assert "assets/img/huge.jpg" not in tree.files
    reasons = dict(tree.skipped)
    assert "limit of 10 MB for an image or PDF" in reasons["assets/img/huge.jpg"]
    assert "limit of 2 MB for a text file" in reasons["_news/long.md"]


def test_a_folder_whose_kept_files_pass_the_total_limit_is_refused(tmp_path, monkeypatch):
    site = make_site(tmp_path, {"assets/pdf/paper.pdf": b"%PDF" * 100})
    monkeypatch.setattr(archive, "MAX_FOLDER_BYTES", 300)

    assert "more than 300 bytes, the limit" in refused(read_folder, site)


def test_a_folder_without_an_about_page_is_refused_naming_the_places_looked_at(tmp_path):
    site = make_site(tmp_path)
    (site / "_pages/about.md").unlink()

    message = refused(read_folder, site)

    assert f"We found no about page in {site.name}" in message
    assert "_pages/about.md, _pages/about.markdown, about.md" in message
    assert "_pages/<lang>/about.md" in message


# ---------------------------------------------------------------- hostile zips


@pytest.mark.parametrize(
    ("member", "fragment"),
    [
        ("../../evil.txt", "points outside the archive"),
        ("site-main/_pages/../../../evil.md", "points outside the archive"),
        ("/etc/passwd", "is an absolute path"),
        ("C:\\x", "starts with a drive letter"),
        ("C:/x", "starts with a drive letter"),
        ("site-main\\_pages\\about.md", "holds a backslash"),
    ],
)
def test_a_zip_with_a_member_named_outside_itself_is_refused(member, fragment):
    buffer = io.BytesIO(zip_bytes({"_pages/about.md": ABOUT}))
    with zipfile.ZipFile(buffer, "a") as zipped:
        zipped.writestr(member, b"evil")

    message = refused(read_zip, buffer, name="site.zip")

    assert fragment in message
    assert repr(member) in message


def test_a_zip_with_a_nul_in_a_member_name_is_refused():
    # zipfile cuts names at NUL when writing, so the byte goes in afterwards.
    data = zip_bytes({"_pages/about.md": ABOUT, "_pages/cvXmd.md": b"x"})
    data = data.replace(b"cvXmd", b"cv\x00md")

    assert "holds a control character" in refused(read_zip, io.BytesIO(data), name="site.zip")


def test_a_zip_with_a_symbolic_link_member_is_refused():
    buffer = io.BytesIO(zip_bytes({"_pages/about.md": ABOUT}))
    with zipfile.ZipFile(buffer, "a") as zipped:
        link = zipfile.ZipInfo("site-main/_data/socials.yml")
        link.external_attr = 0o120777 << 16
        zipped.writestr(link, b"/etc/passwd")

    message = refused(read_zip, buffer, name="site.zip")

    assert "_data/socials.yml is a symbolic link" in message


def test_a_zip_bomb_is_refused_before_anything_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("site-main/_pages/about.md", ABOUT)
        # 300 MB of zeros, written in 1 MB chunks: about 300 KB packed.
        with zipped.open("site-main/assets/pdf/paper.pdf", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(bytes(MB))

    message = refused(read_zip, buffer, name="bomb.zip")

    assert "looks like a zip bomb" in message
    assert "to 300 MB" in message
    assert "more than 100 times" in message


def test_a_zip_whose_kept_files_unpack_past_the_total_limit_is_refused(monkeypatch):
    data = zip_bytes({"_pages/about.md": ABOUT, "_bibliography/papers.bib": b"@misc{a,}\n" * 50})
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 300)

    message = refused(read_zip, io.BytesIO(data), name="site.zip")

    assert "unpack to 557 bytes, more than the limit of 300 bytes" in message


def test_a_member_whose_header_understates_its_size_is_never_read_past_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("site-main/_pages/about.md", ABOUT)
        zipped.writestr("site-main/_pages/cv.md", b"a" * 100_000)
        zipped.filelist[-1].file_size = 10  # the central directory lies

    message = refused(read_zip, buffer, name="forged.zip")

    assert "forged.zip is not a zip archive we can read" in message
    assert "CRC" in message


def test_a_zip_of_ten_thousand_files_is_refused():
    data = zip_bytes({f"_news/{number}.md": b"" for number in range(10_000)}, top="")

    message = refused(read_zip, io.BytesIO(data), name="many.zip")

    assert "This archive holds 10,000 files; the limit is 5,000" in message


def test_a_zip_whose_end_record_understates_its_file_count_is_counted_again():
    data = bytearray(zip_bytes({f"_news/{number}.md": b"" for number in range(6_000)}, top=""))
    data[-14:-10] = (10).to_bytes(2, "little") * 2  # "10 entries on this disk, 10 in all"

    message = refused(read_zip, io.BytesIO(bytes(data)), name="many.zip")

    assert "This archive holds 6,000 files" in message


def test_a_zip64_end_record_is_counted_before_zipfile_parses_the_list(monkeypatch):
    buffer = io.BytesIO()
    with monkeypatch.context() as patch:
        patch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 2)  # makes zipfile write a Zip64 end record
        with zipfile.ZipFile(buffer, "w") as zipped:
            for number in range(7):
                zipped.writestr(f"_news/{number}.md", b"x")
    monkeypatch.setattr(archive, "MAX_ZIP_ENTRIES", 5)
    monkeypatch.setattr(archive, "_read_archive", None)  # refused before it would be called

    assert "This archive holds 7 files; the limit is 5" in refused(read_zip, buffer, name="z")


def test_a_password_protected_zip_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("site-main/_pages/about.md", ABOUT)
        zipped.writestr("site-main/_config.yml", CONFIG)
        zipped.filelist[-1].flag_bits |= 0x1  # "encrypted", as the central directory says

    message = refused(read_zip, buffer, name="secret.zip")

    assert "password-protected" in message
    assert "_config.yml is encrypted" in message


def test_a_truncated_zip_is_refused():
    data = zip_bytes({"_pages/about.md": ABOUT, "_config.yml": CONFIG})

    message = refused(read_zip, io.BytesIO(data[: len(data) // 2]), name="half.zip")

    assert "half.zip is not a zip archive we can read" in message


def test_a_file_that_is_not_a_zip_is_refused_as_one_we_cannot_read(tmp_path):
    (tmp_path / "site.zip").write_bytes(b"Rar!\x1a\x07\x00" + bytes(100))

    message = refused(read_source, tmp_path / "site.zip")

    assert "site.zip is not a zip archive we can read" in message
    assert "does not start as a zip archive does" in message


def test_a_zip_file_over_the_size_limit_is_refused_without_being_read(tmp_path):
    with (tmp_path / "huge.zip").open("wb") as huge:
        huge.truncate(50 * MB + 1)  # sparse

    assert "huge.zip is 50 MB; the limit is 50 MB" in refused(read_source, tmp_path / "huge.zip")


def test_a_zip_without_an_about_page_is_refused_naming_the_places_looked_at():
    data = zip_bytes({"_config.yml": CONFIG, "_pages/cv.md": b"cv"})

    message = refused(read_zip, io.BytesIO(data), name="site.zip")

    assert "We found no about page in site.zip; we looked at _pages/about.md" in message
    assert "index.md" in message


def test_a_zip_holding_one_file_twice_is_refused():
    data = zip_bytes({"_pages/about.md": ABOUT, "_config.yml": CONFIG, "./_config.yml": b"x"})

    assert "holds two files named _config.yml" in refused(read_zip, io.BytesIO(data), name="z")


def test_an_oversize_image_in_a_zip_is_skipped_and_listed():
    image = b"\xff\xd8\xff" + bytes(10 * MB)  # stored, so no zip-bomb ratio
    data = zip_bytes(
        {"_pages/about.md": ABOUT, "assets/img/huge.jpg": image, "assets/img/me.heic": b"x"},
        method=zipfile.ZIP_STORED,
    )

    tree = read_zip(io.BytesIO(data), name="site.zip")

    assert sorted(tree.files) == ["_pages/about.md"]
    reasons = dict(tree.skipped)
    assert reasons["assets/img/huge.jpg"].startswith("10 MB, over the limit of 10 MB")
    assert "not an image we import" in reasons["assets/img/me.heic"]


def test_a_bomb_under_the_ratio_limit_is_skipped_as_too_large_never_unpacked(monkeypatch):
    monkeypatch.setattr(archive, "MAX_COMPRESSION_RATIO", 10**9)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("_pages/about.md", ABOUT)
        zipped.writestr("_news/zeros.md", bytes(20 * MB))

    tree = read_zip(buffer, name="site.zip")

    assert "_news/zeros.md" in dict(tree.skipped)
    assert "_news/zeros.md" not in tree.files


def test_a_mac_zip_keeps_its_top_folder_stripped_and_its_utf8_names_without_the_flag():
    buffer = io.BytesIO(
        zip_bytes({"_pages/about.md": ABOUT, "_news/新闻.md": b"news"}, top="site/")
    )
    with zipfile.ZipFile(buffer, "a") as zipped:
        zipped.writestr("__MACOSX/site/_pages/._about.md", b"\x00\x05\x16\x07")
    # macOS's zip writes UTF-8 names without flagging them (bit 11): clear the flag.
    data = bytearray(buffer.getvalue())
    for header, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for found in re.finditer(re.escape(header), bytes(data)):
            data[found.start() + flags_at + 1] &= ~0x08 & 0xFF

    tree = read_zip(io.BytesIO(bytes(data)), name="site.zip")

    assert sorted(tree.files) == ["_news/新闻.md", "_pages/about.md"]


def test_a_zip_of_only_the_pages_folder_keeps_that_folder():
    data = zip_bytes({"about.md": ABOUT, "cv.md": b"cv"}, top="_pages/")

    assert sorted(read_zip(io.BytesIO(data), name="pages.zip").files) == [
        "_pages/about.md",
        "_pages/cv.md",
    ]


# ---------------------------------------------------------------- uploads and the command


def test_an_about_md_upload_becomes_the_about_page():
    tree = read_upload(SimpleUploadedFile("about.md", ABOUT))

    assert tree.files == {"_pages/about.md": ABOUT}
    assert tree.skipped == []


def test_an_about_md_in_windows_encoding_is_kept_as_its_bytes():
    data = "---\ntitle: about\n---\nCaf\u00e9 \u2013 na\u00efve\n".encode("cp1252")

    assert read_about_file(data, name="about.md").get("_pages/about.md") == data


def test_a_word_document_renamed_zip_has_no_about_page_and_is_refused():
    docx = zip_bytes(
        {
            "[Content_Types].xml": b"<?xml version='1.0'?><Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
            "docProps/core.xml": b"<cp:coreProperties/>",
        },
        top="",
    )

    message = refused(read_upload, SimpleUploadedFile("cv.zip", docx))

    assert "We found no about page in cv.zip" in message
    assert "no _config.yml either" in message


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n", "looks like a PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not a text file"),
        ("---\ntitle: about\n---\n".encode("utf-16"), "save it as UTF-8"),
        (b"{\\rtf1\\ansi about me}", "looks like an RTF document"),
        (b"  \n", "is empty"),
    ],
)
def test_an_upload_that_is_neither_a_zip_nor_markdown_is_refused(content, fragment):
    message = refused(read_upload, SimpleUploadedFile("about.md", content))

    assert message.startswith("about.md ")
    assert fragment in message


def test_a_large_upload_that_is_not_a_zip_is_refused():
    upload = SimpleUploadedFile("notes.md", b"x" * (2 * MB + 1))

    assert "too large for an about page" in refused(read_upload, upload)


def test_an_upload_over_the_archive_limit_is_refused_before_it_is_read():
    upload = SimpleUploadedFile("site.zip", b"PK\x03\x04")
    upload.size = 60 * MB

    assert "site.zip is 60 MB; the limit is 50 MB" in refused(read_upload, upload)
    assert upload.tell() == 0


def test_the_command_reads_a_folder_a_zip_or_an_about_page_and_refuses_the_rest(tmp_path):
    site = make_site(tmp_path / "mysite")
    (tmp_path / "site.zip").write_bytes(zip_bytes({"_pages/about.md": ABOUT}))
    (tmp_path / "about.markdown").write_bytes(ABOUT)
    (tmp_path / "notes.txt").write_bytes(ABOUT)

    assert read_source(site).name == "mysite"
    assert read_source(tmp_path / "site.zip").files == {"_pages/about.md": ABOUT}
    assert read_source(tmp_path / "about.markdown").files == {"_pages/about.md": ABOUT}
    assert "neither a folder, a .zip nor an about page" in refused(
        read_source, tmp_path / "notes.txt"
    )
    assert "There is no file or folder" in refused(read_source, tmp_path / "missing")


def test_a_folder_with_a_page_that_cannot_be_read_is_refused(tmp_path, monkeypatch):
    site = make_site(tmp_path, {"_pages/cv.md": b"cv"})

    def denied(path: str, limit: int) -> bytes:  # what a chmod 000 file gives (tests run as root)
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(archive, "_read_file", denied)

    assert "cannot be read: Permission denied" in refused(read_folder, site)
