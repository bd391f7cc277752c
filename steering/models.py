"""Models of the steering app."""
