"""Unit tests for upload validation: types, sizes, executables, zip bombs and display names."""

from __future__ import annotations

import hashlib
import io
import struct
import unicodedata
import zipfile
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.upload_checks import (
    MAX_BYTES,
    MAX_NAME_CHARS,
    MESSAGES,
    CheckedUpload,
    UploadRejected,
    check_upload,
    sanitize_display_name,
)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"

CT_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
CT_DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"
MAIN_PART = {CT_DOCX: "word/document.xml", CT_XLSX: "xl/workbook.xml", CT_PPTX: "ppt/presentation.xml"}


def png() -> bytes:
    """Return a 1×1 PNG: the 8-byte signature, an IHDR chunk with its CRC, and IEND."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def ooxml(main_type: str = CT_DOCX, extra: dict[str, bytes] | None = None, content_types: bool = True) -> bytes:
    """Build a minimal but real OOXML package (content types, relationships, main part)."""
    main = MAIN_PART.get(main_type, "word/document.xml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if content_types:
            archive.writestr(
                "[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/{main}" ContentType="{main_type}"/></Types>',
            )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/officeDocument" Target="{main}"/></Relationships>',
        )
        archive.writestr(
            main,
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Idee</w:t></w:r></w:p></w:body></w:document>',
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odf(mimetype: bytes = b"application/vnd.oasis.opendocument.text", with_mimetype: bool = True) -> bytes:
    """Build a minimal OpenDocument package: stored mimetype entry first, then content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if with_mimetype:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def rejected(filename: str, data: bytes | io.BytesIO, **kwargs: int) -> UploadRejected:
    """Return the UploadRejected raised for this upload (fails when it is accepted)."""
    with pytest.raises(UploadRejected) as info:
        check_upload(filename, data, **kwargs)
    assert info.value.message_key in MESSAGES
    return info.value


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A .docx-shaped ZIP whose document.xml is 200 MB of zeros (about 1 MB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{CT_DOCX}"/></Types>')
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            chunk = bytes(4 * 1024 * 1024)
            for _ in range(50):
                entry.write(chunk)
    return buffer.getvalue()


class TestAccepted:
    """Valid files of every allowed family pass and are described correctly."""

    def test_pdf(self) -> None:
        """A tiny PDF is accepted with its digest, size and the checked bytes."""
        result = check_upload("Konzept.pdf", PDF)
        assert isinstance(result, CheckedUpload)
        assert (result.safe_display_name, result.extension, result.mime_type) == (
            "Konzept.pdf",
            "pdf",
            "application/pdf",
        )
        assert result.size == len(PDF)
        assert result.sha256 == hashlib.sha256(PDF).hexdigest()
        assert result.data == PDF

    def test_png_jpeg_webp(self) -> None:
        """Images are accepted; the extension is compared case-insensitively."""
        assert check_upload("plan.PNG", png()).mime_type == "image/png"
        assert check_upload("foto.jpeg", JPEG).mime_type == "image/jpeg"
        assert check_upload("foto.jpg", JPEG).extension == "jpg"
        assert check_upload("bild.webp", WEBP).mime_type == "image/webp"

    def test_docx_xlsx_pptx(self) -> None:
        """Real OOXML packages built with zipfile are accepted."""
        docx = check_upload("Antrag.docx", ooxml(CT_DOCX))
        assert docx.mime_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert check_upload("Budget.xlsx", ooxml(CT_XLSX)).extension == "xlsx"
        assert check_upload("Pitch.pptx", ooxml(CT_PPTX)).extension == "pptx"

    def test_pptx_with_embedded_chart_workbook(self) -> None:
        """Charts carry their workbook as an embedded .xlsx: inspected, not refused."""
        deck = ooxml(CT_PPTX, {"ppt/embeddings/Microsoft_Excel_Worksheet.xlsx": ooxml(CT_XLSX)})
        assert check_upload("Pitch.pptx", deck).extension == "pptx"

    def test_odt_ods(self) -> None:
        """OpenDocument text and spreadsheet are accepted by their mimetype entry."""
        assert check_upload("Antrag.odt", odf()).mime_type == "application/vnd.oasis.opendocument.text"
        ods = odf(b"application/vnd.oasis.opendocument.spreadsheet")
        assert check_upload("Budget.ods", ods).extension == "ods"

    def test_stream_input(self) -> None:
        """A binary file object (e.g. werkzeug FileStorage.stream) is read like bytes."""
        assert check_upload("a.pdf", io.BytesIO(PDF)).data == PDF

    def test_short_reads(self) -> None:
        """Streams that return fewer bytes than asked are read to the end."""

        class Trickle(io.RawIOBase):
            def __init__(self, data: bytes) -> None:
                self.data = data

            def read(self, size: int = -1) -> bytes:
                piece, self.data = self.data[:7], self.data[7:]
                return piece

        assert check_upload("a.pdf", Trickle(PDF)).size == len(PDF)  # type: ignore[arg-type]


class TestSizes:
    """Empty and oversized files."""

    def test_empty(self) -> None:
        """Zero bytes → empty."""
        assert rejected("a.pdf", b"").code == "empty"
        assert rejected("a.pdf", io.BytesIO()).code == "empty"

    def test_eleven_megabytes(self) -> None:
        """11 MB → too_large (limit 10 MiB)."""
        data = PDF + bytes(11 * 1000 * 1000)
        assert rejected("a.pdf", data).code == "too_large"

    def test_exact_limit_is_accepted(self) -> None:
        """Exactly max_bytes is allowed, one more byte is not."""
        data = PDF + bytes(1000 - len(PDF))
        assert check_upload("a.pdf", data, max_bytes=1000).size == 1000
        assert rejected("a.pdf", data + b"\n", max_bytes=1000).code == "too_large"

    def test_oversized_stream_is_not_read_to_the_end(self) -> None:
        """A huge stream is refused after max_bytes + 1 bytes."""

        class Endless(io.RawIOBase):
            consumed = 0

            def read(self, size: int = -1) -> bytes:
                size = 65536 if size is None or size < 0 else size
                piece = (b"%PDF-1.4\n" + bytes(size))[:size] if self.consumed == 0 else bytes(size)
                self.consumed += len(piece)
                return piece

        stream = Endless()
        assert rejected("a.pdf", stream).code == "too_large"  # type: ignore[arg-type]
        assert stream.consumed == MAX_BYTES + 1


class TestExecutables:
    """Programs and scripts are refused whatever they are called."""

    @pytest.mark.parametrize(
        ("name", "data"),
        [
            ("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200)),
            ("photo.png", b"\x7fELF\x02\x01\x01\x00" + bytes(200)),
            ("app.pdf", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(200)),
            ("run.pdf", b"#!/bin/sh\nrm -rf ~\n"),
            ("run.docx", b"\xef\xbb\xbf#!/usr/bin/env python\n"),
            ("setup.exe", PDF),
            ("invoice\u202efdp.exe", PDF),
            ("macro.docm", ooxml(CT_DOCM)),
        ],
    )
    def test_refused(self, name: str, data: bytes) -> None:
        """Magic numbers of MZ/ELF/Mach-O/shebang, or an executable extension → executable."""
        assert rejected(name, data).code == "executable"

    def test_program_inside_docx(self) -> None:
        """An .exe hidden in a document package is found."""
        docx = ooxml(extra={"word/media/image1.png": b"MZ\x90\x00" + bytes(100)})
        assert rejected("a.docx", docx).code == "executable"

    def test_vba_macros_in_docx(self) -> None:
        """A .docx with vbaProject.bin is a renamed macro document."""
        docx = ooxml(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)})
        assert rejected("a.docx", docx).code == "executable"


