"""Writes of the initiatives app: atomic functions named <entity>_<action>(*, ...)."""
