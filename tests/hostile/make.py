#!/usr/bin/env python3
"""Makes the hostile corpus: crafted photos and backup archives that Pinpoint
must refuse with a clear message, exit code 1 and its store unchanged.

The files are committed; run this again only to change them. It needs
Python 3's standard library and ImageMagick's `convert` (Debian's
imagemagick) for the small real images the crafted ones start from.
Everything is deterministic: the same files every time.
"""

import hashlib
import io
import json
import struct
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
PHOTOS = HERE / "photos"
BACKUPS = HERE / "backups"


def convert(*args: str) -> bytes:
    """A small image made by ImageMagick, as bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / ("out." + args[-1])
        subprocess.run(["convert", *args[:-1], "-strip", str(out)], check=True)
        return out.read_bytes()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` × `height`, with one tiny row."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" + b"\x80" * 30, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def segments(jpeg: bytes):
    """The JPEG's marker segments up to its first scan, then the rest."""
    pos = 2
    out = []
    while pos < len(jpeg):
        marker = jpeg[pos + 1]
        length = struct.unpack(">H", jpeg[pos + 2 : pos + 4])[0]
        out.append((marker, jpeg[pos : pos + 2 + length]))
        pos += 2 + length
        if marker == 0xDA:
            return out, jpeg[pos:]
    raise ValueError("no scan")


