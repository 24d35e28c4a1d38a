"""Uploaded images (profile photos, WeChat QR codes): check, clean, resize, store.

Nothing about an upload is trusted. The format is read from the bytes (never
the file name or declared content type), the size in pixels is checked from
the header before any pixel is decoded, and the pixels are re-encoded from
scratch, so no metadata survives: no GPS position, camera serial number, XMP
or comments. Each upload becomes a few widths for `srcset`, each as WebP plus
a JPEG (PNG when transparent) fallback, stored under content-hashed names so
browsers and CDNs may cache them forever.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import ExifTags, Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from profiles.media import read_upload

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A 40-megapixel RGBA image is 160 MB in memory; a 45 MP full-frame camera
# photo is the biggest thing a researcher plausibly has. Pillow's own limit
# (~89 MP, an error only at twice that) is far too generous for a web worker.
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# The most one side may exceed the other. Portraits, QR codes and figures are
# far inside this; beyond it are strips (a 1 x 39,000,000 PNG decodes for
# seconds) and shapes WebP cannot even store (16,383 px at most a side).
# With variants at most 1400 px wide, this keeps every output under 14,000 px.
MAX_ASPECT_RATIO = 10
PHOTO_WIDTHS = (480, 800, 1400)

WEBP_QUALITY = 80
WEBP_METHOD = 5  # 6 is markedly slower for a few percent smaller files
JPEG_QUALITY = 85

ACCEPTED_FORMATS_TEXT = "JPEG, PNG, WebP or GIF"

# Pillow calls a JPEG that carries a second picture (many cameras and phones
# add a preview or depth map) "MPO"; the first picture is an ordinary JPEG.
_FORMAT_ALIASES = {"MPO": "JPEG"}

# Formats people really upload that we refuse. Pillow reads only their header,
# to name the format in the message; their pixels are never decoded. Formats
# without a reliable signature (TGA, for one) are left out so that a text file
# is never mistaken for an image.
_REFUSED_FORMATS = ("AVIF", "BMP", "DIB", "ICNS", "ICO", "JPEG2000", "PSD", "TIFF")
_FORMAT_LABELS = {"DIB": "BMP", "JPEG2000": "JPEG 2000", "HEIF": "HEIC/HEIF (iPhone)"}
# HEIC (iPhone photos) and AVIF are ISO media files: "ftyp", then a brand.
# Pillow may have no reader for them, yet HEIC is the upload most likely to
# surprise a researcher, so name it.
_ISO_MEDIA_BRANDS = {
    **dict.fromkeys(
        (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"), "HEIF"
    ),
    **dict.fromkeys((b"avif", b"avis"), "AVIF"),
}

_SWAPPED_ORIENTATIONS = {5, 6, 7, 8}  # EXIF orientations that turn the image a quarter
# Formats whose bytes can serve as a fallback as they are (see process_image's keep_if).
_KEPT_FORMATS = {"JPEG": "jpg", "PNG": "png"}


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    webp: bytes
    fallback: bytes  # JPEG, or PNG when the image has transparency
    fallback_ext: str  # "jpg" or "png"


@dataclass(frozen=True)
class ProcessedImage:
    width: int  # of the largest variant
    height: int
    variants: tuple[Variant, ...]  # ascending width


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _too_many_pixels(size: tuple[int, int] | None = None) -> ValidationError:
    what = (
        f"This image is {size[0]} by {size[1]} pixels" if size else "This image has too many pixels"
    )
    return _refuse(
        f"{what}; the most we accept is {MAX_PIXELS / 1_000_000:g} megapixels. "
        "Please scale it down (for example to 4000 pixels wide) and upload it again.",
        "too_many_pixels",
    )


def _too_narrow(size: tuple[int, int]) -> ValidationError:
    width, height = size
    shape = "taller than it is wide" if height > width else "wider than it is tall"
    return _refuse(
        f"This image is {width} by {height} pixels, far {shape}; we accept pictures up to "
        f"{MAX_ASPECT_RATIO} times longer one way than the other. Please crop it and upload "
        "it again.",
        "bad_aspect_ratio",
    )


def _not_image(first_sentence: str) -> ValidationError:
    return _refuse(
        f"{first_sentence} Please upload a picture in {ACCEPTED_FORMATS_TEXT} format.",
        "not_image",
    )


def _corrupt() -> ValidationError:
    return _refuse(
        "This image file is damaged or incomplete, so we cannot read it. Please save "
        "the picture again (or export it as JPEG or PNG) and upload the new file.",
        "corrupt",
    )


def _read_limited(upload: File | BinaryIO) -> bytes:
    """The upload's bytes; too_large without reading it all when it is too big."""
    too_large = _refuse(
        f"This file is larger than the {_megabytes(MAX_UPLOAD_BYTES)} limit. "
        "Please upload a smaller picture: a photo for a web page rarely needs more than 2 MB.",
        "too_large",
    )
    return read_upload(upload, limit=MAX_UPLOAD_BYTES, too_large=too_large)


