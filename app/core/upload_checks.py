"""Validation of an uploaded file's name and bytes before it is stored (no Flask).

The caller stores accepted bytes (CheckedUpload.data, exactly what was checked) under an
opaque uuid; safe_display_name is for display and downloads only, never a storage path.
Refusals raise UploadRejected(code, message_key); the caller translates message_key.

Allowed: PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS. The content must match the
extension (magic numbers via `filetype` plus explicit signature checks). Office files are
ZIP containers: they are inspected without extracting anything, and every entry is
decompressed in bounded steps so that forged size fields cannot hide a zip bomb.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from itertools import pairwise
from typing import BinaryIO

import filetype

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_CHARS = 150
# Limits for ZIP-based office files; generous for real documents (a 300-slide deck has
# ~1,000 entries and well under 100 MB unpacked), fatal for bombs.
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # small entries may compress extremely well and are harmless
MAX_ENTRIES = 5000
MAX_NESTING = 1  # an embedded chart workbook in a .pptx, but no deeper
MAX_MANIFEST_BYTES = 1024 * 1024  # [Content_Types].xml / mimetype are read into memory
MAX_EMBEDDED_BYTES = 20 * 1024 * 1024  # an embedded workbook is held in memory to inspect it
_CHUNK = 64 * 1024

# code -> message_key -> default English text; the caller translates message_key.
MESSAGES: dict[str, str] = {
    "upload.bad_name": "The file name is empty or unusable.",
    "upload.empty": "The file is empty.",
    "upload.too_large": "The file is too large.",
    "upload.type_not_allowed": "This file type is not allowed.",
    "upload.type_mismatch": "The file content does not match its extension.",
    "upload.executable": "Programs and scripts cannot be uploaded.",
    "upload.zip_bomb": "The document unpacks to an excessive size.",
    "upload.nested_archive": "Documents containing archives cannot be uploaded.",
    "upload.archive_invalid": "The document is damaged or not a valid office file.",
}


class UploadRejected(Exception):
    """An upload was refused; code is machine-readable, message_key is for translation."""

    def __init__(self, code: str, message_key: str, detail: str = "") -> None:
        """Keep code and message_key; detail is for logs only, never shown to users."""
        super().__init__(f"{code}: {detail or MESSAGES.get(message_key, message_key)}")
        self.code = code
        self.message_key = message_key
        self.detail = detail


@dataclass(frozen=True)
class CheckedUpload:
    """An accepted upload: display name, canonical type, size, digest and the checked bytes."""

    safe_display_name: str
    extension: str
    mime_type: str
    size: int
    sha256: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class _Kind:
    """An allowed file type: its MIME type and the family of content checks it needs."""

    mime: str
    family: str  # "pdf", "png", "jpeg", "webp", "ooxml" or "odf"
    marker: bytes = b""  # OOXML main content type or ODF mimetype entry


ALLOWED: dict[str, _Kind] = {
    "pdf": _Kind("application/pdf", "pdf"),
    "png": _Kind("image/png", "png"),
    "jpg": _Kind("image/jpeg", "jpeg"),
    "jpeg": _Kind("image/jpeg", "jpeg"),
    "webp": _Kind("image/webp", "webp"),
    "docx": _Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "ooxml",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": _Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ooxml",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "pptx": _Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ooxml",
        b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    "odt": _Kind(
        "application/vnd.oasis.opendocument.text",
        "odf",
        b"application/vnd.oasis.opendocument.text",
    ),
    "ods": _Kind(
        "application/vnd.oasis.opendocument.spreadsheet",
        "odf",
        b"application/vnd.oasis.opendocument.spreadsheet",
    ),
}

# Extensions that name programs or scripts: refused as "executable" whatever the content,
# because a browser or desktop may run them when a juror opens the download.
EXECUTABLE_EXTENSIONS = frozenset(
    "exe com bat cmd msi msp scr pif cpl dll sys lnk vbs vbe js jse wsf wsh ps1 psm1 hta jar"
    " sh bash zsh csh ksh py pyc pl rb php elf bin app apk dmg deb rpm run command reg"
    " docm xlsm pptm dotm xltm potm".split()
)
# Magic numbers of executables and scripts (checked at offset 0, and in archive entries).
EXECUTABLE_MAGIC: tuple[bytes, ...] = (
    b"MZ",  # DOS/Windows PE
    b"\x7fELF",  # Linux/BSD
    b"\xfe\xed\xfa\xce",  # Mach-O 32-bit
    b"\xfe\xed\xfa\xcf",  # Mach-O 64-bit
    b"\xce\xfa\xed\xfe",  # Mach-O 32-bit, little-endian
    b"\xcf\xfa\xed\xfe",  # Mach-O 64-bit, little-endian
    b"\xca\xfe\xba\xbe",  # Mach-O universal binary / Java class
    b"\xca\xfe\xba\xbf",  # Mach-O universal binary, 64-bit
    b"#!",  # shebang script
    b"\xef\xbb\xbf#!",  # shebang script behind a UTF-8 BOM
    b"\x00asm",  # WebAssembly
    b"dex\n",  # Android DEX
    b"L\x00\x00\x00\x01\x14\x02\x00",  # Windows shortcut (.lnk)
)
EXECUTABLE_MIMES = frozenset({"application/x-msdownload", "application/x-executable", "application/x-mach-binary"})
# Archive magic numbers: a document must not carry archives inside it.
ARCHIVE_MAGIC: tuple[bytes, ...] = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",  # zstd
    b"MSCF",  # cabinet
)
ARCHIVE_EXTENSIONS = frozenset("zip gz tgz 7z rar bz2 xz zst tar cab jar".split())
# Nested OOXML is normal in exactly one place: embedded objects (charts in slides carry
# their workbook as ppt/embeddings/*.xlsx). These are inspected recursively instead.
EMBEDDED_OOXML = re.compile(r"^(word|xl|ppt)/embeddings/[^/]+\.(docx|xlsx|pptx)$", re.IGNORECASE)

# Bidirectional controls (embedding/override/isolate) and marks: they make "exe.pdf" look
# like "fdp.exe" and are never needed in a file name shown to jurors.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Characters Windows refuses in file names; replaced so a downloaded copy can be saved.
_WINDOWS_RESERVED = re.compile(r'[<>:"|?*]')


def sanitize_display_name(filename: str) -> str:
    """Return a safe display name (may be empty): no path, controls, bidi marks or leading dots."""
    name = unicodedata.normalize("NFC", filename or "")
    # Both separators, whatever the client OS: "C:\\Users\\x\\a.pdf" → "a.pdf".
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = []
    for char in name:
        category = unicodedata.category(char)
        # Cc: C0/C1 controls incl. NUL and newlines; Cs: lone surrogates (not storable
        # as UTF-8); Zl/Zp: line/paragraph separators. Other format characters such as
        # ZWNJ stay, because Persian and Indic names need them.
        if category in ("Cc", "Cs", "Zl", "Zp") or char in _BIDI:
            continue
        kept.append(char)
    name = _WINDOWS_RESERVED.sub("_", "".join(kept))
    name = " ".join(name.split())  # collapse and trim whitespace of any kind
    # Leading dots hide files on Unix ("..", ".htaccess"); trailing dots and spaces are
    # dropped by Windows, which would change the extension on download.
    name = name.lstrip(". ").rstrip(". ")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) < MAX_NAME_CHARS // 2:
            stem = stem[: MAX_NAME_CHARS - len(ext) - 1].rstrip(". ")
            name = f"{stem}.{ext}" if stem else ""
        else:
            name = name[:MAX_NAME_CHARS].rstrip(". ")
    return name


def _extension(display_name: str) -> str:
    """Return the lower-case extension of a sanitised name, or "" when it has none."""
    stem, dot, ext = display_name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _read_limited(data: bytes | bytearray | memoryview | BinaryIO, max_bytes: int) -> bytes:
    """Return the bytes, reading at most max_bytes + 1 from a stream (enough to know it is too big)."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    read = getattr(data, "read", None)
    if read is None:
        raise TypeError(f"data must be bytes or a binary file object, not {type(data).__name__}")
    buffer = bytearray()
    limit = max_bytes + 1
    # read(n) may return fewer bytes than asked (sockets, request streams): loop to EOF.
    while len(buffer) < limit:
        chunk = read(min(_CHUNK, limit - len(buffer)))
        if not chunk:
            break
        if isinstance(chunk, str):
            raise TypeError("data must be opened in binary mode")
        buffer += chunk
    return bytes(buffer)


