"""GET /api/openapi.json: one valid OpenAPI 3.1 document of the whole public
API, merged from the gateway's own and each service's.

- Every route a service registers (its `GET /internal/routes`, e.g.
  `/api/users/:user_id`) is in it with its method, operational routes aside.
- The gateway's /api/health and /api/openapi.json are in it; operationIds are
  unique.
- The services' /internal/routes and /openapi.json are not reachable through
  the gateway.
"""

import re

import pytest
import requests
from openapi_spec_validator import validate

from support import TIMEOUT, process

OPERATIONAL = {"/health", "/ready", "/metrics", "/openapi.json", "/internal/routes"}
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture(scope="module")
def document() -> dict:
    response = requests.get(process("gateway").url + "/api/openapi.json", timeout=TIMEOUT)
    assert response.status_code == 200, response.text[:300]
    assert "json" in response.headers.get("Content-Type", ""), response.headers
    return response.json()


def normalized(path: str) -> str:
    """`/api/users/:user_id/` -> `/api/users/{user_id}`; a catch-all `**` -> `{path}`."""
    path = re.sub(r"/\*\*$", "/{path}", path)
    path = re.sub(r":([A-Za-z_][A-Za-z0-9_]*)", r"{\1}", path)
    return path.rstrip("/") or "/"


def test_document_is_valid_openapi_3_1(document):
    assert str(document.get("openapi", "")).startswith("3.1"), document.get("openapi")
    validate(document)


@pytest.mark.parametrize("service", ["auth", "media", "social", "notify"])
def test_every_route_of_a_service_is_documented(document, service):
    response = process(service).get("/internal/routes")
    assert response.status_code == 200, response.text[:300]
    routes = response.json()
    assert isinstance(routes, list) and all({"method", "path"} <= r.keys() for r in routes), routes
    paths = {}
    for path, item in document.get("paths", {}).items():
        paths.setdefault(normalized(path), set()).update(k for k in item if k in METHODS)
    missing = [f"{r['method']} {r['path']}" for r in routes
               if normalized(r["path"]) not in OPERATIONAL
               and r["method"].lower() not in paths.get(normalized(r["path"]), set())]
    assert not missing, f"{service} routes missing from /api/openapi.json: {missing}"


def test_gateway_routes_are_documented(document):
    for path in ("/api/health", "/api/openapi.json"):
        assert "get" in document.get("paths", {}).get(path, {}), f"{path} is not documented"


def test_operation_ids_are_unique(document):
    seen = {}
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in METHODS and isinstance(operation, dict) and "operationId" in operation:
                seen.setdefault(operation["operationId"], []).append(f"{method.upper()} {path}")
    assert seen, "no operationId at all"
    duplicated = {op: where for op, where in seen.items() if len(where) > 1}
    assert not duplicated, f"operationIds used more than once: {duplicated}"


INTERNALS = ["/internal/routes", "/openapi.json", "/api/internal/routes"]


@pytest.mark.parametrize("path", INTERNALS)
def test_service_internals_are_not_served_through_the_gateway(gw, admin, path):
    response = gw.get(path, token=admin.access_token)
    text = response.text
    assert '"method"' not in text and '"openapi"' not in text, f"{path} serves a service's document: {text[:300]}"


@pytest.mark.parametrize("path", INTERNALS)
def test_service_internals_are_a_404_through_the_gateway(gw, admin, path):
    response = gw.get(path, token=admin.access_token)
    assert response.status_code == 404, \
        f"{path}: {response.status_code} {response.headers.get('Content-Type')} {response.text[:120]!r}"
    assert "json" in response.headers.get("Content-Type", ""), response.headers
