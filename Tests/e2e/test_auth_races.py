"""Concurrent requests that compete for the same thing: exactly one wins, the
others get the ordinary 400, never a 500 (unique constraints and the
invitation's single use are enforced in the database, not only checked first)."""

from concurrent.futures import ThreadPoolExecutor

from auth_client import Api, assert_detail, invite, random_ip, register_body, unique_name

ATTEMPTS = 6


def race(base_url: str, bodies: list) -> list:
    """POSTs every body to /api/auth/register at once, each from its own address."""

    def post(body):
        with Api(base_url, random_ip()) as api:
            return api.post("/api/auth/register", json=body)

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(post, bodies))


def test_one_invitation_registers_one_account(api, admin):
    email = f"{unique_name('race')}@example.com"
    invitation = invite(api, admin, email)
    bodies = [register_body(invitation, unique_name("racer"), email) for _ in range(ATTEMPTS)]
    responses = race(api.base_url, bodies)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [400] * (ATTEMPTS - 1), [(r.status_code, r.text) for r in responses]
    for response in responses:
        if response.status_code == 400:
            assert response.json()["detail"] in (
                "Invalid or expired invitation token", "Email already registered"), response.text


def test_one_username_goes_to_one_account(api, admin):
    username = unique_name("same")
    bodies = []
    for _ in range(ATTEMPTS):
        email = f"{unique_name('uniq')}@example.com"
        bodies.append(register_body(invite(api, admin, email), username, email))
    responses = race(api.base_url, bodies)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [400] * (ATTEMPTS - 1), [(r.status_code, r.text) for r in responses]
    for response in responses:
        if response.status_code == 400:
            assert_detail(response, 400, "Username already taken")
