"""Pictures with Pillow: checking an upload, and drawing the renditions pages show.

An upload is accepted only when Pillow reads it whole as a JPEG, PNG or WebP image of at most
``PHOTO_MAX_UPLOAD_BYTES`` and ``PHOTO_MAX_PIXELS``, and its name says what it is. What is stored
is the picture drawn again: turned upright by its EXIF orientation, without EXIF, XMP or
comments (a phone's photo carries where it was taken), colour profile kept. Nothing here touches
the database or the storage: the model decides where the bytes go (``models/photos.py``).
"""

import io
import struct
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format names, the extensions each may carry, the one it is stored with.
FORMATS = {
    "JPEG": ({".jpg", ".jpeg"}, ".jpg", "image/jpeg"),
    "PNG": ({".png"}, ".png", "image/png"),
    "WEBP": ({".webp"}, ".webp", "image/webp"),
}
ACCEPT = "image/jpeg,image/png,image/webp"
JPEG_QUALITY = 85
WEBP_QUALITY = 80
ORIGINAL_JPEG_QUALITY = 92


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed: the bytes to store and what they are."""

    content: ContentFile
    format: str
    width: int
    height: int


def _error(message, code, **params):
    return ValidationError(message, code=code, params=params or None)


def check_upload(upload, name=None):
    """Read ``upload`` (a Django ``File``) and return a ``CheckedImage`` to store, or raise a
    ``ValidationError`` saying what is wrong with it. Reads at most the size limit."""
    name = name or getattr(upload, "name", "") or ""
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _error(
            _("The file is %(size)s; the largest photo the site takes is %(limit)s."),
            "too_big",
            size=filesizeformat(size),
            limit=filesizeformat(limit),
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _error(
            _("The file is larger than %(limit)s, the largest photo the site takes."),
            "too_big",
            limit=filesizeformat(limit),
        )
    if not data:
        raise _error(_("The file is empty."), "empty")
    extension = PurePath(name).suffix.lower()
    not_a_photo = _error(
        _("This is not a JPEG, PNG or WebP image (SVG and other formats are not accepted)."),
        "not_an_image",
    )
    try:
        with warnings.catch_warnings():
            # Pillow warns before it refuses: a warning about a huge picture is a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
                width, height = image.size
                if width * height > settings.PHOTO_MAX_PIXELS:
                    raise _too_many_pixels(width, height)
                kind = image.format
                allowed, stored_as, _mime = FORMATS[kind]
                if extension not in allowed:
                    raise _error(
                        _(
                            "The file is called %(name)s but is a %(format)s image: rename it "
                            "to end in %(extension)s and upload it again."
                        ),
                        "wrong_extension",
                        name=PurePath(name).name or "?",
                        format=kind if kind != "WEBP" else "WebP",
                        extension=stored_as,
                    )
                image.load()  # decodes it all: a truncated or corrupt file fails here
                content = _clean_copy(image, kind)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(None, None) from None
    except UnidentifiedImageError:
        raise not_a_photo from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        raise _error(
            _("The image is damaged or cut short; export it again and upload the new file."),
            "damaged",
        ) from None
    stem = PurePath(name).stem or "photo"
    with Image.open(io.BytesIO(content)) as stored:
        width, height = stored.size
    return CheckedImage(ContentFile(content, name=stem + stored_as), kind, width, height)


def _too_many_pixels(width, height):
    limit = settings.PHOTO_MAX_PIXELS / 1_000_000
    if width and height:
        return _error(
            _(
                "The image is %(width)d × %(height)d pixels; the site takes at most "
                "%(limit)g megapixels."
            ),
            "too_many_pixels",
            width=width,
            height=height,
            limit=limit,
        )
    return _error(
        _("The image has more pixels than the site takes (%(limit)g megapixels at most)."),
        "too_many_pixels",
        limit=limit,
    )


def _clean_copy(image, kind):
    """The picture upright, drawn again without its metadata, in its own format."""
    icc_profile = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)  # a copy, without the orientation tag
    buffer = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if kind == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(buffer, "JPEG", quality=ORIGINAL_JPEG_QUALITY, optimize=True, **options)
    elif kind == "PNG":
        upright.save(buffer, "PNG", optimize=True, **options)
    else:
        upright.save(buffer, "WEBP", quality=90, method=4, **options)
    return buffer.getvalue()


def content_type(name):
    """The MIME type of a stored picture, from its extension."""
    extension = PurePath(name).suffix.lower()
    for allowed, _stored, mime in FORMATS.values():
        if extension in allowed:
            return mime
    return "application/octet-stream"


# Renditions


def focal_crop_box(size, target_ratio, focal_x, focal_y):
    """The largest box of ``target_ratio`` (width / height) inside ``size``, centred on the
    focal point as far as the edges allow."""
    width, height = size
    if width / height > target_ratio:
        crop_w, crop_h = round(height * target_ratio), height
    else:
        crop_w, crop_h = width, round(width / target_ratio)
    left = min(max(round(focal_x * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal_y * height - crop_h / 2), 0), height - crop_h)
    return (left, top, left + crop_w, top + crop_h)


def _flatten(image):
    """RGB for JPEG: transparency laid on white, other modes converted."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def draw(image, *, width=None, crop=None, focal=(0.5, 0.5), fmt="JPEG"):
    """One rendition of an opened picture: ``width`` pixels wide at most (never wider than the
    picture), or cropped to ``crop`` (width, height) around ``focal`` and scaled down to it.
    Returns (bytes, width, height)."""
    picture = image
    if crop is not None:
        box = focal_crop_box(image.size, crop[0] / crop[1], *focal)
        picture = image.crop(box)
        if picture.width > crop[0]:
            picture = picture.resize(crop, Image.Resampling.LANCZOS, reducing_gap=3.0)
    elif width is not None and width < image.width:
        height = max(1, round(image.height * width / image.width))
        picture = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    buffer = io.BytesIO()
    if fmt == "WEBP":
        if picture.mode not in ("RGB", "RGBA"):
            alpha = "A" in picture.getbands() or "transparency" in picture.info
            picture = picture.convert("RGBA" if alpha else "RGB")
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        _flatten(picture).save(
            buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
        )
    return buffer.getvalue(), picture.width, picture.height
