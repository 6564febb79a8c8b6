"""Trailing slashes: the admin lists answer 200 through the gateway with and
without the final slash (no redirect), as they do on auth directly."""

import pytest

from gateway_support import assert_from_gateway


@pytest.mark.parametrize("path", ["/api/users", "/api/users/", "/api/invitations", "/api/invitations/"])
def test_admin_list_answers_with_or_without_the_slash(gw, admin, path):
    response = gw.get(path, token=admin.access_token)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    assert_from_gateway(response)
    assert isinstance(response.json(), list), response.text[:300]
