"""Reads of the steering app: querysets ready for pages, API and exports."""
