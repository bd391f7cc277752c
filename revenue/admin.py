"""Admin of the revenue app."""
