"""Imports every module that registers a background report (`reports.jobs.job_builder`), so that the worker and the
pages know every kind."""
