"""Proactivity: a pillar of the IT Partnership Portal."""
