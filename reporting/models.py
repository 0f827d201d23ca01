"""Reporting models (roll-up totals and export jobs) arrive with the roll-up."""
