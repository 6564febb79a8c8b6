#!/usr/bin/env python3
"""Upload sink for bench/gateway/run: an HTTP/1.1 server that reads the body of any request
and throws it away, then answers 204 No Content (keep-alive).

    sink.py PORT

Bodies with Content-Length and chunked bodies are both read; `Expect: 100-continue` is
answered with 100 Continue.  It reads with recv_into into one 1 MiB buffer, so it holds no
more than that of a body at any time, and one thread serves each connection.
"""

import socket
import socketserver
import sys

CHUNK = 1 << 20


class Connection:
    def __init__(self, sock):
        self.sock = sock
        self.buffer = bytearray(CHUNK)
        self.view = memoryview(self.buffer)
        self.pending = b""  # bytes read past the header section or a chunk-size line

    def read_line(self):
        while b"\r\n" not in self.pending:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError
            self.pending += data
            if len(self.pending) > 65536:
                raise ValueError("line too long")
        line, _, self.pending = self.pending.partition(b"\r\n")
        return line

    def discard(self, count):
        """Reads and drops exactly `count` body bytes."""
        if self.pending:
            used = min(count, len(self.pending))
            self.pending = self.pending[used:]
            count -= used
        while count > 0:
            received = self.sock.recv_into(self.view[: min(count, CHUNK)])
            if received == 0:
                raise EOFError
            count -= received

    def discard_chunked(self):
        total = 0
        while True:
            size = int(self.read_line().split(b";")[0].strip(), 16)
            if size == 0:
                while self.read_line():  # trailer section
                    pass
                return total
            self.discard(size)
            total += size
            if self.read_line():
                raise ValueError("chunk not followed by CRLF")

    def serve(self):
        while True:
            try:
                request_line = self.read_line()
            except EOFError:
                return
            if not request_line:
                continue
            headers = {}
            while True:
                line = self.read_line()
                if not line:
                    break
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            if headers.get(b"expect", b"").lower() == b"100-continue":
                self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
                self.discard_chunked()
            else:
                self.discard(int(headers.get(b"content-length", b"0")))
            close = headers.get(b"connection", b"").lower() == b"close" or request_line.endswith(b"HTTP/1.0")
            self.sock.sendall(
                b"HTTP/1.1 204 No Content\r\n" + (b"Connection: close\r\n" if close else b"") + b"\r\n")
            if close:
                return


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            Connection(self.request).serve()
        except (EOFError, ConnectionError, ValueError):
            pass


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 128


def main():
    port = int(sys.argv[1])
    with Server(("127.0.0.1", port), Handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
