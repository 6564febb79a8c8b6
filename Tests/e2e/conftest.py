"""Fixtures of the end-to-end tests, which run against the processes that
`scripts/test` starts (five services and media workers on loopback).

Environment (set by scripts/test; a missing variable fails the test, never skips it):
  CLIPSET_E2E_<NAME>_URL   base URL of each process, NAME in GATEWAY AUTH MEDIA SOCIAL
                           NOTIFY MEDIA_WORKER_1
  CLIPSET_E2E_STATE_DIR    state folder: logs/<name>.log, run/<name>.pid, run/<name>.exit
  CLIPSET_TEST_INFRA       command controlling the servers: `<cmd> <start|stop> <server>`
  CLIPSET_TEST_AMQP_URL    the RabbitMQ URL (auth tests observe and publish events)
"""

import pytest

from auth_client import Api, User, admin_user, register
from support import EXPECTED_CHECKS, Process, process, run_infra


@pytest.fixture(params=sorted(EXPECTED_CHECKS))
def proc(request) -> Process:
    """Each process in turn: gateway, auth, media, social, notify, media-worker-1."""
    return process(request.param)


@pytest.fixture
def gateway() -> Process:
    return process("gateway")


@pytest.fixture
def auth() -> Process:
    return process("auth")


@pytest.fixture
def social() -> Process:
    return process("social")


@pytest.fixture
def notify() -> Process:
    return process("notify")


@pytest.fixture
def api(auth: Process):
    """A session on auth from a client address of its own (X-Forwarded-For)."""
    with Api(auth.url) as session:
        yield session


@pytest.fixture
def gw(gateway: Process):
    """A session on the gateway (the public entry) from a client address of its own."""
    with Api(gateway.url) as session:
        yield session


@pytest.fixture(scope="module")
def admin() -> User:
    """The initial admin, logged in once per module."""
    return admin_user(process("auth").url)


@pytest.fixture
def events():
    """`events(*routing_keys)` opens an EventListener; all are closed after the test."""
    from auth_events import EventListener  # pika is only needed by the tests that listen

    listeners = []

    def listen(*routing_keys):
        listener = EventListener(routing_keys)
        listeners.append(listener)
        return listener

    yield listen
    for listener in listeners:
        listener.close()


@pytest.fixture
def infra():
    """Calls `$CLIPSET_TEST_INFRA ACTION SERVER`."""
    return run_infra


@pytest.fixture(scope="module")
def owner() -> User:
    """A user of the module's own, invited by the admin, registered and logged in: the uploader
    of the media worker tests."""
    admin = admin_user(process("auth").url)
    with Api(process("auth").url) as auth_api:
        return register(auth_api, admin)
