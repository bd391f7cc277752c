"""Models of the listening app."""
