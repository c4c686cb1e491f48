"""Bench scenarios of issue 9 (see bench/scenarios.py)."""