class TestTypes:
    """Only allowed types, and the content must match the extension."""

    @pytest.mark.parametrize("name", ["notes.txt", "image.gif", "page.html", "noextension", "archive.zip"])
    def test_type_not_allowed(self, name: str) -> None:
        """Extensions outside the list are refused."""
        error = rejected(name, b"GIF89a" + bytes(20))
        assert (error.code, error.message_key) == ("type_not_allowed", "upload.type_not_allowed")

    @pytest.mark.parametrize(
        ("name", "data"),
        [
            ("scan.pdf", png()),
            ("plan.png", PDF),
            ("foto.jpg", png()),
            ("bild.webp", JPEG),
            ("antrag.docx", PDF),
            ("antrag.pdf", ooxml()),
            ("budget.xlsx", ooxml(CT_DOCX)),
            ("antrag.docx", ooxml(CT_XLSX)),
            ("antrag.odt", odf(b"application/vnd.oasis.opendocument.spreadsheet")),
            ("antrag.ods", ooxml(CT_XLSX)),
            ("antrag.docx", odf()),
        ],
    )
    def test_content_must_match_extension(self, name: str, data: bytes) -> None:
        """E.g. a .pdf with PNG content → type_not_allowed / upload.type_mismatch."""
        error = rejected(name, data)
        assert error.code == "type_not_allowed"
        assert error.message_key == "upload.type_mismatch"


