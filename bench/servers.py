"""Private PostgreSQL, Redis, gunicorn and Celery processes for the load benchmark and fault tests.

Everything here runs on its own free loopback port and in its own temporary directory, so
stopping, killing or flooding these servers never touches the machine's shared PostgreSQL
(5432) and Redis (6379). PostgreSQL comes from Debian's binaries (initdb + pg_ctl, trust
authentication, default durability settings: fsync stays on); it refuses to run as root, so
under root it runs as the `postgres` user. Every wait is bounded.

    with private_servers() as (postgres, redis):
        env = django_env(postgres.url("polity"), redis.url())
        manage(env, "migrate")
        web = start_gunicorn(env, log_dir=postgres.root)
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PG_BIN = Path(os.environ.get("POLITY_PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PYTHON = sys.executable


def free_port() -> int:
    """A port nothing listens on right now (the kernel's choice of an ephemeral one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    """Poll `check()` until it returns something truthy; raise TimeoutError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except Exception:  # a server that is still starting answers with errors
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout:.0f} s")
        time.sleep(interval)


def _as_postgres(command: list[str]) -> list[str]:
    # PostgreSQL will not run as root; Debian's `postgres` user owns its binaries' data.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def stop_process(process: subprocess.Popen, *, timeout: float = 15) -> None:
    """SIGTERM the process group, then SIGKILL it if it has not exited after `timeout` s."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def kill_process(process: subprocess.Popen) -> None:
    """SIGKILL the whole process group at once, as the OOM killer or `docker kill` would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def children(pid: int) -> list[int]:
    """Direct child processes of `pid` (Linux /proc)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(child) for child in text.split()]


class PostgresServer:
    def __init__(self, root: Path, port: int | None = None):
        self.root = root
        self.port = port or free_port()
        self.data = root / "pgdata"
        self.sockets = root / "pgsock"
        self.log = root / "postgres.log"

    def init(self) -> None:
        self.data.mkdir(parents=True)
        self.sockets.mkdir(parents=True)
        self.log.touch()
        if os.geteuid() == 0:
            for path in (self.data, self.sockets, self.log):
                shutil.chown(path, "postgres")
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--no-instructions"]
            ),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip

    def start(self, timeout: int = 30) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1"
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "start", "-w", "-t", str(timeout), "-D", str(self.data),
                 "-l", str(self.log), "-o", options]
            ),
            check=True, capture_output=True, timeout=timeout + 10,
        )  # fmt: skip

    def stop(self, mode: str = "fast", timeout: int = 30) -> None:
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "pg_ctl"), "stop", "-w", "-t", str(timeout), "-m", mode,
                 "-D", str(self.data)]
            ),
            check=False, capture_output=True, timeout=timeout + 10,
        )  # fmt: skip

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres", **options):
        import psycopg

        return psycopg.connect(
            self.url(database).replace("postgres://", "postgresql://", 1),
            connect_timeout=3,
            **options,
        )

    def create_database(self, name: str) -> str:
        with self.connect(autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def answers(self) -> bool:
        try:
            with self.connect() as db:
                return db.execute("SELECT 1").fetchone() == (1,)
        except Exception:
            return False


class RedisServer:
    def __init__(self, root: Path, port: int | None = None):
        self.root = root
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10) -> None:
        log = (self.root / "redis.log").open("a")
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.root)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        wait_until(self.answers, timeout=timeout, what=f"Redis on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, timeout=10)
            self.process = None

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except Exception:
            return False


@contextlib.contextmanager
def private_servers(*, keep: bool = False) -> Iterator[tuple[PostgresServer, RedisServer]]:
    """A fresh PostgreSQL cluster and Redis in a temporary directory; both gone afterwards."""
    root = Path(tempfile.mkdtemp(prefix="polity-private-"))
    root.chmod(0o755)  # the postgres user must reach its data directory inside
    postgres, redis = PostgresServer(root), RedisServer(root)
    try:
        postgres.init()
        postgres.start()
        redis.start()
        yield postgres, redis
    finally:
        redis.stop()
        postgres.stop(mode="immediate")
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def django_env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """Production-like settings for processes started from here (plain HTTP on loopback)."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The caller's own test settings must not leak into the servers under test.
        if not key.startswith(("POLITY_", "DJANGO_", "PYTEST", "TEST_DATABASE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        PYTHONPATH=str(PROJECT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare_database(env: dict[str, str], static_root: Path) -> None:
    """Migrate, and collect static files (DEBUG=false serves them from a manifest)."""
    manage(env, "migrate", "--noinput")
    manage({**env, "STATIC_ROOT": str(static_root)}, "collectstatic", "--noinput")


_CALL = """
import importlib, json, sys
import django
django.setup()
module, name = sys.argv[1].split(":")
result = getattr(importlib.import_module(module), name)(**json.loads(sys.argv[2]))
print(json.dumps(result))
"""


def django_call(env: dict[str, str], function: str, timeout: float = 300, **kwargs):
    """Call `package.module:function(**kwargs)` in a Django process with `env`; its JSON result.

    For seeding the private database: the caller's own Django (a test run's) points elsewhere.
    """
    result = subprocess.run(
        [PYTHON, "-c", _CALL, function, json.dumps(kwargs)], cwd=PROJECT, env=env,
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if result.returncode:
        raise RuntimeError(f"{function} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def http_status(url: str, timeout: float = 2) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (our loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Gunicorn:
    def __init__(self, process: subprocess.Popen, port: int, log: Path):
        self.process, self.port, self.log = process, port, log

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop_process(self.process)


def start_gunicorn(
    env: dict[str, str],
    *,
    log_dir: Path,
    static_root: Path,
    workers: int = 3,
    threads: int = 4,
    timeout: float = 60,
) -> Gunicorn:
    port = free_port()
    log = log_dir / "gunicorn.log"
    process = _spawn(
        [PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
         "--timeout", "30", "--graceful-timeout", "5", "--error-logfile", "-"],
        {**env, "STATIC_ROOT": str(static_root)}, log,
    )  # fmt: skip
    server = Gunicorn(process, port, log)

    def up():
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        return http_status(f"{server.url}/healthz") in {200, 503}

    try:
        wait_until(up, timeout=timeout, what="gunicorn")
    except Exception:
        server.stop()
        raise
    return server


def start_celery(
    env: dict[str, str], *, log_dir: Path, concurrency: int = 1, beat: bool = True
) -> subprocess.Popen:
    """A worker on both analysis queues (prefork, like production), with beat when asked."""
    command = [
        PYTHON, "-m", "celery", "-A", "config", "worker", "-Q", "default,analysis-large",
        "--concurrency", str(concurrency), "--pool", "prefork", "--loglevel", "INFO",
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    if beat:
        command += ["-B", "--schedule", str(log_dir / "beat-schedule")]
    return _spawn(command, env, log_dir / "celery.log")


def start_beat(env: dict[str, str], *, log_dir: Path) -> subprocess.Popen:
    """Celery beat on its own, for when the worker's child processes must all be pool processes."""
    command = [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
               "--schedule", str(log_dir / "beat-schedule-alone")]  # fmt: skip
    return _spawn(command, env, log_dir / "beat.log")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children, living and reaped (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for process in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        # utime, stime, cutime, cstime: fields 14-17 of proc(5), counted after the name.
        total += sum(int(value) for value in fields[11:15]) / ticks
    return total
