"""Listen to business: a pillar of the IT Partnership Portal."""
