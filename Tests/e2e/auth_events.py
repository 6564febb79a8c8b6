"""RabbitMQ helpers of the auth end-to-end tests (pika, BlockingConnection).

Events travel on the durable topic exchange `clipset.events`, routing key =
event type, as envelopes {id, type, version, occurred_at, producer, data}.
A listener binds its own exclusive auto-delete queue BEFORE the action it
observes; `publish` sends an envelope as another service would."""

import json
import time
import uuid
from datetime import datetime, timezone

import pika

from support import required_env, wait_for

EXCHANGE = "clipset.events"
EVENT_TIMEOUT = 10


def connect() -> pika.BlockingConnection:
    parameters = pika.URLParameters(required_env("CLIPSET_TEST_AMQP_URL"))
    parameters.heartbeat = 0  # a listener may sit idle while a test works
    return pika.BlockingConnection(parameters)


def declare_exchange(channel) -> None:
    channel.exchange_declare(exchange=EXCHANGE, exchange_type="topic", durable=True)


def rfc3339(moment: datetime = None) -> str:
    """`moment` (default now) as 2026-01-04T10:20:30.123Z."""
    moment = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def same(actual, expected) -> bool:
    """Field equality, ignoring letter case of strings (UUIDs may be upper-case)."""
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.lower() == expected.lower()
    return actual == expected


class EventListener:
    """An exclusive queue bound to `clipset.events` with the given routing keys."""

    def __init__(self, routing_keys):
        self.connection = connect()
        self.channel = self.connection.channel()
        declare_exchange(self.channel)
        self.queue = self.channel.queue_declare(queue="", exclusive=True, auto_delete=True).method.queue
        for key in routing_keys:
            self.channel.queue_bind(queue=self.queue, exchange=EXCHANGE, routing_key=key)
        self.received = []

    def drain(self) -> None:
        while True:
            method, _properties, body = self.channel.basic_get(queue=self.queue, auto_ack=True)
            if method is None:
                return
            try:
                envelope = json.loads(body)
            except ValueError:
                continue
            if isinstance(envelope, dict):
                envelope["_routing_key"] = method.routing_key
                self.received.append(envelope)

    def matching(self, event_type: str, **data) -> list:
        """The envelopes received so far of `event_type` whose data has the given values."""
        self.drain()
        return [
            e for e in self.received
            if e.get("type") == event_type and isinstance(e.get("data"), dict)
            and all(same(e["data"].get(k), v) for k, v in data.items())
        ]

    def wait_for(self, event_type: str, timeout: float = EVENT_TIMEOUT, **data) -> dict:
        """The first envelope of `event_type` whose data has the given values;
        fails when none arrives within `timeout` seconds."""
        found = wait_for(lambda: next(iter(self.matching(event_type, **data)), None), timeout)
        seen = [(e.get("type"), e.get("data")) for e in self.received]
        assert found is not None, f"no {event_type} event with {data} within {timeout} s; received {seen}"
        return found

    def close(self) -> None:
        try:
            self.connection.close()
        except Exception:  # the broker may already have dropped it
            pass


def envelope(event_type: str, data: dict, producer: str, event_id: str = None) -> dict:
    return {
        "id": event_id or str(uuid.uuid4()),
        "type": event_type,
        "version": 1,
        "occurred_at": rfc3339(),
        "producer": producer,
        "data": data,
    }


def publish(*envelopes: dict) -> None:
    """Publishes the envelopes (persistent, confirmed) to `clipset.events`."""
    connection = connect()
    try:
        channel = connection.channel()
        declare_exchange(channel)
        channel.confirm_delivery()
        for env in envelopes:
            channel.basic_publish(
                exchange=EXCHANGE,
                routing_key=env["type"],
                body=json.dumps(env).encode(),
                properties=pika.BasicProperties(
                    content_type="application/json", delivery_mode=2, message_id=env["id"],
                    timestamp=int(time.time())),
            )
    finally:
        connection.close()
