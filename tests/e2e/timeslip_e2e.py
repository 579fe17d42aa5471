"""Shared helpers for the end-to-end tests: start `timeslip serve` on a free port, talk to it.

The tests run with Debian's /usr/bin/python3 (boto3, and the AWS CLI v2 as /usr/bin/aws) and
unittest only. Each script takes the path of the `timeslip` binary as `--timeslip PATH` (ctest
passes it), else from $TIMESLIP_BIN, else build/bin/timeslip in the repository.

    server = Server()            # starts `timeslip serve --port 0 --db :memory:`
    server.raw("DescribeExecution", {"executionArn": arn})   # -> Reply(status, type, body, ...)
    server.aws("describe-execution", "--execution-arn", arn)  # -> CliResult(rc, out, err)
    server.stop()                # SIGTERM; returns the exit code

A server on a database file can be killed and started again on the same file (durability tests):

    server = Server(db="/tmp/x/timeslip.db")   # `--db FILE` instead of `--db :memory:`
    server.kill()                # SIGKILL; returns the exit code (-9)
    server.restart()             # `timeslip serve` again on the same file and the same port
"""

import contextlib
import http.client
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ACCOUNT = "123456789012"
REGION = "us-east-1"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/timeslip-e2e"
AWS_CLI = "/usr/bin/aws"  # Debian's AWS CLI v2; the `aws` on PATH may be another one

