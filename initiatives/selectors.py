"""Reads of the initiatives app: querysets ready for pages, API and exports."""
