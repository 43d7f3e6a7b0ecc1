"""A TCP proxy that adds a fixed delay each way, to make a local MariaDB behave like a shop
database on remote hosting. Used by benchmarks and by tests of latency-sensitive paths.

    with LatencyProxy("127.0.0.1", 3306, delay_ms=30) as proxy:
        url = f"mysql+pymysql://user:pw@127.0.0.1:{proxy.port}/shop"

Run alone: ``python -m bench.latency_proxy --target 127.0.0.1:3306 --delay-ms 30``.
"""

from __future__ import annotations

import argparse
import queue
import socket
import threading
import time
from types import TracebackType

CHUNK = 65536


class LatencyProxy:
    def __init__(self, target_host: str, target_port: int, delay_ms: float) -> None:
        self.target = (target_host, target_port)
        self.delay = delay_ms / 1000
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []

    def start(self) -> LatencyProxy:
        self._spawn(self._accept_loop)
        return self

    def stop(self) -> None:
        self._stopping.set()
        try:  # wakes the accept() blocked in the accept thread (close alone does not on Linux)
            self._server.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._server.close()
        for sock in list(self._sockets):
            _close(sock)
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> LatencyProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self._threads.append(thread)

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _addr = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=10)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            self._sockets += [client, upstream]
            self._pipe(client, upstream)
            self._pipe(upstream, client)

    def _pipe(self, source: socket.socket, dest: socket.socket) -> None:
        pending: queue.Queue[tuple[float, bytes]] = queue.Queue()
        self._spawn(self._read, source, pending)
        self._spawn(self._write, dest, pending)

    def _read(self, source: socket.socket, pending: queue.Queue[tuple[float, bytes]]) -> None:
        while True:
            try:
                data = source.recv(CHUNK)
            except OSError:
                data = b""
            pending.put((time.monotonic() + self.delay, data))
            if not data:
                return

    def _write(self, dest: socket.socket, pending: queue.Queue[tuple[float, bytes]]) -> None:
        while True:
            due, data = pending.get()
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            if not data:
                _close(dest)
                return
            try:
                dest.sendall(data)
            except OSError:
                return


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", required=True, help="host:port of the real server")
    parser.add_argument("--delay-ms", type=float, default=30.0, help="delay added each way")
    args = parser.parse_args()
    host, _sep, port = args.target.rpartition(":")
    proxy = LatencyProxy(host, int(port), args.delay_ms).start()
    print(f"proxy on 127.0.0.1:{proxy.port} -> {args.target}, +{args.delay_ms} ms each way")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        proxy.stop()


if __name__ == "__main__":
    main()
