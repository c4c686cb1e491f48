"""What every upload of the portal is checked against (issue 10 item 5): the size limit (UPLOAD_MAX_MB, in megabytes
for messages) and whether a file's first bytes are of the kind its name says (homework, teaching materials, handed-in
work, messages' attachments, portfolio scans, school documents)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _


def upload_max_mb() -> int:
    return settings.UPLOAD_MAX_BYTES // (1024 * 1024)


_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # Office Open XML and OpenDocument files are ZIP archives too
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # Word, Excel and PowerPoint before 2007
# What a file's first bytes are for each accepted name ending: a program or a web page renamed to .pdf is refused.
CONTENT_SIGNS: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".rtf": (b"{\\rtf",),
    ".docx": _ZIP, ".xlsx": _ZIP, ".pptx": _ZIP, ".odt": _ZIP, ".ods": _ZIP, ".odp": _ZIP, ".zip": _ZIP,
    ".doc": _OLE, ".xls": _OLE, ".ppt": _OLE,
}  # fmt: skip


KIND_REFUSED = _(
    "Files of this kind are not accepted. Use PDF, Word, Excel, PowerPoint, OpenDocument, pictures or ZIP."
)


def content_matches(upload, extension: str) -> bool:
    """Whether the file's first bytes are those of the kind its name says."""
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if extension in CONTENT_SIGNS:
        return head.startswith(CONTENT_SIGNS[extension])
    if extension == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension == ".mp3":  # an ID3 tag, or the first MPEG audio frame
        return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    if extension == ".txt":  # text has no zero bytes (UTF-8 or Windows-1251 alike)
        return b"\x00" not in head
    return False