def _looks_like_allowed_format(data: bytes) -> bool:
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    )


def _refused_format_name(data: bytes) -> str | None:
    """The name of a known image format we do not accept, or None."""
    if data[4:8] == b"ftyp" and data[8:12] in _ISO_MEDIA_BRANDS:
        return _ISO_MEDIA_BRANDS[data[8:12]]
    Image.init()
    formats = [name for name in _REFUSED_FORMATS if name in Image.OPEN]
    try:
        with Image.open(io.BytesIO(data), formats=formats) as image:
            return image.format
    except Exception:  # only for the message: anything unreadable is "not an image"
        return None


def _open(data: bytes) -> ImageFile.ImageFile:
    """Open (parse the header of) an image in an allowed format, or refuse."""
    if not data:
        raise _not_image("This file is empty.")
    Image.init()
    formats = [name for name in sorted(ALLOWED_FORMATS) if name in Image.OPEN]
    try:
        image = Image.open(io.BytesIO(data), formats=formats)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except UnidentifiedImageError as exc:
        if _looks_like_allowed_format(data):
            raise _corrupt() from exc
        refused = _refused_format_name(data)
        if refused:
            label = _FORMAT_LABELS.get(refused, refused)
            raise _refuse(
                f"{label} images are not supported. Please save the picture as "
                f"{ACCEPTED_FORMATS_TEXT} and upload it again.",
                "unsupported_format",
            ) from exc
        raise _not_image("This file is not a picture we can read.") from exc
    except Exception as exc:  # the signature matched but the header is broken
        raise _corrupt() from exc
    return image


