"""A platform's first start loses no event.

The test platform is a first start: its database and broker are new, every service ran
`<service> migrate` (which declares the service's event queue with its bindings) before any
service started, and then auth created the initial admin and published `auth.user.registered`
at once, before media, social and notify had started consuming. That event must reach every
consumer: before `migrate` declared the queues it was unroutable and lost, so notify never had
the admin's address (no email to the admin, ever) and media and social did not know the admin.
"""

import pytest

from auth_client import ADMIN_EMAIL
from media_client import psql
from notify_support import mails
from support import wait_for

CONSUMERS = ("media", "social", "notify")


@pytest.fixture(scope="module")
def admin_registered(admin) -> str:
    """The id of the event auth published when it created the initial admin (from its outbox)."""
    event_id = psql(
        "SELECT id FROM auth.outbox WHERE routing_key = 'auth.user.registered' "
        f"AND body ILIKE '%{admin.id}%' ORDER BY seq LIMIT 1")
    assert event_id, "auth's outbox has no auth.user.registered for the initial admin"
    published = psql(f"SELECT published_at IS NOT NULL FROM auth.outbox WHERE id = '{event_id}'")
    assert published == "t", "auth never published the initial admin's event"
    return event_id


@pytest.mark.parametrize("service", CONSUMERS)
def test_every_consumer_applied_the_initial_admins_registration(admin_registered, service):
    def applied():
        return psql(f"SELECT event_type FROM {service}.inbox WHERE event_id = '{admin_registered}'") or None

    assert wait_for(applied, 10) == "auth.user.registered", \
        f"{service} never applied the initial admin's auth.user.registered ({admin_registered})"


def test_the_initial_admin_gets_the_welcome_email(admin_registered):
    found = wait_for(lambda: mails(to=ADMIN_EMAIL, kind="welcome", event=admin_registered), 10)
    assert found, f"no welcome email to {ADMIN_EMAIL} for event {admin_registered}"
    assert len(found) == 1, f"{len(found)} welcome emails to the admin"

