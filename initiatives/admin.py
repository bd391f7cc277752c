"""Admin of the initiatives app."""
