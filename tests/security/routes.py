"""Walk the site's URL patterns and the OpenAPI operations (shared by the matrix and its tools)."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "api/v1/"


def url_patterns(resolver=None, prefix=""):
    """Every URL pattern of the site as (route, view path), routes joined like "listening/<int:pk>/"."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.lookup_str


_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def openapi_path(route: str) -> str:
    """The OpenAPI path of an API route: "api/v1/^pain-points/(?P<pk>[^/.]+)/$" -> "/api/v1/pain-points/{id}/"."""
    path = route.replace("^", "").replace("$", "")
    path = _REGEX_GROUP.sub(_placeholder, path)
    path = _CONVERTER.sub(_placeholder, path)
    return "/" + path


def _placeholder(match) -> str:
    name = match.group(1)
    return "{id}" if name == "pk" else f"{{{name}}}"


def openapi_operations():
    """Every (METHOD, path) of the OpenAPI schema drf-spectacular generates."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
