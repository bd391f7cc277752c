"""The partnership score: indicators registered by each app, scored by a pure function."""

from .registry import Indicator, Measure, Window, register, registered_indicators

__all__ = ["Indicator", "Measure", "Window", "register", "registered_indicators"]
