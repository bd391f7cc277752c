"""Reads of the revenue app: querysets ready for pages, API and exports."""
