"""The upload size limit every form and service checks (UPLOAD_MAX_MB, issue 10 item 5), in megabytes for messages."""

from django.conf import settings


def upload_max_mb() -> int:
    return settings.UPLOAD_MAX_BYTES // (1024 * 1024)
