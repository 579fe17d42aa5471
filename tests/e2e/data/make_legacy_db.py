"""Writes tests/e2e/data/legacy-v2.db: a database as timeslip's first durable release (schema 2,
whose journal records HTTP requests) leaves it, kept as data so every later timeslip is tested
on resuming it (test_legacy_db.py). Run once, with that release's binary:

    /usr/bin/python3 tests/e2e/data/make_legacy_db.py --timeslip OLD/build/bin/timeslip

It starts `timeslip serve` on a fresh file with a fixed start time and seed, and, through each of
the endpoint's protocols, creates a state machine whose execution waits for a task token (sent
out by an SNS publish), starts it, creates an SNS topic, invokes a scripted Lambda, creates an
EventBridge schedule, advances the clock ten minutes, and stops the server gracefully.
"""

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TOKEN_THEN_WAIT = {
    "StartAt": "Approve",
    "States": {
        "Approve": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
            "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:approvals",
                           "Message": {"token.$": "$$.Task.Token"}},
            "Next": "Later"},
        "Later": {"Type": "Wait", "Seconds": 3600, "End": True}}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeslip", required=True)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "legacy-v2.db"))
    args = parser.parse_args()
    os.environ["TIMESLIP_BIN"] = args.timeslip
    sys.argv = sys.argv[:1]
    global ROLE_ARN, Server, machine_arn
    from timeslip_e2e import ROLE_ARN, Server, machine_arn  # the binary comes from TIMESLIP_BIN
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "legacy.db"
        server = Server(db=str(db), extra_args=("--start-time", "2024-01-01T00:00:00Z",
                                                "--seed", "7"))
        try:
            assert server.control("POST", "/_timeslip/fakes",
                                  {"lambda": {"enrich": {"latency": "2m",
                                                         "result": {"rate": 1.1}}}}).status == 200
            server.call("CreateStateMachine", {
                "name": "nightly", "roleArn": ROLE_ARN, "definition": json.dumps(TOKEN_THEN_WAIT)})
            server.call("StartExecution", {"stateMachineArn": machine_arn("nightly"),
                                           "name": "night-1", "input": '{"day": 1}'})
            topic = server.request("POST", "/", b"Action=CreateTopic&Name=alerts&Version=2010-03-31",
                                   {"Content-Type": "application/x-www-form-urlencoded"})
            assert topic.status == 200, topic.body
            invoked = server.request("POST", "/2015-03-31/functions/enrich/invocations",
                                     b'{"day": 1}')
            assert invoked.status == 200, invoked.body
            schedule = server.request("POST", "/schedules/hourly", json.dumps({
                "ScheduleExpression": "rate(1 hour)", "FlexibleTimeWindow": {"Mode": "OFF"},
                "Target": {"Arn": machine_arn("nightly"), "RoleArn": ROLE_ARN}}).encode(),
                {"Content-Type": "application/json"})
            assert schedule.status == 200, schedule.body
            advanced = server.control("POST", "/_timeslip/clock/advance", {"seconds": 600})
            assert advanced.status == 200, advanced.body
        finally:
            assert server.stop() == 0, server.stderr_text()
        with sqlite3.connect(db) as conn:  # one self-contained file: no -wal beside it
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            kinds = conn.execute("SELECT kind, count(*) FROM journal GROUP BY kind").fetchall()
        shutil.copyfile(db, args.out)
    print(f"wrote {args.out}: schema {version}, journal {dict(kinds)}")


if __name__ == "__main__":
    main()