# Any SigV4-looking header: the server does not verify signatures (yet).
DUMMY_AUTHORIZATION = (
    f"AWS4-HMAC-SHA256 Credential=test/20240101/{REGION}/states/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64)

_LISTENING = re.compile(r"listening on http://([0-9.]+):(\d+)")


def _take_binary_argument():
    """Removes `--timeslip PATH` from sys.argv (so unittest does not see it) and returns PATH."""
    args = sys.argv
    for i, arg in enumerate(args):
        if arg == "--timeslip" and i + 1 < len(args):
            path = args[i + 1]
            del args[i:i + 2]
            return path
        if arg.startswith("--timeslip="):
            del args[i]
            return arg.split("=", 1)[1]
    return None


_BINARY = _take_binary_argument() or os.environ.get("TIMESLIP_BIN") or str(
    REPO / "build" / "bin" / "timeslip")


def timeslip_binary():
    return _BINARY


def machine_arn(name, region=REGION):
    return f"arn:aws:states:{region}:{ACCOUNT}:stateMachine:{name}"


def execution_arn(machine, name, region=REGION):
    return f"arn:aws:states:{region}:{ACCOUNT}:execution:{machine}:{name}"


def activity_arn(name, region=REGION):
    return f"arn:aws:states:{region}:{ACCOUNT}:activity:{name}"


def find_task_token(value):
    """The first string under a key named TaskToken (any case) anywhere in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key.lower() == "tasktoken" and isinstance(item, str):
                return item
            found = find_task_token(item)
            if found:
                return found
    elif isinstance(value, list):
        for item in value:
            found = find_task_token(item)
            if found:
                return found
    return None


def wait_for(predicate, timeout=10.0, what="condition"):
    """Polls `predicate` (wall time) until it returns something truthy; returns that value.

    The engine runs on its own strand, so what a request started may land a moment later."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


class Reply:
    """One raw HTTP answer; `json` is the parsed body, or None when it is not JSON."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    @property
    def error_type(self):
        return self.json.get("__type") if isinstance(self.json, dict) else None

    def __repr__(self):
        return f"Reply({self.status}, {self.body[:300]!r})"


class CliResult:
    def __init__(self, args, rc, out, err):
        self.args = args
        self.rc = rc
        self.out = out
        self.err = err

    @property
    def json(self):
        return json.loads(self.out) if self.out.strip() else {}

    def __repr__(self):
        return f"aws {' '.join(self.args)} -> rc={self.rc}\nstdout: {self.out}\nstderr: {self.err}"


class Server:
    """`timeslip serve --port 0 --db :memory:` in a child process, for one test module.

    `db`: the --db argument (a file keeps the state across kill() and restart()); `port`: the
    --port argument (0: a free one)."""

    def __init__(self, extra_args=(), start_timeout=30.0, db=":memory:", port=0):
        self.binary = timeslip_binary()
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"no timeslip binary at {self.binary}: build target `timeslip`")
        self._dir = tempfile.TemporaryDirectory(prefix="timeslip-e2e-")
        self.db = str(db)
        self.extra_args = list(extra_args)
        self.starts = 0
        self.exit_code = None
        self._launch(self.extra_args, port, start_timeout)

    def _launch(self, extra_args, port, start_timeout):
        """Starts one `timeslip serve` process; its output goes to files of its own."""
        self.starts += 1
        suffix = "" if self.starts == 1 else f".{self.starts}"
        self.stdout_path = Path(self._dir.name) / f"stdout{suffix}"
        self.stderr_path = Path(self._dir.name) / f"stderr{suffix}"
        # Files, not pipes: an undrained pipe would block the server once it fills.
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                [self.binary, "serve", "--port", str(port), "--db", self.db, *extra_args],
                stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        self.exit_code = None
        self.host, self.port = self._wait_listening(start_timeout)
        self.endpoint = f"http://{self.host}:{self.port}"

    def kill(self):
        """SIGKILL (a crash: no shutdown work at all), then waits; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.exit_code = self.proc.returncode
        return self.exit_code

    def restart(self, extra_args=None, port=None, start_timeout=30.0):
        """Starts `timeslip serve` again on the same --db, once the current process has exited
        (stop() or kill() it first). `extra_args`: None keeps the previous start's; `port`: None
        keeps this one's (clients need no new endpoint), 0 picks a free one."""
        if self.proc.poll() is None:
            raise RuntimeError("restart(): the server is still running; stop() or kill() it")
        if extra_args is not None:
            self.extra_args = list(extra_args)
        self._launch(self.extra_args, self.port if port is None else port, start_timeout)

    def _wait_listening(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.stdout_path.read_text(errors="replace")
            if "\n" in text:
                first = text.split("\n", 1)[0]
                match = _LISTENING.fullmatch(first.strip())
                if not match:
                    self.stop()
                    raise RuntimeError(f"first stdout line is not 'listening on ...': {first!r}")
                return match.group(1), int(match.group(2))
            if self.proc.poll() is not None:
                raise RuntimeError(f"timeslip serve exited with {self.proc.returncode}: "
                                   f"{self.stderr_text()}")
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"timeslip serve printed no listening line in {timeout}s")

    def stderr_text(self):
        return self.stderr_path.read_text(errors="replace")

    def alive(self):
        return self.proc.poll() is None

    def stop(self, timeout=15.0):
        """SIGTERM, then waits; returns the exit code (SIGKILL after `timeout`: returns None)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.exit_code = None
                return None
        self.exit_code = self.proc.returncode
        return self.exit_code

    def close(self):
        """stop() and remove the temporary files; raises if the server did not exit cleanly."""
        rc = self.stop()
        stderr = self.stderr_text()
        self._dir.cleanup()
        if rc != 0:
            raise AssertionError(f"timeslip serve did not exit 0 on SIGTERM (got {rc}); "
                                 f"stderr:\n{stderr[-4000:]}")

    # ---- Raw HTTP ----

    def connection(self, timeout=30.0):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=b"", headers=None, timeout=30.0):
        conn = self.connection(timeout)
        try:
            if isinstance(body, str):
                body = body.encode()
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return Reply(response.status, dict(response.getheaders()),
                         response.read().decode(errors="replace"))
        finally:
            conn.close()

    def raw(self, operation, body=None, target=None, headers=None, timeout=70.0):
        """POST / as AWS JSON 1.0. `body`: a dict (dumped), str or bytes (sent as they are)."""
        if body is None:
            body = {}
        if isinstance(body, dict):
            body = json.dumps(body)
        all_headers = {
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": target or f"AWSStepFunctions.{operation}",
            "Authorization": DUMMY_AUTHORIZATION,
            "X-Amz-Date": "20240101T000000Z",
        }
        all_headers.update(headers or {})
        return self.request("POST", "/", body, all_headers, timeout)

    def call(self, operation, body=None):
        """raw(), asserting a 200; returns the parsed answer."""
        reply = self.raw(operation, body)
        if reply.status != 200:
            raise AssertionError(f"{operation} {body!r} -> {reply!r}")
        return reply.json

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        return self.request(method, path, data, headers)

    def healthy(self):
        reply = self.control("GET", "/_timeslip/health")
        return reply.status == 200

    # ---- Clients ----

    def client_env(self, home):
        """The environment for the AWS CLI: dummy credentials, no config files, no retries."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_PAGER": "",
            "AWS_CONFIG_FILE": str(Path(home) / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(Path(home) / "credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            # One attempt: a retried error would hide what the server answered first.
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_RETRY_MODE": "standard",
            "HOME": str(home),
        })
        return env

    def aws(self, *args, timeout=90.0):
        """Runs `aws stepfunctions ARGS --endpoint-url ...`; returns a CliResult."""
        return self.aws_service("stepfunctions", *args, timeout=timeout)

    def glue(self, *args, timeout=90.0):
        """Runs `aws glue ARGS --endpoint-url ...`; returns a CliResult."""
        return self.aws_service("glue", *args, timeout=timeout)

    def aws_service(self, service, *args, timeout=90.0):
        """Runs `aws SERVICE ARGS --endpoint-url ...`; returns a CliResult."""
        home = Path(self._dir.name)
        cmd = [AWS_CLI, service, *args, "--endpoint-url", self.endpoint,
               "--output", "json", "--cli-read-timeout", "70"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env=self.client_env(home), stdin=subprocess.DEVNULL)
        return CliResult(list(args), proc.returncode, proc.stdout, proc.stderr)

    def advance(self, seconds):
        """Moves a manual clock on by `seconds` through the control API."""
        reply = self.control("POST", "/_timeslip/clock/advance", {"seconds": seconds})
        assert reply.status == 200, reply

    def cli_in_process(self):
        """An InProcessCli for this server."""
        return InProcessCli(self)

    def boto3(self, **config):
        return self.boto3_in_region(REGION, **config)

    def boto3_in_region(self, region, **config):
        """A boto3 Step Functions client for this server: dummy credentials, one attempt, no
        `sync-` host prefix (StartSyncExecution would go to sync-127.0.0.1 otherwise)."""
        import boto3
        from botocore.config import Config
        options = {"read_timeout": 70, "retries": {"total_max_attempts": 1},
                   "inject_host_prefix": False}
        options.update(config)
        return boto3.client("stepfunctions", endpoint_url=self.endpoint, region_name=region,
                            aws_access_key_id="test", aws_secret_access_key="test",
                            config=Config(**options))


class InProcessCli:
    """The AWS CLI v2's own driver, `awscli.clidriver` (all /usr/bin/aws runs), in this process.

    The same argument parsing, parameter validation, request, and printed output and exit code
    as `aws` in a process of its own, without paying ~1 s of CPU for the CLI's imports on every
    call: for tables of many calls. One driver serves every call; calls are sequential (they
    swap os.environ and sys.stdout/stderr while they run)."""

    def __init__(self, server):
        import awscli.clidriver  # Debian's awscli, importable by /usr/bin/python3
        self._clidriver = awscli.clidriver
        self._server = server
        self._env = server.client_env(Path(server._dir.name))
        # awscli's import points AWS_DATA_PATH at its own data (the "cli" model): keep it.
        if "AWS_DATA_PATH" in os.environ:
            self._env["AWS_DATA_PATH"] = os.environ["AWS_DATA_PATH"]
        self._driver = None
        self._lock = threading.Lock()

    def __call__(self, *args):
        argv = ["stepfunctions", *args, "--endpoint-url", self._server.endpoint,
                "--output", "json", "--cli-read-timeout", "70"]
        out, err = io.StringIO(), io.StringIO()
        with self._lock:
            saved = dict(os.environ)
            os.environ.clear()
            os.environ.update(self._env)
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    if self._driver is None:
                        self._driver = self._clidriver.create_clidriver()
                    rc = self._driver.main(argv)
            finally:
                os.environ.clear()
                os.environ.update(saved)
        return CliResult(list(args), rc, out.getvalue(), err.getvalue())


# ---- Definitions shared by the flows ----

def activity_definition(activity):
    return json.dumps({
        "Comment": "A Task that waits for an activity worker",
        "StartAt": "Work",
        "States": {
            "Work": {"Type": "Task", "Resource": activity, "TimeoutSeconds": 300,
                     "HeartbeatSeconds": 60, "End": True},
        },
    })


def callback_definition(timeout_seconds=3600, heartbeat_seconds=None):
    """A Task on lambda:invoke.waitForTaskToken, the token passed in its Payload."""
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {
            "FunctionName": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:approver",
            "Payload": {"TaskToken.$": "$$.Task.Token", "order.$": "$.order"},
        },
        "TimeoutSeconds": timeout_seconds,
        "End": True,
    }
    if heartbeat_seconds is not None:
        task["HeartbeatSeconds"] = heartbeat_seconds
    return json.dumps({"StartAt": "Approve", "States": {"Approve": task}})


def pass_definition(states=1):
    """A chain of `states` Pass states: a machine that finishes at once."""
    names = [f"P{i}" for i in range(1, states + 1)]
    body = {}
    for i, name in enumerate(names):
        state = {"Type": "Pass"}
        if i + 1 < len(names):
            state["Next"] = names[i + 1]
        else:
            state["End"] = True
        body[name] = state
    return json.dumps({"StartAt": names[0], "States": body})


def token_from_history(events):
    """The task token in the latest TaskScheduled event's parameters, or None."""
    for event in reversed(events):
        if event.get("type") == "TaskScheduled":
            parameters = event.get("taskScheduledEventDetails", {}).get("parameters")
            if parameters:
                return find_task_token(json.loads(parameters))
    return None