def _is_executable(head: bytes) -> bool:
    """Tell whether the first bytes of a file or archive entry look like a program or script."""
    if any(head.startswith(magic) for magic in EXECUTABLE_MAGIC):
        return True
    guessed = filetype.guess_mime(head) if head else None
    return guessed in EXECUTABLE_MIMES


def _is_archive(head: bytes, name: str) -> bool:
    """Tell whether an archive entry is itself an archive, by content or by extension."""
    return any(head.startswith(magic) for magic in ARCHIVE_MAGIC) or (
        name.rsplit(".", 1)[-1].lower() in ARCHIVE_EXTENSIONS if "." in name else False
    )


def _content_matches(kind: _Kind, data: bytes) -> bool:
    """Tell whether the bytes carry the signature of the declared type (containers checked later)."""
    guessed = filetype.guess_mime(data)
    if kind.family == "pdf":
        return data.startswith(b"%PDF-") and guessed == "application/pdf"
    if kind.family == "png":
        # Signature, then the IHDR chunk which the PNG spec requires to come first.
        return data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and guessed == "image/png"
    if kind.family == "jpeg":
        return data.startswith(b"\xff\xd8\xff") and guessed == "image/jpeg"
    if kind.family == "webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP" and guessed == "image/webp"
    # OOXML and ODF are ZIP files; filetype may call them zip or guess a sibling type,
    # so the structural check in _inspect_container decides.
    return data.startswith(b"PK\x03\x04")


