"""Pictures for tests, made in memory: good ones, and each kind of bad upload."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

EXIF_ORIENTATION = 0x0112


def picture_bytes(size=(1600, 900), fmt="JPEG", color="#336699", orientation=None, **options):
    image = Image.new("RGBA" if fmt == "PNG" else "RGB", size, color)
    if orientation is not None:
        exif = Image.Exif()
        exif[EXIF_ORIENTATION] = orientation
        exif[0x010F] = "PhoneMaker"  # Make: metadata that must not survive the upload
        options["exif"] = exif.tobytes()
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(name="photo.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, picture_bytes() if data is None else data, content_type)


def bomb_png(width=40_000, height=40_000):
    """A tiny PNG whose header claims a picture of ``width`` × ``height`` pixels."""
    data = bytearray(picture_bytes((8, 8), "PNG"))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17]))
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10"/></svg>'
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)


def bad_uploads():
    """(id, file name, bytes, the words the form's error must contain)."""
    jpeg = picture_bytes()
    return [
        ("svg", "logo.svg", SVG, "not a JPEG, PNG or WebP"),
        ("svg-with-script", "photo.jpg", SVG_WITH_SCRIPT, "not a JPEG, PNG or WebP"),
        ("truncated", "photo.jpg", jpeg[: len(jpeg) // 2], "damaged or cut short"),
        ("not-an-image", "photo.jpg", b"%PDF-1.4 not a picture at all\n" * 20, "not a JPEG"),
        ("lying-extension", "photo.png", jpeg, "is a JPEG image"),
        ("fifty-megabytes", "huge.jpg", b"\xff\xd8\xff\xe0" + bytes(50 * 1024 * 1024), "20"),
        ("decompression-bomb", "bomb.png", bomb_png(), "megapixels"),
    ]
