"""IT-driven revenue: a pillar of the IT Partnership Portal."""
