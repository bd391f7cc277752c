"""Admin of the steering app."""
