"""The load bench/api.py puts on the service (locust): a national coordinator listing
lines, reading one, and looking up one of its phones in a local form, in equal shares.
Each simulated user keeps a constant rate, so the total rate is users x RATE_PER_USER.
FastHttpUser (geventhttpclient), not HttpUser (requests): the load tool shares the
machine's two cores with the service, and requests costs several times more CPU a call."""

from __future__ import annotations

import os
import random
from urllib.parse import urlencode

from locust import FastHttpUser, constant_throughput, task

RATE_PER_USER = float(os.environ.get("BENCH_RATE_PER_USER", "10"))
WHY = {"X-Justification": "BENCH/1: load test of the service on a simulated world"}


class Coordinator(FastHttpUser):
    wait_time = constant_throughput(RATE_PER_USER)

    def on_start(self) -> None:
        token = os.environ.get("BENCH_TOKEN", "")
        if not token:  # one login a user, each an Argon2 hash: a burst the bench avoids
            form = {"username": os.environ["BENCH_USER"], "password": os.environ["BENCH_PASSWORD"]}
            form_type = {"Content-Type": "application/x-www-form-urlencoded"}
            login = self.client.post("/api/v1/token", data=urlencode(form), headers=form_type,
                                     name="login")  # fmt: skip
            token = login.json()["access_token"]
        self.auth = {"Authorization": f"Bearer {token}", **WHY}
        lines = self.client.get("/api/v1/lines?limit=500", headers=self.auth, name="setup")
        lines = lines.json()["items"]
        self.line_ids = [ln["line_id"] for ln in lines]
        # a deal number as an officer types it: 07700 900123
        self.phones = ["0" + n[3:7] + " " + n[7:] for ln in lines for n in ln["deal_numbers"]]

    @task
    def lines(self) -> None:
        self.client.get("/api/v1/lines?limit=50", headers=self.auth, name="/lines")

    @task
    def line(self) -> None:
        line_id = random.choice(self.line_ids)
        self.client.get(f"/api/v1/lines/{line_id}", headers=self.auth, name="/lines/{id}")

    @task
    def phone(self) -> None:
        number = random.choice(self.phones)
        self.client.get(f"/api/v1/phones/{number}", headers=self.auth, name="/phones/{n}")