class TestArchives:
    """ZIP-based office files: bombs, nesting and structure."""

    def test_zip_bomb_renamed_docx(self, zip_bomb: bytes) -> None:
        """200 MB of zeros declared inside a ~1 MB .docx → zip_bomb (refused before unpacking)."""
        assert len(zip_bomb) < MAX_BYTES
        error = rejected("harmless.docx", zip_bomb)
        assert (error.code, error.message_key) == ("zip_bomb", "upload.zip_bomb")

    def test_compression_ratio(self) -> None:
        """5 MB of zeros (ratio ≈ 1000) in a small document → zip_bomb."""
        error = rejected("a.docx", ooxml(extra={"word/media/blank.bin": bytes(5 * 1024 * 1024)}))
        assert error.code == "zip_bomb"

    def test_forged_uncompressed_size(self) -> None:
        """An entry that unpacks to more than its header declares is caught while unpacking."""
        name = "word/media/blank.bin"
        data = bytearray(ooxml(extra={name: bytes(2 * 1024 * 1024)}))
        info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
        fake_size, fake_crc = 1000, zlib.crc32(bytes(1000))
        # Local header: CRC at +14, sizes at +18/+22. Central record: CRC at +16, sizes at +20/+24.
        struct.pack_into("<III", data, info.header_offset + 14, fake_crc, info.compress_size, fake_size)
        central = data.find(b"PK\x01\x02" + data[info.header_offset + 4 : info.header_offset + 10])
        while data[central + 46 : central + 46 + len(name)] != name.encode():
            central = data.find(b"PK\x01\x02", central + 4)
        struct.pack_into("<III", data, central + 16, fake_crc, info.compress_size, fake_size)
        assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name).file_size == 1000
        error = rejected("a.docx", bytes(data))
        assert (error.code, error.message_key) == ("zip_bomb", "upload.zip_bomb")

    def test_too_many_entries(self) -> None:
        """More than 5,000 entries → zip_bomb."""
        extra = {f"word/media/{i}.xml": b"" for i in range(5001)}
        assert rejected("a.docx", ooxml(extra=extra)).code == "zip_bomb"

    def test_nested_archive(self) -> None:
        """A ZIP inside a document (outside the embeddings folder) → zip_bomb / nested_archive."""
        docx = ooxml(extra={"word/media/more.zip": ooxml()})
        error = rejected("a.docx", docx)
        assert (error.code, error.message_key) == ("zip_bomb", "upload.nested_archive")
        gz = ooxml(extra={"word/media/image1.png": b"\x1f\x8b\x08\x00" + bytes(40)})
        assert rejected("a.docx", gz).message_key == "upload.nested_archive"

    def test_embedded_workbook_is_checked_too(self) -> None:
        """An embedded workbook carrying a program is refused; deeper nesting is refused."""
        evil = ooxml(CT_XLSX, {"xl/media/x.png": b"\x7fELF" + bytes(60)})
        deck = ooxml(CT_PPTX, {"ppt/embeddings/sheet.xlsx": evil})
        assert rejected("a.pptx", deck).code == "executable"
        inner = ooxml(CT_XLSX, {"xl/embeddings/deeper.xlsx": ooxml(CT_XLSX)})
        deck = ooxml(CT_PPTX, {"ppt/embeddings/sheet.xlsx": inner})
        assert rejected("a.pptx", deck).message_key == "upload.nested_archive"

    def test_missing_content_types(self) -> None:
        """OOXML without [Content_Types].xml is not a valid document."""
        error = rejected("a.docx", ooxml(content_types=False))
        assert (error.code, error.message_key) == ("zip_bomb", "upload.archive_invalid")

    def test_missing_odf_mimetype(self) -> None:
        """ODF without its mimetype entry is not a valid document."""
        error = rejected("a.odt", odf(with_mimetype=False))
        assert (error.code, error.message_key) == ("zip_bomb", "upload.archive_invalid")

    def test_corrupt_zip(self) -> None:
        """A ZIP signature followed by garbage is refused as invalid."""
        error = rejected("a.docx", b"PK\x03\x04" + bytes(100))
        assert (error.code, error.message_key) == ("zip_bomb", "upload.archive_invalid")

    def test_corrupt_entry_checksum(self) -> None:
        """A flipped byte in compressed data is caught (CRC or inflate error)."""
        data = bytearray(ooxml())
        info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
        data[info.header_offset + 30 + len(info.filename) + 5] ^= 0xFF
        assert rejected("a.docx", bytes(data)).message_key == "upload.archive_invalid"


