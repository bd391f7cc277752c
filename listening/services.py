"""Writes of the listening app: atomic functions named <entity>_<action>(*, ...)."""
