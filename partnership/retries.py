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

# Retries only on those errors, with exponential backoff, jitter and a cap.
RETRY_ON_TRANSIENT_ERRORS = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 15,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 6,
}