class TestNames:
    """Display names are sanitised and never carry paths or control characters."""

    @pytest.mark.parametrize(
        ("raw", "clean"),
        [
            ("../../etc/passwd.pdf", "passwd.pdf"),
            ("C:\\Users\\x\\a.pdf", "a.pdf"),
            ("a\x00b.pdf", "ab.pdf"),
            ("\u202egpj.exe.pdf", "gpj.exe.pdf"),
            ("CON.pdf", "CON.pdf"),
            (".hidden.pdf", "hidden.pdf"),
            ("a.pdf. . ", "a.pdf"),
            ("Bericht  \t\n final.pdf", "Bericht final.pdf"),
            ('Antrag "final" <v2>?.pdf', "Antrag _final_ _v2__.pdf"),
            ("Gr\u0075\u0308\u00dfe.pdf", "Grüße.pdf"),
            (
                "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645.pdf",
                "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645.pdf",
            ),
        ],
    )
    def test_sanitised(self, raw: str, clean: str) -> None:
        """Paths, NUL, bidi overrides, leading dots are stripped; ZWNJ (Persian) is kept."""
        assert check_upload(raw, PDF).safe_display_name == clean

    def test_long_name_keeps_extension(self) -> None:
        """Names are cut to 150 characters without losing the extension."""
        name = check_upload("x" * 400 + ".pdf", PDF).safe_display_name
        assert len(name) == MAX_NAME_CHARS
        assert name.endswith("x.pdf")

    @pytest.mark.parametrize("raw", ["\x01\x02\x1f\x7f", "", "   ", "..", "../..", "\u202e\u2066", "dir/"])
    def test_bad_name(self, raw: str) -> None:
        """Names that are empty after sanitising → bad_name."""
        assert rejected(raw, PDF).code == "bad_name"

    @given(st.text(max_size=400))
    def test_sanitised_names_are_safe(self, raw: str) -> None:
        """Whatever comes in, the display name has no separators, controls, bidi or leading dot."""
        name = sanitize_display_name(raw)
        assert len(name) <= MAX_NAME_CHARS
        assert "/" not in name and "\\" not in name
        assert not name.startswith(".")
        assert all(unicodedata.category(c) not in ("Cc", "Cs", "Zl", "Zp") for c in name)
        assert not set(name) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
        assert name == name.strip()
        name.encode("utf-8")  # storable: no lone surrogates
