"""Writes of the steering app: atomic functions named <entity>_<action>(*, ...)."""
