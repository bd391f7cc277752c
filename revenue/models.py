"""Models of the revenue app."""
