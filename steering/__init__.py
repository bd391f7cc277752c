"""Share with business: a pillar of the IT Partnership Portal."""
