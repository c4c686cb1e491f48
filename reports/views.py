"""The deputy's start page, reports:control, is the school level of journal control (reports/views_fill_rate.py)."""

from .views_fill_rate import control

__all__ = ["control"]
