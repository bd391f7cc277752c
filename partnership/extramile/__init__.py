"""Take the extra mile: the ledger of what IT did beyond the request, rated by the business;
check-ins with key users after planned downtime; FAQ and training proposals for repeated
problems; and the short survey after a pain point is resolved. See docs/pillars/extra-mile.md.
"""
