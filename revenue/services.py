"""Writes of the revenue app: atomic functions named <entity>_<action>(*, ...)."""
