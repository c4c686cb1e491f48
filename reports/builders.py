"""Imports every module that registers a background report (`reports.jobs.job_builder`), so that the worker and the
pages know every kind: the fill rate (fill_rate_xlsx, fill_rate_pdf), the class reports and the risk list
(class_performance_school, class_risk_school) and a class's whole journal (journal_printout_class)."""

from . import printout, risk, views_fill_rate  # noqa: F401
