"""Uploaded images are checked, stripped of metadata, resized and stored safely.

Every test image is drawn in memory with Pillow; nothing here needs a fixture file.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, ImageFile, PngImagePlugin

from profiles import images
from profiles.images import (
    MAX_PIXELS,
    PHOTO_WIDTHS,
    ProcessedImage,
    delete_stored_image,
    process_image,
    store_image,
)

RED = (255, 0, 0)
BLUE = (0, 0, 255)
METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "Author"}


# --- helpers -------------------------------------------------------------------------------


def encode(image: Image.Image, image_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def picture(size: tuple[int, int] = (1000, 500), mode: str = "RGB", color: object = RED):
    return Image.new(mode, size, color)


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def every_output(processed: ProcessedImage) -> list[Image.Image]:
    return [reopen(data) for v in processed.variants for data in (v.webp, v.fallback)]


def noisy_jpeg(size: tuple[int, int] = (200, 200)) -> bytes:
    # Noise does not compress, so half the file is well past the header.
    return encode(Image.effect_noise(size, 80).convert("RGB"), "JPEG", quality=95)


def png_bomb(width: int, height: int) -> bytes:
    """A valid, all-black 1-bit PNG of width x height pixels that is only a few KB.

    Built by streaming rows through zlib: Image.new("1", (20000, 20000)) would
    first allocate 400 MB just to make the test file.
    """

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then packed pixels
    compressor = zlib.compressobj(9)
    # Rows in blocks of at most ~1 MB: one call per row took 20 s for 39 million rows.
    per_block = max(1, (1 << 20) // len(row))
    full, rest = divmod(height, per_block)
    block = row * per_block
    parts = [compressor.compress(block) for _ in range(full)]
    idat = b"".join(parts) + compressor.compress(row * rest) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def refusal(data: bytes, **upload_options: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process_image(upload(data, **upload_options))
    return caught.value


def assert_readable(error: ValidationError) -> None:
    message = error.messages[0]
    assert message.endswith(".")
    for jargon in ("PIL", "Pillow", "identify", "Errno", "Traceback", "decompression"):
        assert jargon not in message


# --- accepted formats and sizes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "mode", "color"),
    [("JPEG", "RGB", RED), ("PNG", "RGB", RED), ("WEBP", "RGB", RED), ("GIF", "P", 1)],
)
def test_each_accepted_format_is_resized_to_the_photo_widths_that_fit(image_format, mode, color):
    data = encode(picture((1000, 500), mode, color), image_format)

    processed = process_image(upload(data, name="whatever.bin"))

    assert [(v.width, v.height) for v in processed.variants] == [
        (480, 240),
        (800, 400),
        (1000, 500),  # its own width on top: sharp on high-density screens
    ]
    assert (processed.width, processed.height) == (1000, 500)
    for variant in processed.variants:
        webp, fallback = reopen(variant.webp), reopen(variant.fallback)
        assert webp.format == "WEBP"
        assert fallback.format == "JPEG"
        assert variant.fallback_ext == "jpg"
        assert webp.size == fallback.size == (variant.width, variant.height)


def test_a_photo_wider_than_every_width_gets_all_three_sizes():
    processed = process_image(upload(encode(picture((1600, 1200)), "JPEG")))

    assert [v.width for v in processed.variants] == list(PHOTO_WIDTHS)
    assert [v.height for v in processed.variants] == [360, 600, 1050]
    assert (processed.width, processed.height) == (1400, 1050)


def test_an_image_narrower_than_the_smallest_width_keeps_its_own_size():
    processed = process_image(upload(encode(picture((300, 200)), "PNG"), name="qr.png"))

    assert [(v.width, v.height) for v in processed.variants] == [(300, 200)]
    assert reopen(processed.variants[0].webp).size == (300, 200)


def test_a_width_equal_to_the_source_is_kept_and_larger_ones_are_skipped():
    data = encode(picture((800, 600)), "JPEG")

    processed = process_image(upload(data), widths=(1400, 480, 800))

    assert [(v.width, v.height) for v in processed.variants] == [(480, 360), (800, 600)]


def test_odd_proportions_keep_their_aspect_ratio():
    processed = process_image(upload(encode(picture((1234, 567)), "PNG")), widths=(100, 333))

    for variant in processed.variants:
        assert variant.height == round(567 * variant.width / 1234)
        assert reopen(variant.fallback).size == (variant.width, variant.height)


def test_an_animated_gif_is_reduced_to_its_first_frame():
    frames = [picture((120, 80), "RGB", RED), picture((120, 80), "RGB", BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(data)).n_frames == 2

    processed = process_image(upload(data, name="wave.gif"))

    assert len(processed.variants) == 1
    for output in every_output(processed):
        assert getattr(output, "n_frames", 1) == 1
        red, green, blue = output.convert("RGB").getpixel((60, 40))
        assert red > 200 and green < 40 and blue < 40


def test_an_animated_webp_is_reduced_to_its_first_frame():
    frames = [picture((120, 80), "RGB", RED), picture((120, 80), "RGB", BLUE)]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)

    processed = process_image(upload(data, name="wave.webp"))

    for output in every_output(processed):
        assert getattr(output, "n_frames", 1) == 1
        red, _, blue = output.convert("RGB").getpixel((60, 40))
        assert red > 200 and blue < 40


def test_a_camera_jpeg_carrying_a_second_picture_is_accepted_as_a_jpeg():
    # Pillow names such files (MPO) differently; the first picture is a plain JPEG.
    first, second = picture((300, 200), "RGB", RED), picture((300, 200), "RGB", BLUE)
    data = encode(first, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(data)).format == "MPO"

    processed = process_image(upload(data))

    assert (processed.width, processed.height) == (300, 200)
    assert reopen(processed.variants[0].fallback).getpixel((150, 100))[0] > 200


def test_the_format_is_read_from_the_content_not_the_name_or_content_type():
    data = encode(picture((100, 50)), "PNG")

    processed = process_image(upload(data, name="photo.gif", content_type="application/pdf"))

    assert processed.width == 100


def test_a_plain_binary_stream_or_a_django_file_already_read_to_the_end_is_accepted():
    data = encode(picture((100, 50)), "WEBP")
    stream = io.BytesIO(data)
    stream.read()

    assert process_image(stream).width == 100
    assert process_image(File(io.BytesIO(data))).width == 100


# --- orientation, colour, metadata ---------------------------------------------------------


def half_red_half_blue(size: tuple[int, int]) -> Image.Image:
    """Red on the left half, blue on the right half."""
    image = picture(size, "RGB", BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def test_exif_orientation_6_turns_a_300x200_jpeg_into_200_wide_and_300_high():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to display"
    data = encode(half_red_half_blue((300, 200)), "JPEG", exif=exif.tobytes())

    processed = process_image(upload(data))

    assert (processed.width, processed.height) == (200, 300)
    output = reopen(processed.variants[0].fallback).convert("RGB")
    assert output.size == (200, 300)
    # The stored left edge is the displayed top edge.
    assert output.getpixel((100, 20))[0] > 200
    assert output.getpixel((100, 280))[2] > 200


def test_a_large_rotated_jpeg_decoded_at_reduced_scale_still_gets_exact_sizes():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    data = encode(half_red_half_blue((1000, 600)), "JPEG", exif=exif.tobytes())

    processed = process_image(upload(data), widths=(100, 200))

    assert [(v.width, v.height) for v in processed.variants] == [(100, 167), (200, 333)]
    for variant in processed.variants:
        assert reopen(variant.webp).size == (variant.width, variant.height)


def test_a_photo_with_gps_exif_comes_out_without_any_metadata():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "Secret Camera Model 5"
    exif[ExifTags.Base.BodySerialNumber] = "SERIAL-123456"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 22.0, 7.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 53.0, 1.25),
    }
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Secret XMP note</x:xmpmeta>'
    data = encode(
        picture((640, 480)),
        "JPEG",
        exif=exif.tobytes(),
        xmp=xmp,
        comment=b"Secret comment",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    source = Image.open(io.BytesIO(data))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo really has GPS
    assert source.getexif()[ExifTags.Base.Model] == "Secret Camera Model 5"

    processed = process_image(upload(data))

    for variant in processed.variants:
        for encoded in (variant.webp, variant.fallback):
            output = reopen(encoded)
            assert len(output.getexif()) == 0
            assert not output.getexif().get_ifd(ExifTags.IFD.GPSInfo)
            assert not METADATA_KEYS & set(output.info)
            for secret in (b"Secret", b"SERIAL", b"Canon", b"Exif", b"xmpmeta"):
                assert secret not in encoded


def test_png_text_exif_and_colour_profile_chunks_are_dropped():
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Secret Author")
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Secret Phone"
    data = encode(
        picture((200, 100), "RGBA", (0, 128, 0, 100)),
        "PNG",
        pnginfo=text,
        exif=exif.tobytes(),
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )

    processed = process_image(upload(data, name="photo.png"))

    variant = processed.variants[0]
    for encoded in (variant.webp, variant.fallback):
        output = reopen(encoded)
        assert len(output.getexif()) == 0
        assert not METADATA_KEYS & set(output.info)
        assert b"Secret" not in encoded


def test_a_png_with_transparency_gets_a_png_fallback_and_keeps_its_alpha():
    image = picture((200, 100), "RGBA", (0, 0, 255, 255))
    image.paste((0, 0, 0, 0), (0, 0, 50, 100))
    processed = process_image(upload(encode(image, "PNG"), name="logo.png"))

    variant = processed.variants[0]
    assert variant.fallback_ext == "png"
    fallback, webp = reopen(variant.fallback), reopen(variant.webp)
    assert fallback.format == "PNG"
    for output in (fallback, webp):
        assert output.mode == "RGBA"
        assert output.getpixel((10, 50))[3] == 0
        assert output.getpixel((150, 50))[3] == 255


def test_a_gif_with_a_transparent_colour_gets_a_png_fallback():
    image = picture((100, 100), "P", 1)
    image.paste(0, (0, 0, 50, 100))
    processed = process_image(upload(encode(image, "GIF", transparency=0), name="qr.gif"))

    assert processed.variants[0].fallback_ext == "png"
    assert reopen(processed.variants[0].fallback).getpixel((10, 10))[3] == 0


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_an_opaque_png_gets_a_jpeg_fallback(mode):
    color = (0, 128, 0, 255) if mode == "RGBA" else (0, 128, 0)
    data = encode(picture((200, 100), mode, color), "PNG")

    processed = process_image(upload(data, name="photo.png"))

    variant = processed.variants[0]
    assert variant.fallback_ext == "jpg"
    assert reopen(variant.fallback).format == "JPEG"
    assert reopen(variant.webp).mode == "RGB"


@pytest.mark.parametrize(
    ("mode", "color", "image_format", "expected_grey"),
    [
        ("CMYK", (0, 0, 0, 128), "JPEG", 127),
        ("I;16", 32768, "PNG", 128),
        ("L", 128, "PNG", 128),
        ("LA", (128, 255), "PNG", 128),
        ("P", 1, "PNG", 128),
        ("1", 1, "PNG", 255),
    ],
)
def test_other_colour_modes_come_out_as_rgb_with_the_right_brightness(
    mode, color, image_format, expected_grey
):
    image = picture((64, 64), mode, color)
    if mode == "P":
        image.putpalette([0, 0, 0, 128, 128, 128])
    processed = process_image(upload(encode(image, image_format)))

    for output in every_output(processed):
        assert output.mode == "RGB"
        for channel in output.getpixel((32, 32)):
            assert abs(channel - expected_grey) <= 6


# --- refusals ------------------------------------------------------------------------------

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert(document.cookie)</script><rect width="100" height="100"/></svg>'
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script><p>Hello</p></body></html>"
TEXT = b"Dear committee,\nplease find my photo attached.\n"


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (SVG, "photo.jpg", "image/jpeg"),
        (SVG, "photo.svg", "image/svg+xml"),
        (PDF, "cv.pdf", "application/pdf"),
        (TEXT, "photo.png", "image/png"),
        (HTML, "photo.jpg", "image/jpeg"),
        (b"", "photo.jpg", "image/jpeg"),
    ],
    ids=["svg-named-jpg", "svg", "pdf", "text", "html-named-jpg", "zero-bytes"],
)
def test_a_file_that_is_not_an_image_is_refused_saying_which_formats_work(data, name, content_type):
    error = refusal(data, name=name, content_type=content_type)

    assert error.code == "not_image"
    assert "JPEG, PNG, WebP or GIF" in error.messages[0]
    assert_readable(error)


def test_a_zero_byte_file_is_called_empty():
    assert "empty" in refusal(b"").messages[0]


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (encode(picture((40, 30)), "BMP"), "BMP"),
        (encode(picture((40, 30)), "TIFF"), "TIFF"),
        (encode(picture((32, 32)), "ICO"), "ICO"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "HEIC"),
    ],
    ids=["bmp", "tiff", "ico", "heic"],
)
def test_an_image_in_another_format_is_refused_as_unsupported(data, label):
    error = refusal(data, name="photo.jpg")

    assert error.code == "unsupported_format"
    assert label in error.messages[0]
    assert "JPEG, PNG, WebP or GIF" in error.messages[0]
    assert_readable(error)


@pytest.mark.parametrize(
    "data",
    [
        noisy_jpeg()[: len(noisy_jpeg()) // 2],
        encode(Image.effect_noise((200, 200), 80), "PNG")[:3000],
        b"\xff\xd8\xff\xe0" + b"\x00garbage" * 20,
    ],
    ids=["jpeg-cut-in-half", "png-cut-short", "jpeg-with-a-broken-header"],
)
def test_a_damaged_image_is_refused_as_corrupt(data):
    error = refusal(data)

    assert error.code == "corrupt"
    assert "damaged or incomplete" in error.messages[0]
    assert_readable(error)


@pytest.fixture
def decoding_forbidden(monkeypatch):
    """Any attempt to decode pixel data fails the test."""

    def refuse_to_load(self):
        raise AssertionError("pixel data was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_load)


@pytest.mark.parametrize(
    "size",
    [(7000, 7000), (10_000, 10_000), (20_000, 20_000)],
    ids=["over-our-limit", "over-pillows-warning", "over-pillows-error"],
)
def test_a_decompression_bomb_is_refused_from_its_header_without_decoding(size, decoding_forbidden):
    data = png_bomb(*size)
    assert len(data) < 100_000
    assert size[0] * size[1] > MAX_PIXELS

    error = refusal(data, name="photo.png")

    assert error.code == "too_many_pixels"
    assert "40 megapixels" in error.messages[0]
    assert_readable(error)


def test_an_image_just_under_the_pixel_limit_is_not_a_bomb(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 50)

    assert process_image(upload(encode(picture((100, 50)), "PNG"))).width == 100
    monkeypatch.setattr(images, "MAX_PIXELS", 100 * 50 - 1)
    assert refusal(encode(picture((100, 50)), "PNG")).code == "too_many_pixels"


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1024 * 1024)

    error = refusal(b"\xff" * (1024 * 1024 + 1))

    assert error.code == "too_large"
    assert "1 MB" in error.messages[0]
    assert_readable(error)


def test_a_stream_without_a_size_is_read_only_one_byte_past_the_limit(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    stream = io.BytesIO(b"\xff" * 5000)

    with pytest.raises(ValidationError) as caught:
        process_image(stream)

    assert caught.value.code == "too_large"
    assert stream.tell() == 1001


def test_a_file_exactly_at_the_upload_limit_is_accepted(monkeypatch):
    data = encode(picture((100, 50)), "PNG")
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", len(data))

    assert process_image(upload(data)).width == 100
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", len(data) - 1)
    assert refusal(data).code == "too_large"


# --- storage -------------------------------------------------------------------------------


@pytest.fixture
def storage(tmp_path) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path, base_url="/media/")


def test_store_image_saves_every_variant_under_content_hashed_names(storage):
    processed = process_image(upload(encode(half_red_half_blue((1000, 500)), "JPEG")))

    data = store_image(processed, storage=storage, prefix="photos/42/")

    assert json.loads(json.dumps(data)) == data
    assert (data["width"], data["height"]) == (1000, 500)
    assert [(v["width"], v["height"]) for v in data["variants"]] == [
        (480, 240),
        (800, 400),
        (1000, 500),
    ]
    stems = set()
    for stored, variant in zip(data["variants"], processed.variants, strict=True):
        webp, fallback = stored["webp"], stored["fallback"]
        assert re.fullmatch(rf"photos/42/[0-9a-f]{{16}}-{variant.width}\.webp", webp)
        assert re.fullmatch(rf"photos/42/[0-9a-f]{{16}}-{variant.width}\.jpg", fallback)
        stems.add(webp.rsplit("-", 1)[0])
        with storage.open(webp) as saved:
            assert saved.read() == variant.webp
        with storage.open(fallback) as saved:
            assert saved.read() == variant.fallback
        assert storage.url(webp) == f"/media/{webp}"
    assert len(stems) == 1  # one hash names the whole set


def test_a_transparent_image_is_stored_with_a_png_fallback(storage):
    image = picture((100, 100), "RGBA", (0, 0, 0, 0))
    processed = process_image(upload(encode(image, "PNG")))

    data = store_image(processed, storage=storage, prefix="wechat/7/")

    assert data["variants"][0]["fallback"].endswith("-100.png")
    assert storage.exists(data["variants"][0]["fallback"])


def test_different_images_get_different_names(storage):
    red = process_image(upload(encode(picture((300, 200), "RGB", RED), "PNG")))
    blue = process_image(upload(encode(picture((300, 200), "RGB", BLUE), "PNG")))

    first = store_image(red, storage=storage, prefix="photos/42/")
    second = store_image(blue, storage=storage, prefix="photos/42/")

    assert first["variants"][0]["webp"] != second["variants"][0]["webp"]


def test_the_same_picture_uploaded_again_never_shares_files_with_the_old_one(storage):
    processed = process_image(upload(encode(picture((300, 200)), "PNG")))
    old = store_image(processed, storage=storage, prefix="photos/42/")
    new = store_image(processed, storage=storage, prefix="photos/42/")

    delete_stored_image(old, storage=storage)

    assert old["variants"][0]["webp"] != new["variants"][0]["webp"]
    for variant in new["variants"]:
        assert storage.exists(variant["webp"])
        assert storage.exists(variant["fallback"])


def test_delete_stored_image_removes_every_file_and_tolerates_missing_ones(storage, tmp_path):
    processed = process_image(upload(encode(picture((1000, 500)), "JPEG")))
    data = store_image(processed, storage=storage, prefix="photos/42/")
    assert len(list((tmp_path / "photos" / "42").iterdir())) == 6  # three widths, WebP + JPEG each

    delete_stored_image(data, storage=storage)
    delete_stored_image(data, storage=storage)  # second time: all missing, no error

    assert list((tmp_path / "photos" / "42").iterdir()) == []


@pytest.mark.parametrize("data", [None, {}, {"variants": []}])
def test_delete_stored_image_accepts_nothing_to_delete(storage, data):
    delete_stored_image(data, storage=storage)


# --- extreme shapes (issue 6, item 16) ---------------------------------------------


@pytest.mark.parametrize(
    ("size", "shape"),
    [
        ((600, 17_000), "taller than it is wide"),  # WebP cannot hold 17,000 px
        ((500, 20_000), "taller than it is wide"),
        ((1, 39_000_000), "taller than it is wide"),  # decoded for 6 s before
        ((20_000, 300), "wider than it is tall"),
    ],
)
def test_an_extreme_strip_is_refused_from_its_header_without_decoding(
    size, shape, decoding_forbidden
):
    error = refusal(png_bomb(*size), name="strip.png")
    assert error.code == "bad_aspect_ratio"
    assert shape in error.messages[0] and "crop" in error.messages[0]
    assert_readable(error)


def test_a_tall_jpeg_like_the_one_that_crashed_is_refused_clearly():
    error = refusal(encode(Image.new("RGB", (600, 17_000), RED), "JPEG"), name="tall.jpg")
    assert error.code == "bad_aspect_ratio"


def test_a_picture_ten_times_taller_than_wide_is_still_accepted_and_fits_webp():
    processed = process_image(upload(encode(Image.new("RGB", (600, 6000), RED), "PNG")))
    assert max(v.height for v in processed.variants) <= 16_383
