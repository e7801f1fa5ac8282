"""The load bench/api.py puts on the service (locust): a national coordinator listing
lines, reading one, and looking up one of its phones in a local form, in equal shares.
Each simulated user keeps a constant rate, so the total rate is users x RATE_PER_USER."""

from __future__ import annotations

import os
import random

from locust import HttpUser, constant_throughput, task

RATE_PER_USER = float(os.environ.get("BENCH_RATE_PER_USER", "10"))
WHY = {"X-Justification": "BENCH/1: load test of the service on a simulated world"}


class Coordinator(HttpUser):
    wait_time = constant_throughput(RATE_PER_USER)

    def on_start(self) -> None:
        form = {"username": os.environ["BENCH_USER"], "password": os.environ["BENCH_PASSWORD"]}
        token = self.client.post("/api/v1/token", data=form, name="login").json()["access_token"]
        self.client.headers.update({"Authorization": f"Bearer {token}", **WHY})
        lines = self.client.get("/api/v1/lines?limit=500", name="setup").json()["items"]
        self.line_ids = [ln["line_id"] for ln in lines]
        # a deal number as an officer types it: 07700 900123
        self.phones = ["0" + n[3:7] + " " + n[7:] for ln in lines for n in ln["deal_numbers"]]

    @task
    def lines(self) -> None:
        self.client.get("/api/v1/lines?limit=50", name="/lines")

    @task
    def line(self) -> None:
        self.client.get(f"/api/v1/lines/{random.choice(self.line_ids)}", name="/lines/{id}")

    @task
    def phone(self) -> None:
        self.client.get(f"/api/v1/phones/{random.choice(self.phones)}", name="/phones/{n}")
