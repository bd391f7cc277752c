"""Reads of the listening app: querysets ready for pages, API and exports."""
