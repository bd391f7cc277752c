"""Admin of the listening app."""
