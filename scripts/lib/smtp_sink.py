"""A real SMTP receiver for development and tests, on PyPI's aiosmtpd.

Every message it accepts is saved, raw bytes as received, into INBOX as
`<counter>-<epoch ms>.eml` (written to a hidden temporary file first, then
renamed, so a reader never sees half a message). Two listeners share the inbox:

  --port P        open: no TLS, no AUTH (what `SMTP_URL=smtp://127.0.0.1:P` needs)
  --auth-port Q   optional: offers STARTTLS with --cert/--key and requires
                  AUTH PLAIN or LOGIN after it, with the user and password in
                  the environment variables SMTP_SINK_USER and SMTP_SINK_PASSWORD

On both, a recipient whose domain is `reject.invalid` is refused with 550 and
one at `defer.invalid` with 450, so clients can test how they handle refusals.

  python3 smtp_sink.py --inbox DIR --port P [--auth-port Q --cert F --key F]
"""

import argparse
import asyncio
import itertools
import os
import signal
import ssl
import time
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class InboxHandler:
    """Saves each accepted message as one file; refuses the test domains."""

    def __init__(self, inbox):
        self.inbox = inbox
        os.makedirs(inbox, exist_ok=True)
        existing = [int(n.split("-", 1)[0]) for n in os.listdir(inbox) if n[:1].isdigit()]
        self.counter = itertools.count(max(existing, default=0) + 1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        domain = address.rpartition("@")[2].lower()
        if domain == "reject.invalid":
            return "550 5.1.1 Recipient refused by the test sink"
        if domain == "defer.invalid":
            return "450 4.2.1 Recipient deferred by the test sink"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = "%06d-%d.eml" % (next(self.counter), int(time.time() * 1000))
        temporary = os.path.join(self.inbox, "." + name + ".tmp")
        with open(temporary, "wb") as file:
            file.write(envelope.original_content)
        os.rename(temporary, os.path.join(self.inbox, name))
        return "250 Message accepted for delivery"


def credentials_check(user, password):
    """An aiosmtpd authenticator accepting exactly one login."""

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        # handled=False makes aiosmtpd answer 535 itself; with the default it would answer nothing.
        return AuthResult(success=ok, handled=False)

    return authenticate


async def serve(args):
    loop = asyncio.get_running_loop()
    handler = InboxHandler(args.inbox)
    servers = [
        await loop.create_server(lambda: SMTP(handler, hostname="clipset-sink"), "127.0.0.1", args.port)
    ]
    if args.auth_port:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        authenticate = credentials_check(os.environ["SMTP_SINK_USER"], os.environ["SMTP_SINK_PASSWORD"])
        factory = lambda: SMTP(  # noqa: E731
            handler,
            hostname="clipset-sink",
            tls_context=context,
            auth_required=True,
            auth_require_tls=True,
            authenticator=authenticate,
        )
        servers.append(await loop.create_server(factory, "127.0.0.1", args.auth_port))
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for server in servers:
        server.close()


def main():
    # A parent may hand down a blocked signal mask (the Swift test runner does, when a test
    # restarts this server through CLIPSET_TEST_INFRA); SIGTERM must reach us to stop.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    # aiosmtpd 1.4 warns about its own use of Session.login_data on every login.
    warnings.filterwarnings("ignore", message="Session.login_data is deprecated")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inbox", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--auth-port", type=int)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
