#!/usr/bin/env python
"""Django's command-line utility, with configuration errors reported on one line."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as e:
        # A broken environment (DATABASE_URL, SECRET_KEY, ...) is the operator's mistake, not a crash:
        # one line that says what to fix, not a traceback.
        print(f"ejournal: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