def jpeg_claiming(jpeg: bytes, width: int, height: int) -> bytes:
    """`jpeg` with its frame header (SOF) patched to claim another size."""
    data = bytearray(jpeg)
    pos = 2
    while pos < len(data):
        marker = data[pos + 1]
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[pos + 5 : pos + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        pos += 2 + length
    raise ValueError("no frame header")


def jpeg_with_scans(progressive: bytes, scans: int) -> bytes:
    """A progressive JPEG whose last scan is repeated until it has `scans`
    scans: each costs the decoder a pass over every coefficient."""
    parts = []
    pos = 2
    data = progressive
    last_scan = b""
    while pos < len(data):
        marker = data[pos + 1]
        if marker == 0xD9:
            break
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        end = pos + 2 + length
        if marker == 0xDA:
            # The entropy-coded data runs to the next real marker.
            scan_end = end
            while True:
                scan_end = data.index(b"\xff", scan_end)
                following = data[scan_end + 1]
                if following == 0 or 0xD0 <= following <= 0xD7:
                    scan_end += 2
                    continue
                break
            last_scan = data[pos:scan_end]
            parts.append(last_scan)
            pos = scan_end
        else:
            parts.append(data[pos:end])
            pos = end
    have = sum(1 for p in parts if p[1] == 0xDA)
    parts.extend([last_scan] * (scans - have))
    return b"\xff\xd8" + b"".join(parts) + b"\xff\xd9"


def webp_claiming(small: bytes, width: int, height: int) -> bytes:
    """An extended WebP (VP8X) whose canvas claims `width` × `height`,
    around the image data of the small WebP `small`."""
    image = small[12:]  # its VP8 or VP8L chunk, after RIFF size WEBP
    vp8x = struct.pack("<I", 0) + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    body = b"WEBP" + b"VP8X" + struct.pack("<I", len(vp8x)) + vp8x + image
    return b"RIFF" + struct.pack("<I", len(body)) + body


def write_photos() -> None:
    PHOTOS.mkdir(exist_ok=True)
    small = convert("-size", "64x48", "gradient:red-blue", "-quality", "80", "jpg")
    progressive = convert(
        "-size", "64x48", "gradient:red-blue", "-interlace", "JPEG", "-quality", "80", "jpg"
    )
    heic = (HERE / ".." / ".." / "src-tauri" / "core" / "tests" / "fixtures" / "photo-64x48-exif.heic").read_bytes()
    files = {
        "png-claims-10-gigapixels.png": png_claiming(100_000, 100_000),
        "png-claims-400-megapixels.png": png_claiming(20_000, 20_000),
        "jpeg-claims-65000-square.jpg": jpeg_claiming(small, 65_000, 65_000),
        "jpeg-5000-scans.jpg": jpeg_with_scans(progressive, 5000),
        "jpeg-truncated.jpg": small[: len(small) // 2],
        "jpeg-garbage-after-start.jpg": b"\xff\xd8\xff\xe0" + bytes((i * 37) % 251 for i in range(2000)),
        "webp-claims-16384-square.webp": webp_claiming(
            convert("-size", "16x16", "gradient:red-blue", "-define", "webp:lossless=true", "webp"),
            16_384,
            16_384,
        ),
        "heic-truncated.heic": heic[: len(heic) // 2],
        "text-named-jpg.jpg": b"Dear diary, this is not a photo.\n",
        "empty.jpg": b"",
    }
    for name, data in files.items():
        (PHOTOS / name).write_bytes(data)


def add(tar: tarfile.TarFile, name: str, data: bytes = b"", kind=tarfile.REGTYPE, link: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = 0o600
    info.mtime = 1_767_225_600
    info.linkname = link
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def manifest(parts, **overrides) -> bytes:
    value = {
        "format": "pinpoint-backup",
        "format_version": 1,
        "app_version": "hostile",
        "schema_version": 1,
        "created_at": "2026-01-01T00:00:00Z",
        "parts": [
            {"path": path, "size": size, "sha256": hashlib.sha256(data).hexdigest()}
            for path, data, size in parts
        ],
    }
    value.update(overrides)
    return json.dumps(value).encode()


def archive(name: str, build) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        build(tar)
    (BACKUPS / name).write_bytes(buffer.getvalue())


def write_backups() -> None:
    BACKUPS.mkdir(exist_ok=True)
    db = b"SQLite format 3\0" + bytes(512 - 16)
    photo = bytes(range(256)) * 16
    photo_path = "photos/ab/" + hashlib.sha256(photo).hexdigest() + ".jpg"
    listed = [("pinpoint.sqlite3", db, len(db))]

    def with_entry(kind, link=""):
        def build(tar):
            add(tar, "pinpoint.sqlite3", db)
            add(tar, "photos/ab/evil.jpg", kind=kind, link=link)
            add(tar, "manifest.json", manifest(listed))
        return build

    archive("link-to-passwd.tar", with_entry(tarfile.SYMTYPE, "/etc/passwd"))
    archive("hard-link.tar", with_entry(tarfile.LNKTYPE, "pinpoint.sqlite3"))
    archive("device.tar", with_entry(tarfile.CHRTYPE))
    archive("folder-entry.tar", with_entry(tarfile.DIRTYPE))

    def escaping(path):
        def build(tar):
            add(tar, "pinpoint.sqlite3", db)
            add(tar, path, b"pwned")
            add(tar, "manifest.json", manifest(listed))
        return build

    archive("dot-dot-path.tar", escaping("../../escaped.txt"))
    archive("absolute-path.tar", escaping("/tmp/pinpoint-escaped.txt"))

    def size_lie(tar):
        add(tar, "manifest.json", manifest(listed + [(photo_path, photo, 10)]))
        add(tar, "pinpoint.sqlite3", db)
        add(tar, photo_path, photo)
    archive("size-lie.tar", size_lie)

    def bad_checksum(tar):
        add(tar, "pinpoint.sqlite3", db)
        add(tar, photo_path, photo[:-1] + b"\0")
        add(tar, "manifest.json", manifest(listed + [(photo_path, photo, len(photo))]))
    archive("bad-checksum.tar", bad_checksum)

    def twice(tar):
        add(tar, "pinpoint.sqlite3", db)
        add(tar, "pinpoint.sqlite3", db)
        add(tar, "manifest.json", manifest(listed))
    archive("entry-twice.tar", twice)

    def no_manifest(tar):
        add(tar, "pinpoint.sqlite3", db)
    archive("no-manifest.tar", no_manifest)

    def newer(tar):
        add(tar, "pinpoint.sqlite3", db)
        add(tar, "manifest.json", manifest(listed, format_version=99))
    archive("newer-format.tar", newer)

    def not_a_database(tar):
        garbage = b"this is not a database at all\n" * 20
        add(tar, "pinpoint.sqlite3", garbage)
        add(tar, "manifest.json", manifest([("pinpoint.sqlite3", garbage, len(garbage))]))
    archive("not-a-database.tar", not_a_database)

    # A header claiming an 8 GB photo in an archive of a few kilobytes.
    def huge_claim(tar):
        add(tar, "pinpoint.sqlite3", db)
        info = tarfile.TarInfo(photo_path)
        info.size = 8 << 30
        info.mode = 0o600
        info.mtime = 1_767_225_600
        tar.fileobj.write(info.tobuf(tarfile.GNU_FORMAT))
        tar.fileobj.write(photo)
        tar.offset += 512 + len(photo)
    archive("claims-8-gigabytes.tar", huge_claim)


if __name__ == "__main__":
    write_photos()
    write_backups()