@dataclass
class _Budget:
    """Bytes that may still be decompressed, shared with nested documents."""

    remaining: int = MAX_UNCOMPRESSED


def _bomb(detail: str) -> UploadRejected:
    """Return the refusal for an archive that unpacks to too much."""
    return UploadRejected("zip_bomb", "upload.zip_bomb", detail)


def _invalid(detail: str) -> UploadRejected:
    """Return the refusal for a damaged or non-office ZIP (code zip_bomb, as agreed)."""
    return UploadRejected("zip_bomb", "upload.archive_invalid", detail)


def _entry_data_start(data: bytes, info: zipfile.ZipInfo) -> int:
    """Return where an entry's compressed bytes start, checking its local header."""
    offset = info.header_offset
    header = data[offset : offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _invalid(f"bad local header for {info.filename!r}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    local_name = data[offset + 30 : offset + 30 + name_len]
    central_name = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
    # Different names in the local and central headers let different readers see
    # different files; real office files never do that.
    if local_name != central_name:
        raise _invalid(f"local and central names differ for {info.filename!r}")
    return offset + 30 + name_len + extra_len


def _decompress_entry(
    data: bytes, info: zipfile.ZipInfo, start: int, budget: _Budget, keep: int
) -> tuple[bytes, bytes]:
    """Decompress one entry in bounded steps; return (first 16 bytes, first `keep` bytes)."""
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise _invalid(f"truncated entry {info.filename!r}")
    produced = 0
    crc = 0
    head = bytearray()
    kept = bytearray()

    def take(chunk: bytes) -> None:
        """Account for decompressed bytes; never trust the declared size (bombs forge it)."""
        nonlocal produced, crc
        produced += len(chunk)
        if produced > info.file_size:
            raise _bomb(f"{info.filename!r} unpacks to more than its declared size")
        if produced > budget.remaining:
            raise _bomb("total unpacked size over the limit")
        crc = zlib.crc32(chunk, crc)
        if len(head) < 16:
            head.extend(chunk[: 16 - len(head)])
        if len(kept) < keep:
            kept.extend(chunk[: keep - len(kept)])

    if info.compress_type == zipfile.ZIP_STORED:
        for pos in range(0, len(raw), _CHUNK):
            take(bytes(raw[pos : pos + _CHUNK]))
    else:  # ZIP_DEFLATED, the only other method _inspect_container lets through
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        pos = 0
        pending = b""
        try:
            while not inflater.eof:
                if not pending and pos < len(raw):
                    pending = bytes(raw[pos : pos + _CHUNK])
                    pos += _CHUNK
                # max_length bounds memory per step whatever the compression ratio.
                out = inflater.decompress(pending, _CHUNK)
                take(out)
                if not out and len(inflater.unconsumed_tail) == len(pending) and pos >= len(raw):
                    break  # no input left and no progress: the stream is incomplete
                pending = inflater.unconsumed_tail
        except zlib.error as exc:
            raise _invalid(f"corrupt entry {info.filename!r}: {exc}") from exc
        if not inflater.eof:
            raise _invalid(f"incomplete entry {info.filename!r}")
    if produced != info.file_size or crc != info.CRC:
        raise _invalid(f"size or checksum mismatch in {info.filename!r}")
    budget.remaining -= produced
    return bytes(head), bytes(kept)


def _inspect_container(data: bytes, kind: _Kind, budget: _Budget, depth: int = 0) -> None:
    """Check an OOXML/ODF ZIP: limits, structure, declared type, no programs or archives inside."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise _invalid(f"not a readable ZIP: {exc}") from exc
    if len(infos) > MAX_ENTRIES:
        raise _bomb(f"{len(infos)} entries")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise _invalid("duplicate entry names")
    declared = sum(info.file_size for info in infos)
    if declared > budget.remaining:
        raise _bomb(f"declares {declared} bytes unpacked")
    compressed = sum(info.compress_size for info in infos)
    if declared > RATIO_FLOOR and declared > MAX_RATIO * max(compressed, 1):
        raise _bomb(f"overall ratio {declared / max(compressed, 1):.0f}")
    spans: list[tuple[int, int, str]] = []
    starts: dict[str, int] = {}
    for info in infos:
        if info.flag_bits & 0x1:
            raise _invalid(f"encrypted entry {info.filename!r}")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _invalid(f"compression method {info.compress_type} in {info.filename!r}")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bomb(f"{info.filename!r} ratio {info.file_size / max(info.compress_size, 1):.0f}")
        starts[info.filename] = start = _entry_data_start(data, info)
        spans.append((info.header_offset, start + info.compress_size, info.filename))
    # Overlapping entries reuse one compressed stream many times (the "non-recursive zip
    # bomb"); a genuine archive stores every entry once, before the central directory.
    spans.sort()
    for (_, end, name), (next_start, _, _) in pairwise(spans):
        if end > next_start:
            raise _bomb(f"entry {name!r} overlaps the next one")
    if spans and spans[-1][1] > archive.start_dir:
        raise _bomb("entry overlaps the central directory")

    manifest = b""
    for info in infos:
        # Directory entries are decompressed too: data hidden in them still counts.
        lower = info.filename.lower()
        is_manifest = lower == ("[content_types].xml" if kind.family == "ooxml" else "mimetype")
        embedded = depth < MAX_NESTING and EMBEDDED_OOXML.match(info.filename) is not None
        if embedded and info.file_size > MAX_EMBEDDED_BYTES:
            raise _bomb(f"embedded {info.filename!r} is {info.file_size} bytes")
        keep = MAX_MANIFEST_BYTES if is_manifest else (info.file_size if embedded else 0)
        head, kept = _decompress_entry(data, info, starts[info.filename], budget, keep)
        # Obfuscated fonts (.odttf) begin with XOR-scrambled bytes by design: sniffing their
        # first bytes would misfire now and then, so only their name is judged.
        if lower.endswith(".odttf"):
            head = b""
        # Macros are programs: a .docx carrying vbaProject.bin is a renamed .docm.
        if _is_executable(head) or lower.rsplit("/", 1)[-1] == "vbaproject.bin":
            raise UploadRejected("executable", "upload.executable", f"program inside: {info.filename!r}")
        if is_manifest:
            manifest = kept
        if _is_archive(head, info.filename):
            if not embedded:
                raise UploadRejected("zip_bomb", "upload.nested_archive", f"archive inside: {info.filename!r}")
            inner_kind = ALLOWED[info.filename.rsplit(".", 1)[-1].lower()]
            if not kept.startswith(b"PK\x03\x04"):
                raise _invalid(f"embedded {info.filename!r} is not an office file")
            _inspect_container(kept, inner_kind, budget, depth + 1)

    lower_names = {name.lower() for name in names}
    mismatch = UploadRejected("type_not_allowed", "upload.type_mismatch", f"content is not {kind.mime}")
    if kind.family == "ooxml":
        if not manifest:
            # An OpenDocument file under an OOXML name is a mismatch, anything else is broken.
            raise mismatch if "mimetype" in lower_names else _invalid("missing [Content_Types].xml")
        # The main part's content type tells a document from a workbook, a template or a
        # macro-enabled file; a plain substring test avoids parsing untrusted XML.
        if kind.marker not in manifest:
            raise mismatch
    else:
        if not manifest:
            raise mismatch if "[content_types].xml" in lower_names else _invalid("missing mimetype entry")
        if manifest.strip() != kind.marker:
            raise mismatch


def check_upload(
    filename: str,
    data: bytes | bytearray | memoryview | BinaryIO,
    max_bytes: int = MAX_BYTES,
) -> CheckedUpload:
    """Validate an upload's name and bytes; return CheckedUpload or raise UploadRejected."""
    display_name = sanitize_display_name(filename)
    if not display_name:
        raise UploadRejected("bad_name", "upload.bad_name", f"unusable name {filename!r}")
    extension = _extension(display_name)

    content = _read_limited(data, max_bytes)
    if not content:
        raise UploadRejected("empty", "upload.empty")
    if len(content) > max_bytes:
        raise UploadRejected("too_large", "upload.too_large", f"more than {max_bytes} bytes")

    # Programs first, whatever they are called: a renamed .exe must be named as such.
    if extension in EXECUTABLE_EXTENSIONS or _is_executable(content[:8192]):
        raise UploadRejected("executable", "upload.executable", f"{extension or 'no extension'}")
    kind = ALLOWED.get(extension)
    if kind is None:
        raise UploadRejected("type_not_allowed", "upload.type_not_allowed", f".{extension}")
    if not _content_matches(kind, content):
        raise UploadRejected("type_not_allowed", "upload.type_mismatch", f"content is not .{extension}")
    if kind.family in ("ooxml", "odf"):
        _inspect_container(content, kind, _Budget())

    return CheckedUpload(
        safe_display_name=display_name,
        extension=extension,
        mime_type=kind.mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        data=content,
    )
