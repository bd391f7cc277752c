"""The retry policy every Celery task of the portal shares: what counts as "try again later"."""

import smtplib

import kombu.exceptions
import redis.exceptions
from django.db import InterfaceError, OperationalError

# Errors that say "try again later" (broker, database or mail server away), never "this is wrong".
TRANSIENT_ERRORS = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OperationalError,
    InterfaceError,
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
)

# The longest a retry waits in the broker as a countdown. A worker holds such a message unacked
# until it runs, so the wait plus the task's run must stay under the broker's visibility timeout
# (CELERY_VISIBILITY_TIMEOUT, checked in settings) or Redis hands the message out a second time.
LONGEST_COUNTDOWN_SECONDS = 300

# Retries only on those errors, with exponential backoff, jitter and a cap.
RETRY_ON_TRANSIENT_ERRORS = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 15,
    "retry_backoff_max": LONGEST_COUNTDOWN_SECONDS,
    "retry_jitter": True,
    "max_retries": 6,
}
