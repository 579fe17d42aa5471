"""A database written by timeslip's first durable release resumes on this one.

data/legacy-v2.db (made by data/make_legacy_db.py with that release) is schema 2, and its journal
records HTTP requests, where this timeslip journals commands. `timeslip serve --db` on a copy
reads those requests through the same wire that serves clients, replays them as commands, and
carries on: the execution paused at its task token takes the token handed out before, the SNS
topic and the schedule are there, and the file, now holding both kinds of entry, resumes again.
"""

import contextlib
import shutil
import sqlite3
import tempfile
import unittest
from pathlib import Path

from timeslip_e2e import Server, find_task_token, machine_arn

DATA = Path(__file__).resolve().parent / "data" / "legacy-v2.db"
EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:nightly:night-1"


class LegacyDatabaseTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.db = Path(self.tmp.name) / "legacy.db"
        shutil.copyfile(DATA, self.db)

    def tearDown(self):
        self.tmp.cleanup()

    def test_the_data_is_what_the_first_release_wrote(self):
        with contextlib.closing(sqlite3.connect(DATA)) as conn:
            self.assertEqual(conn.execute("SELECT max(version) FROM schema_version").fetchone(),
                             (2,))
            kinds = dict(conn.execute("SELECT kind, count(*) FROM journal GROUP BY kind"))
        self.assertEqual(kinds, {"request": 7, "release": 1})

    def test_it_resumes_and_the_paused_execution_takes_its_token(self):
        server = Server(db=str(self.db))
        try:
            # night-1, and the one the hourly schedule started when it was created.
            self.assertIn(f"resumed {self.db}: 2 executions (2 running), 8 journal entries "
                          "replayed", server.stderr_text())
            self.assertEqual(server.call("DescribeExecution", {"executionArn": EXECUTION})["status"],
                             "RUNNING")
            clock = server.control("GET", "/_timeslip/clock").json
            self.assertEqual(clock["now"], "2024-01-01T00:12:00.000Z")  # Lambda 2 min, +10 min
            calls = server.control("GET", "/_timeslip/fakes/calls").json["calls"]
            self.assertEqual([c["service"] for c in calls], ["sns", "lambda", "sns"])
            token = find_task_token(calls[0])
            self.assertTrue(token)
            topics = server.request("POST", "/", b"Action=ListTopics&Version=2010-03-31",
                                    {"Content-Type": "application/x-www-form-urlencoded"})
            self.assertIn("arn:aws:sns:us-east-1:123456789012:alerts", topics.body)
            schedule = server.request("GET", "/schedules/hourly")
            self.assertEqual(schedule.status, 200, schedule.body)
            self.assertEqual(schedule.json["Target"]["Arn"], machine_arn("nightly"))

            server.call("SendTaskSuccess", {"taskToken": token, "output": "{}"})
            server.control("POST", "/_timeslip/clock/advance", {"seconds": 3600})
            self.assertEqual(server.call("DescribeExecution", {"executionArn": EXECUTION})["status"],
                             "SUCCEEDED")
        finally:
            self.assertEqual(server.stop(), 0, server.stderr_text())

        with contextlib.closing(sqlite3.connect(self.db)) as conn:
            kinds = dict(conn.execute("SELECT kind, count(*) FROM journal GROUP BY kind"))
        self.assertGreater(kinds.get("command", 0), 0, kinds)
        again = Server(db=str(self.db))
        try:
            self.assertIn("journal entries replayed", again.stderr_text())
            self.assertEqual(again.call("DescribeExecution", {"executionArn": EXECUTION})["status"],
                             "SUCCEEDED")
        finally:
            self.assertEqual(again.stop(), 0, again.stderr_text())


if __name__ == "__main__":
    unittest.main()
