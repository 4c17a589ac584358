"""A real Celery worker, a private Redis and a fake SMTP server, for tests of what
happens under faults (RELIABILITY 18–21). They need PostgreSQL: the worker is another
process and must see the test database."""

import contextlib
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class PrivateRedis:
    """A throwaway redis-server on its own port, which a test may stop and start again."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def up() -> bool:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2),
            ):
                return True
            return False

        wait_for(up, 10, "redis to start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


class FakeSMTP:
    """A minimal SMTP server. While ``hang`` is set it accepts connections but never
    greets, so a worker sending mail is stuck mid-task."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.connections = 0
        self.hang = threading.Event()
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                outer.connections += 1
                while outer.hang.is_set():
                    time.sleep(0.05)
                    if getattr(outer, "_closing", False):
                        return
                self.wfile.write(b"220 fake ESMTP\r\n")
                data_mode, buffer = False, b""
                for line in self.rfile:
                    if data_mode:
                        if line == b".\r\n":
                            outer.messages.append(buffer)
                            data_mode, buffer = False, b""
                            self.wfile.write(b"250 queued\r\n")
                        else:
                            buffer += line
                        continue
                    verb = line[:4].upper()
                    if verb == b"DATA":
                        data_mode = True
                        self.wfile.write(b"354 go on\r\n")
                    elif verb == b"QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._closing = True
        self.hang.clear()
        self.server.shutdown()
        self.server.server_close()


class Worker:
    """``celery -A b40 worker`` in a subprocess, on the test database and a given broker."""

    def __init__(self, *, database_name: str, broker_url: str, smtp_port: int, queue: str):
        self.queue = queue
        self.log = ROOT / f".worker-{queue}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "b40.settings.local",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database_name}",
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        }
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "b40",
                "worker",
                "--loglevel",
                "info",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--queues",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"{queue}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: "ready." in self.log.read_text(), 60, "the worker to be ready")

    def pool_children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def kill_child(self) -> None:
        for pid in self.pool_children():
            os.kill(pid, signal.SIGKILL)

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        text = self.log.read_text()
        self.log.unlink(missing_ok=True)
        return text


def _reset_publisher() -> None:
    """Forget every broker connection and producer pool, so the next publish (or the eager
    path, which also takes a producer) builds fresh ones for the current broker URL."""
    from kombu import pools

    from b40.celery_app import app

    pools.reset()  # closes and empties kombu's global registry; a closed pool left in it breaks
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def running_worker(*, database_name: str, queue_prefix: str):
    """A private Redis, a fake SMTP server and a real worker on the test database; this
    process publishes to that Redis (not eagerly) until the block ends.

    Yields ``(redis, smtp, worker)``; prints the worker's log at the end.
    """
    import pytest

    from b40.celery_app import app

    redis = PrivateRedis()
    if not redis.binary:
        pytest.fail("redis-server is needed for the real-worker tests")
    redis.start()
    smtp = FakeSMTP()
    queue = f"{queue_prefix}-{uuid.uuid4().hex[:8]}"
    keys = (
        "task_always_eager",
        "task_default_queue",
        "broker_url",
        "broker_write_url",
        "broker_read_url",
    )
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False,
        task_default_queue=queue,
        broker_url=redis.url,
        broker_write_url=redis.url,
        broker_read_url=redis.url,
    )
    _reset_publisher()
    worker = Worker(
        database_name=database_name, broker_url=redis.url, smtp_port=smtp.port, queue=queue
    )
    try:
        yield redis, smtp, worker
    finally:
        log = worker.stop()
        smtp.close()
        redis.stop()
        app.conf.update(saved)
        _reset_publisher()
        print(log[-3000:])
