"""Permissions of the audit app (issue 10): each part registers its rules in its own module."""

from . import rules_archive, rules_changes, rules_log  # noqa: F401 - register on import
