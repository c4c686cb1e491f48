"""Permissions of the reports (issue 9): see reports/rules.py for the shared ones."""

import rules  # noqa: F401
