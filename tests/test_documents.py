"""Uploaded PDFs (CVs) are checked and re-written without scripts, attachments or forms.

Every test PDF is built in memory with pypdf; nothing here needs a fixture file.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.annotations import Link
from pypdf.errors import DependencyError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from profiles import documents
from profiles.documents import MAX_DOCUMENT_BYTES, MAX_PAGES, process_pdf

HTML_AFTER_A_PDF_HEADER = b"%PDF-1.7\n<html><script>alert(1)</script></html>"


def name(value: str) -> NameObject:
    return NameObject(value)


def blank_writer(pages: int = 1) -> PdfWriter:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    return writer


def pdf_bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def a_pdf(pages: int = 1) -> bytes:
    return pdf_bytes(blank_writer(pages))


def upload(data: bytes, filename: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(filename, data, content_type="application/pdf")


def reopen(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data), strict=True)


def refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process_pdf(upload(data))
    return caught.value


def assert_readable(error: ValidationError) -> None:
    message = error.messages[0]
    assert message.endswith(".")
    for jargon in ("pypdf", "xref", "trailer", "Errno", "Traceback", "Exception"):
        assert jargon not in message


def annotations_of(reader: PdfReader) -> list[DictionaryObject]:
    return [
        annotation.get_object() for page in reader.pages for annotation in page.get("/Annots", [])
    ]


def link_with_action(action: DictionaryObject, rect=(50, 50, 200, 80)) -> DictionaryObject:
    annotation = Link(rect=rect, url="https://example.org/placeholder")
    annotation[name("/A")] = action
    return annotation


# --- What is accepted ------------------------------------------------------


def test_a_valid_one_page_pdf_comes_out_as_a_pdf_with_one_page():
    output = process_pdf(upload(a_pdf()))

    assert output.startswith(b"%PDF-")
    reader = reopen(output)
    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width == 612


def test_every_page_of_a_longer_pdf_is_kept_in_order():
    writer = blank_writer(0)
    for width in (300, 400, 500):
        writer.add_blank_page(width=width, height=792)

    reader = reopen(process_pdf(upload(pdf_bytes(writer))))

    assert [page.mediabox.width for page in reader.pages] == [300, 400, 500]


def test_a_pdf_with_exactly_the_most_pages_we_accept_is_accepted():
    assert len(reopen(process_pdf(upload(a_pdf(MAX_PAGES)))).pages) == MAX_PAGES


def test_an_upload_a_form_has_already_read_is_read_from_the_start():
    file = upload(a_pdf())
    file.read()

    assert len(reopen(process_pdf(file)).pages) == 1


def test_a_plain_binary_stream_is_accepted():
    assert len(reopen(process_pdf(io.BytesIO(a_pdf()))).pages) == 1


def test_a_little_junk_after_the_end_of_file_marker_is_tolerated():
    # Some tools pad files; like Acrobat we look for %%EOF in the last 1024 bytes.
    data = a_pdf() + b"\x00" * 500

    assert len(reopen(process_pdf(upload(data))).pages) == 1


def test_title_and_author_are_kept():
    writer = blank_writer()
    writer.add_metadata({"/Title": "Curriculum vitae", "/Author": "Ada Lovelace"})

    metadata = reopen(process_pdf(upload(pdf_bytes(writer)))).metadata

    assert metadata.title == "Curriculum vitae"
    assert metadata.author == "Ada Lovelace"


def test_xmp_metadata_is_dropped():
    writer = blank_writer()
    xmp = DecodedStreamObject()
    xmp.set_data(b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret-editing-history</x:xmpmeta>')
    xmp.update({name("/Type"): name("/Metadata"), name("/Subtype"): name("/XML")})
    reference = writer._add_object(xmp)
    writer.root_object[name("/Metadata")] = reference
    writer.pages[0][name("/Metadata")] = reference

    output = process_pdf(upload(pdf_bytes(writer)))

    assert b"/Metadata" not in output
    assert b"secret-editing-history" not in output


def test_the_text_on_a_page_survives():
    writer = blank_writer()
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 720 Td (Ada Lovelace, Curriculum vitae) Tj ET")
    font = DictionaryObject(
        {
            name("/Type"): name("/Font"),
            name("/Subtype"): name("/Type1"),
            name("/BaseFont"): name("/Helvetica"),
        }
    )
    page = writer.pages[0]
    page[name("/Contents")] = writer._add_object(content)
    page[name("/Resources")] = DictionaryObject(
        {name("/Font"): DictionaryObject({name("/F1"): writer._add_object(font)})}
    )

    reader = reopen(process_pdf(upload(pdf_bytes(writer))))

    assert "Ada Lovelace, Curriculum vitae" in reader.pages[0].extract_text()


# --- What is refused -------------------------------------------------------


def test_a_pdf_that_continues_as_html_is_refused():
    error = refusal(HTML_AFTER_A_PDF_HEADER)

    assert error.code == "corrupt"
    assert "damaged or incomplete" in error.messages[0]
    assert_readable(error)


def test_a_pdf_header_then_html_is_refused_even_with_an_end_of_file_marker():
    error = refusal(HTML_AFTER_A_PDF_HEADER + b"\n%%EOF\n")

    assert error.code == "corrupt"
    assert "export your CV to PDF again" in error.messages[0]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"Ada Lovelace\nCurriculum vitae\n", id="plain text"),
        pytest.param(b"<!DOCTYPE html><html><body>CV</body></html>", id="html"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, id="png"),
        pytest.param(b" %PDF-1.7\n", id="a PDF header after a space"),
    ],
)
def test_files_that_are_not_pdfs_are_refused(data):
    error = refusal(data)

    assert error.code == "not_pdf"
    assert "not a PDF" in error.messages[0]
    assert "Save as PDF" in error.messages[0]
    assert_readable(error)


def test_an_empty_file_is_refused():
    error = refusal(b"")

    assert error.code == "not_pdf"
    assert "empty" in error.messages[0]
    assert_readable(error)


def test_an_oversize_upload_is_refused_without_reading_it():
    class HugeUpload:
        size = MAX_DOCUMENT_BYTES + 1

        def seek(self, offset: int) -> None:
            raise AssertionError("a too-large upload must not be touched")

        def read(self, size: int = -1) -> bytes:
            raise AssertionError("a too-large upload must not be read")

    with pytest.raises(ValidationError) as caught:
        process_pdf(HugeUpload())

    assert caught.value.code == "too_large"
    assert "10 MB" in caught.value.messages[0]
    assert_readable(caught.value)


def test_a_stream_without_a_size_is_read_only_one_byte_past_the_limit(monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 1000)
    stream = io.BytesIO(b"%PDF-1.7\n" + b"x" * 5000)

    with pytest.raises(ValidationError) as caught:
        process_pdf(stream)

    assert caught.value.code == "too_large"
    assert stream.tell() == 1001


def test_a_pdf_exactly_at_the_size_limit_is_accepted(monkeypatch):
    data = a_pdf()
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", len(data))

    assert len(reopen(process_pdf(upload(data))).pages) == 1


@pytest.mark.parametrize("keep", [0.5, 0.9], ids=["half", "all but the end"])
def test_a_truncated_pdf_is_refused(keep):
    data = a_pdf(3)

    error = refusal(data[: int(len(data) * keep)])

    assert error.code == "corrupt"
    assert "incomplete" in error.messages[0]
    assert_readable(error)


def test_a_pdf_cut_off_just_before_its_end_of_file_marker_is_refused():
    data = a_pdf()
    assert data.endswith(b"%%EOF\n")

    error = refusal(data[: -len(b"%%EOF\n")])

    assert error.code == "corrupt"


@pytest.mark.parametrize(
    "media_box",
    [
        None,
        TextStringObject("letter"),
        ArrayObject([NumberObject(0), NumberObject(0)]),
        ArrayObject([NumberObject(0), NumberObject(0), NumberObject(0), NumberObject(792)]),
    ],
    ids=["missing", "a string", "two numbers", "zero wide"],
)
def test_a_page_without_a_readable_size_is_refused(media_box):
    writer = blank_writer(2)
    if media_box is None:
        del writer.pages[1]["/MediaBox"]
    else:
        writer.pages[1][name("/MediaBox")] = media_box

    error = refusal(pdf_bytes(writer))

    assert error.code == "corrupt"
    assert_readable(error)


def test_a_media_box_given_by_its_other_two_corners_is_accepted():
    writer = blank_writer()
    writer.pages[0][name("/MediaBox")] = ArrayObject(
        [NumberObject(612), NumberObject(792), NumberObject(0), NumberObject(0)]
    )

    assert len(reopen(process_pdf(upload(pdf_bytes(writer)))).pages) == 1


def test_a_pdf_with_garbage_in_place_of_its_pages_is_refused():
    data = a_pdf().replace(b"/Type /Page\n", b"/Type /Junk\n")

    error = refusal(data)

    assert error.code == "corrupt"


def test_a_pdf_without_pages_is_refused():
    error = refusal(pdf_bytes(PdfWriter()))

    assert error.code == "corrupt"
    assert "no pages" in error.messages[0]
    assert_readable(error)


def test_too_many_pages_are_refused():
    error = refusal(a_pdf(MAX_PAGES + 1))

    assert error.code == "too_many_pages"
    assert f"{MAX_PAGES + 1} pages" in error.messages[0]
    assert f"the most we accept is {MAX_PAGES}" in error.messages[0]
    assert_readable(error)


def test_a_page_count_that_lies_does_not_make_us_walk_a_huge_page_tree():
    writer = blank_writer(4 * MAX_PAGES + 1)
    writer.root_object["/Pages"][name("/Count")] = NumberObject(1)

    error = refusal(pdf_bytes(writer))

    assert error.code == "too_many_pages"
    assert "too many pages" in error.messages[0]


def test_a_password_protected_pdf_is_refused_as_encrypted():
    writer = blank_writer()
    writer.encrypt(user_password="secret", algorithm="RC4-128")

    error = refusal(pdf_bytes(writer))

    assert error.code == "encrypted"
    assert "save a copy without a password" in error.messages[0]
    assert_readable(error)


def test_an_owner_password_only_pdf_is_accepted_and_comes_out_unencrypted():
    writer = blank_writer(2)
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="RC4-128")

    reader = reopen(process_pdf(upload(pdf_bytes(writer))))

    assert not reader.is_encrypted
    assert len(reader.pages) == 2


def test_a_pdf_whose_encryption_needs_a_missing_library_is_refused_as_encrypted(monkeypatch):
    # AES needs pypdf's "crypto" extra, which we do not install; pypdf then
    # raises DependencyError (here simulated on an RC4 file).
    def needs_cryptography(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", needs_cryptography)
    writer = blank_writer()
    writer.encrypt(user_password="", owner_password="owner-only", algorithm="RC4-128")

    error = refusal(pdf_bytes(writer))

    assert error.code == "encrypted"
    assert "save a copy without a password" in error.messages[0]


def test_a_missing_decryption_library_noticed_while_copying_is_refused_as_encrypted(monkeypatch):
    def needs_cryptography(self, *args, **kwargs):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    data = a_pdf()
    monkeypatch.setattr(PdfWriter, "add_page", needs_cryptography)

    assert refusal(data).code == "encrypted"


def test_an_unexpected_error_inside_pypdf_becomes_a_corrupt_refusal(monkeypatch):
    def breaks(self, *args, **kwargs):
        raise KeyError("/Kids")

    data = a_pdf()
    monkeypatch.setattr(PdfWriter, "add_page", breaks)

    error = refusal(data)

    assert error.code == "corrupt"
    assert_readable(error)


def test_a_pdf_that_takes_too_long_to_read_is_refused_as_too_complex(monkeypatch):
    monkeypatch.setattr(documents, "MAX_SECONDS", -1.0)

    error = refusal(a_pdf())

    assert error.code == "too_complex"
    assert "Save as PDF" in error.messages[0]
    assert_readable(error)


# --- What is removed -------------------------------------------------------


def test_document_javascript_and_the_open_action_are_not_carried_over():
    writer = blank_writer()
    writer.add_open_action(JavaScript("app.alert('from the name tree');"))
    writer.root_object[name("/OpenAction")] = JavaScript("app.alert('on open');")
    writer.root_object[name("/AA")] = DictionaryObject(
        {name("/WC"): JavaScript("app.alert('on close');")}
    )
    data = pdf_bytes(writer)
    assert b"/JavaScript" in data and b"/OpenAction" in data

    output = process_pdf(upload(data))

    for marker in (b"/JavaScript", b"/JS", b"/OpenAction", b"/AA", b"app.alert"):
        assert marker not in output
    catalog = reopen(output).trailer["/Root"]
    for key in ("/OpenAction", "/Names", "/AA"):
        assert key not in catalog


def test_embedded_attachments_are_not_carried_over():
    writer = blank_writer()
    writer.add_attachment("invoice.exe", b"MZ-not-really-a-program")
    data = pdf_bytes(writer)
    assert b"/EmbeddedFile" in data

    output = process_pdf(upload(data))

    assert b"/EmbeddedFile" not in output
    assert b"invoice.exe" not in output
    assert "/Names" not in reopen(output).trailer["/Root"]


def test_a_link_to_a_web_page_is_kept():
    writer = blank_writer()
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://doi.org/10.1000/182"))

    annotations = annotations_of(reopen(process_pdf(upload(pdf_bytes(writer)))))

    assert len(annotations) == 1
    assert annotations[0]["/Subtype"] == "/Link"
    assert annotations[0]["/A"]["/S"] == "/URI"
    assert annotations[0]["/A"]["/URI"] == "https://doi.org/10.1000/182"


def test_a_link_to_another_page_is_kept_and_still_points_at_it():
    writer = blank_writer(2)
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), target_page_index=1))

    reader = reopen(process_pdf(upload(pdf_bytes(writer))))

    (annotation,) = annotations_of(reader)
    assert annotation["/Dest"][0].get_object().indirect_reference == (
        reader.pages[1].indirect_reference
    )


def test_a_javascript_link_annotation_is_removed():
    writer = blank_writer()
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://example.org/"))
    writer.add_annotation(0, link_with_action(JavaScript("app.launchURL('https://evil');")))

    output = process_pdf(upload(pdf_bytes(writer)))

    annotations = annotations_of(reopen(output))
    assert [a["/A"]["/URI"] for a in annotations] == ["https://example.org/"]
    assert b"/JavaScript" not in output
    assert b"evil" not in output


@pytest.mark.parametrize("kind", ["/Launch", "/SubmitForm", "/ImportData", "/ResetForm"])
def test_links_that_launch_programs_or_send_data_are_removed(kind):
    writer = blank_writer()
    action = DictionaryObject(
        {name("/S"): name(kind), name("/F"): TextStringObject("calc.exe-or-form-target")}
    )
    writer.add_annotation(0, link_with_action(action))

    output = process_pdf(upload(pdf_bytes(writer)))

    assert annotations_of(reopen(output)) == []
    assert kind.encode() not in output


def test_a_javascript_uri_link_is_removed():
    writer = blank_writer()
    action = DictionaryObject(
        {name("/S"): name("/URI"), name("/URI"): TextStringObject(" JavaScript:alert(1)")}
    )
    writer.add_annotation(0, link_with_action(action))

    assert annotations_of(reopen(process_pdf(upload(pdf_bytes(writer))))) == []


def test_a_script_chained_after_a_web_link_is_removed_but_the_link_is_kept():
    writer = blank_writer()
    action = DictionaryObject(
        {
            name("/S"): name("/URI"),
            name("/URI"): TextStringObject("https://example.org/"),
            name("/Next"): JavaScript("app.alert('chained');"),
        }
    )
    writer.add_annotation(0, link_with_action(action))

    output = process_pdf(upload(pdf_bytes(writer)))

    (annotation,) = annotations_of(reopen(output))
    assert annotation["/A"]["/URI"] == "https://example.org/"
    assert "/Next" not in annotation["/A"]
    assert b"app.alert" not in output


def test_page_additional_actions_are_removed():
    writer = blank_writer()
    writer.pages[0].add_action(PageTrigger.OPEN, JavaScript("app.alert('page opened');"))
    assert b"/AA" in pdf_bytes(writer)

    output = process_pdf(upload(pdf_bytes(writer)))

    assert b"/AA" not in output
    assert b"app.alert" not in output


def test_an_annotation_with_additional_actions_keeps_its_link_but_loses_the_actions():
    writer = blank_writer()
    link = Link(rect=(50, 50, 200, 80), url="https://example.org/")
    link[name("/AA")] = DictionaryObject({name("/E"): JavaScript("app.alert('hover');")})
    writer.add_annotation(0, link)

    output = process_pdf(upload(pdf_bytes(writer)))

    (annotation,) = annotations_of(reopen(output))
    assert "/AA" not in annotation
    assert b"app.alert" not in output


def test_file_attachment_form_field_and_media_annotations_are_removed():
    writer = blank_writer()
    payload = DecodedStreamObject()
    payload.set_data(b"MZ-attached-program")
    payload[name("/Type")] = name("/EmbeddedFile")
    file_spec = DictionaryObject(
        {
            name("/Type"): name("/Filespec"),
            name("/F"): TextStringObject("tool.exe"),
            name("/EF"): DictionaryObject({name("/F"): writer._add_object(payload)}),
        }
    )
    for subtype, extra in (
        ("/FileAttachment", {name("/FS"): file_spec}),
        ("/Widget", {name("/FT"): name("/Tx"), name("/T"): TextStringObject("field")}),
        ("/Screen", {}),
        ("/Movie", {}),
        ("/Sound", {}),
        ("/RichMedia", {}),
    ):
        annotation = DictionaryObject(
            {
                name("/Type"): name("/Annot"),
                name("/Subtype"): name(subtype),
                name("/Rect"): ArrayObject([NumberObject(n) for n in (0, 0, 10, 10)]),
                **extra,
            }
        )
        writer.add_annotation(0, annotation)
    widget = writer.pages[0]["/Annots"][1]
    writer.root_object[name("/AcroForm")] = DictionaryObject(
        {name("/Fields"): ArrayObject([widget])}
    )
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://example.org/"))

    output = process_pdf(upload(pdf_bytes(writer)))

    reader = reopen(output)
    assert [a["/Subtype"] for a in annotations_of(reader)] == ["/Link"]
    assert "/AcroForm" not in reader.trailer["/Root"]
    for marker in (b"/EmbeddedFile", b"MZ-attached-program", b"/Widget", b"/FileAttachment"):
        assert marker not in output


def test_a_script_on_a_page_that_another_page_links_to_is_removed_everywhere():
    # Copying the link on page 1 copies what it points at (page 2) before
    # page 2 itself is added: that copy must be clean too.
    writer = blank_writer(2)
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), target_page_index=1))
    writer.add_annotation(1, link_with_action(JavaScript("app.alert('page two');")))
    writer.pages[1].add_action(PageTrigger.OPEN, JavaScript("app.alert('page two opened');"))

    output = process_pdf(upload(pdf_bytes(writer)))

    assert b"/JavaScript" not in output
    assert b"app.alert" not in output
    assert len(reopen(output).pages) == 2


# --- AES, which Word uses for "restrict editing" (pypdf's crypto extra) -------------


def test_an_aes_pdf_that_only_restricts_editing_is_accepted_and_comes_out_unlocked():
    writer = blank_writer()
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-256")
    cleaned = process_pdf(upload(pdf_bytes(writer)))
    reader = reopen(cleaned)
    assert not reader.is_encrypted
    assert len(reader.pages) == 1


def test_an_aes_pdf_that_needs_a_password_to_open_is_refused():
    writer = blank_writer()
    writer.encrypt(user_password="secret", owner_password="owner-secret", algorithm="AES-256")
    error = refusal(pdf_bytes(writer))
    assert error.code == "encrypted"
