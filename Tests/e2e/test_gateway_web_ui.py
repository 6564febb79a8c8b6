"""The UI at /: index.html (text/html, "Clipset", Cache-Control no-cache) for /
and for the single-page app's own routes (/v/{short_id}, /register/{token}),
/index.html itself too."""

import pytest


def assert_index(response, path: str) -> None:
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:200]}"
    assert response.headers.get("Content-Type", "").startswith("text/html"), f"{path}: {response.headers}"
    assert "Clipset" in response.text, f"{path}: {response.text[:200]}"


def test_root_is_the_index_revalidated_each_time(gw):
    response = gw.get("/")
    assert_index(response, "/")
    assert "no-cache" in response.headers.get("Cache-Control", ""), response.headers


@pytest.mark.parametrize("path", ["/v/abc123", "/register/sometoken", "/index.html"])
def test_app_routes_load_the_same_index(gw, path):
    root = gw.get("/")
    response = gw.get(path)
    assert_index(response, path)
    assert response.text == root.text, f"{path} is not the index"
    assert "no-cache" in response.headers.get("Cache-Control", ""), f"{path}: {response.headers}"