def _exif_orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(ExifTags.Base.Orientation, 1))
    except Exception:  # unreadable EXIF never blocks an otherwise good photo
        return 1


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # as above: keep the pixels as stored
        return image


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Pixels converted from their embedded colour profile to sRGB, when there is one.

    Untagged images are shown as sRGB, so dropping a wide-gamut profile
    (iPhone photos are Display P3) without converting would dull the colours.
    """
    if not icc_profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except Exception:  # a broken or mismatched profile: keep the pixels as they are
        return image
    return converted if converted is not None else image


def _to_rgb_or_rgba(image: Image.Image) -> Image.Image:
    """RGB, or RGBA only when some pixel is actually see-through."""
    if image.mode.startswith("I;16") or image.mode == "I":
        # 16-bit grey: scale to 8 bits; a plain convert() would clip to white.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
        image.info.pop("transparency", None)  # a 16-bit value, meaningless now
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
    if not has_alpha:
        return image.convert("RGB") if image.mode != "RGB" else image
    image = image.convert("RGBA")
    lowest_alpha, _ = image.getchannel("A").getextrema()
    return image if lowest_alpha < 255 else image.convert("RGB")


def _variant_sizes(size: tuple[int, int], widths: tuple[int, ...]) -> list[tuple[int, int]]:
    """Target sizes, ascending; never wider than the source.

    A source narrower than the largest width also keeps its own width as the
    top variant: a 1000 px photo should not top out at 800 px on a sharp screen.
    """
    width, height = size
    fitting = {w for w in widths if 0 < w <= width}
    if width < max(widths):
        fitting.add(width)
    fitting = sorted(fitting)
    return [(w, max(1, round(height * w / width))) for w in fitting]


def _encode(image: Image.Image, size: tuple[int, int]) -> Variant:
    if image.size != size:
        # reducing_gap: a fast integer pre-shrink, then LANCZOS; the result is
        # indistinguishable from plain LANCZOS and much faster on big photos.
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    webp = io.BytesIO()
    image.save(webp, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    fallback = io.BytesIO()
    if image.mode == "RGBA":
        image.save(fallback, "PNG", optimize=True)
        ext = "png"
    else:
        image.save(fallback, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
        ext = "jpg"
    return Variant(size[0], size[1], webp.getvalue(), fallback.getvalue(), ext)


def process_image(
    upload: File | BinaryIO,
    *,
    widths: tuple[int, ...] = PHOTO_WIDTHS,
    keep_if: Callable[[bytes], bool] | None = None,
) -> ProcessedImage:
    """Validate an uploaded image and re-encode it at `widths` (never upscaled).

    `keep_if(data)` true means the bytes are our own earlier output (an
    export imported again): the largest variant then keeps them as they are
    when it has the upload's size and format, so round trips are exact.

    Raises ValidationError with code too_large, not_image, unsupported_format,
    too_many_pixels or corrupt, and a message that says what to do instead.
    """
    data = _read_limited(upload)
    # Pillow only warns between its limit and twice it; any such image is far
    # over ours, so make the warning an error like the rest. (Filters are
    # process-wide; if threads interleave, the worst case is that this filter
    # outlives the block, which is harmless.)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with _open(data) as source:
            image_format = _FORMAT_ALIASES.get(source.format or "", source.format)
            if image_format not in ALLOWED_FORMATS:
                raise _refuse(
                    f"{image_format} images are not supported. Please save the picture as "
                    f"{ACCEPTED_FORMATS_TEXT} and upload it again.",
                    "unsupported_format",
                )
            width, height = source.size
            if width < 1 or height < 1:
                raise _corrupt()
            if width * height > MAX_PIXELS:
                raise _too_many_pixels(source.size)
            if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
                raise _too_narrow(source.size)

            # Let libjpeg decode big JPEGs at 1/2, 1/4 or 1/8 scale, still at
            # least as large as the biggest variant: far less memory and time.
            # Sizes come from the full-size header, so drafting cannot skew them.
            orientation = _exif_orientation(source)
            swapped = orientation in _SWAPPED_ORIENTATIONS
            sizes = _variant_sizes((height, width) if swapped else (width, height), widths)
            source.draft(None, sizes[-1][::-1] if swapped else sizes[-1])

            # Animated GIF/WebP: only the first frame is decoded.
            try:
                source.load()
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise _too_many_pixels(source.size) from exc
            except Exception as exc:  # truncated or corrupt pixel data
                raise _corrupt() from exc

            icc_profile = source.info.get("icc_profile")
            image = _upright(source)
            image = _to_srgb(image, icc_profile)
            image = _to_rgb_or_rgba(image)
            # Nothing from the source's info (EXIF, XMP, ICC, comments) is passed
            # on: Pillow would copy the ICC profile into PNGs and comments into JPEGs.
            image.info = {}
            if image.width < sizes[-1][0] or image.height < sizes[-1][1]:
                # The transposition disagreed with the EXIF we read: trust the pixels.
                sizes = _variant_sizes(image.size, widths)
            variants = tuple(_encode(image, size) for size in sizes)
            largest = variants[-1]
            if (
                keep_if is not None
                and (largest.width, largest.height) == image.size
                and _KEPT_FORMATS.get(image_format) == largest.fallback_ext
                and keep_if(data)
            ):
                largest = Variant(
                    largest.width, largest.height, largest.webp, data, largest.fallback_ext
                )
                variants = (*variants[:-1], largest)
    return ProcessedImage(largest.width, largest.height, variants)


def store_image(
    processed: ProcessedImage, *, storage: Storage, prefix: str, reuse: bool = False
) -> dict[str, Any]:
    """Save every variant under `prefix`; return a JSON-serializable description.

    Names are "<prefix><hash>-<width>.<ext>" with one content hash for the
    whole set, so a new upload never reuses an old URL. The storage picks a
    free name if the same picture is uploaded twice: the new set never shares
    files with the old one, which the caller deletes afterwards. With `reuse`,
    files already stored under their content-hashed name are used as they are
    (an import run again points its texts at the same addresses).
    """
    digest = hashlib.sha256()
    for variant in processed.variants:
        digest.update(variant.webp)
        digest.update(variant.fallback)
    stem = f"{prefix}{digest.hexdigest()[:16]}"

    saved: list[str] = []
    variants: list[dict[str, Any]] = []
    try:
        for variant in processed.variants:
            base = f"{stem}-{variant.width}"
            names = []
            for name, content in (
                (f"{base}.webp", variant.webp),
                (f"{base}.{variant.fallback_ext}", variant.fallback),
            ):
                if not (reuse and storage.exists(name)):
                    name = storage.save(name, ContentFile(content))
                    saved.append(name)
                names.append(name)
            webp, fallback = names
            variants.append(
                {
                    "width": variant.width,
                    "height": variant.height,
                    "webp": webp,
                    "fallback": fallback,
                }
            )
    except Exception:
        # No half-stored picture: nothing would ever point at these files.
        delete_stored_image({"variants": [{"webp": name} for name in saved]}, storage=storage)
        raise
    return {"width": processed.width, "height": processed.height, "variants": variants}


def largest_fallback_name(data: dict[str, Any] | None) -> str | None:
    """Storage name of the widest JPEG/PNG of a store_image() result: what every client shows.

    None for no image, and for a record not written by store_image (pages must
    not fail on one damaged row).
    """
    variants = data.get("variants") if isinstance(data, dict) else None
    if not isinstance(variants, list) or not variants or not isinstance(variants[-1], dict):
        return None
    return variants[-1].get("fallback") or None


def delete_stored_image(data: dict[str, Any] | None, *, storage: Storage) -> None:
    """Delete every file named in a store_image() result; missing files are fine."""
    for variant in (data or {}).get("variants") or []:
        for key in ("webp", "fallback"):
            name = variant.get(key)
            if not name:
                continue
            # Already gone is fine: that was the goal.
            with contextlib.suppress(FileNotFoundError):
                storage.delete(name)
