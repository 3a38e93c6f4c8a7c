"""Attachments of a chat message: checked, size-capped, and only for models that read them."""

from __future__ import annotations

import base64
import binascii

from ..errors import BadRequest
from ..providers.base import DocumentBlock, ImageBlock, ModelInfo
from .protocol import Attachment

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/csv", "text/html"})
PDF = "application/pdf"
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_TOTAL_BYTES = 10 * 1024 * 1024


def blocks(
    attachments: list[Attachment], model_id: str, info: ModelInfo | None,
    max_bytes: int = MAX_ATTACHMENT_BYTES, max_total: int = MAX_TOTAL_BYTES,
) -> list[ImageBlock | DocumentBlock]:
    """The attachments as content blocks; BadRequest naming the one that cannot be taken."""
    out: list[ImageBlock | DocumentBlock] = []
    total = 0
    for i, a in enumerate(attachments):
        where = f"attachments.{i}"
        media_type = a.media_type.lower().split(";")[0].strip()
        if media_type not in IMAGE_TYPES | TEXT_TYPES | {PDF}:
            raise BadRequest(f"{where}.media_type: {media_type} attachments are not supported")
        needs_vision = media_type in IMAGE_TYPES or media_type == PDF
        if needs_vision and not (info and info.capabilities.vision):
            kind = "images" if media_type in IMAGE_TYPES else "documents"
            raise BadRequest(f"{where}: the model {model_id} cannot read {kind}")
        if len(a.data) > (max_bytes * 4) // 3 + 4:
            raise BadRequest(f"{where}: {a.name} is over {max_bytes // 1024} KB")
        try:
            raw = base64.b64decode(a.data, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest(f"{where}.data: not valid base64") from None
        if len(raw) > max_bytes:
            raise BadRequest(f"{where}: {a.name} is over {max_bytes // 1024} KB")
        total += len(raw)
        if total > max_total:
            raise BadRequest(f"attachments: together over {max_total // 1024} KB")
        if media_type in IMAGE_TYPES:
            out.append(ImageBlock(media_type, a.data))
        else:
            out.append(DocumentBlock(media_type, a.data, a.name))
    return out
