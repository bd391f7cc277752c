"""The one JSON reader of request bodies: the API's parser and the inbound webhooks.

Python's `json` reads more than the portal can use, and some of it only fails later, as a 500:

- nesting past the interpreter's recursion limit raises `RecursionError` (not a `ValueError`),
  and any nesting past a few levels is more than a portal body holds;
- `1e400` reads as infinity, and `Infinity`, `-Infinity` and `NaN` are read although JSON has no
  such numbers, then fail in arithmetic, in the database or when the answer is written;
- `"\\ud800"` (half of a surrogate pair) reads as a string that cannot be encoded as UTF-8, so
  the database, an error message or the answer that echoes it fails.

`loads()` refuses each with a `JSONBodyError` whose message names the problem, which the API
answers as a 400 (partnership/api/errors.py) and the webhook receiver as a logged 400.
"""

import json
import math
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 64  # arrays and objects inside each other; the deepest body the portal reads has 5

DEPTH_MESSAGE = f"The JSON body is nested more than {MAX_DEPTH} levels deep."
NUMBER_MESSAGE = "The JSON body holds a number out of range ({}): send a finite number."
SURROGATE_MESSAGE = "The JSON body holds a lone surrogate (\\u{:04x}), which is not a character."

_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONBodyError(ValueError):
    """A body that is not JSON the portal can read; the message says why."""


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise JSONBodyError(NUMBER_MESSAGE.format(text))
    return number


def _refuse_constant(name: str):
    raise JSONBodyError(NUMBER_MESSAGE.format(name))


def _check_text(text: str) -> None:
    found = _SURROGATE.search(text)
    if found:
        raise JSONBodyError(SURROGATE_MESSAGE.format(ord(found.group())))


def _check(value) -> None:
    """Depth and strings of a parsed body, without recursion (a list of (value, depth) to do)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            _check_text(item)
            continue
        if not isinstance(item, (list, dict)):
            continue
        if depth > MAX_DEPTH:
            raise JSONBodyError(DEPTH_MESSAGE)
        if isinstance(item, dict):
            for key in item:
                _check_text(key)
            item = item.values()
        pending.extend((child, depth + 1) for child in item)


def loads(body: bytes | str):
    """The value of a JSON body, or `JSONBodyError`. Bytes are read as UTF-8."""
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONBodyError(f"The JSON body is not UTF-8 text: {exc}") from exc
    try:
        value = json.loads(body, parse_float=_finite_float, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise JSONBodyError(DEPTH_MESSAGE) from exc
    except JSONBodyError:
        raise
    except ValueError as exc:  # json.JSONDecodeError, and integers past int's digit limit
        raise JSONBodyError(f"The body is not valid JSON: {exc}") from exc
    _check(value)
    return value


class PortalJSONParser(JSONParser):
    """Django REST framework's JSON parser reading through `loads()` (the default parser of
    every API view, settings.REST_FRAMEWORK)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return loads(stream.read().decode(encoding))
        except UnicodeDecodeError as exc:
            raise ParseError(f"The JSON body is not {encoding} text.") from exc
        except JSONBodyError as exc:
            raise ParseError(str(exc)) from exc
