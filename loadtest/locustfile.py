"""The load: 50 officers entering records and 5 co-chairs refreshing the dashboard.

Users log in with the sessions `loadtest/setup_users.py` wrote (LOADTEST_SESSIONS). An officer
opens a record page, then adds records of random types and dates through the same form as
the browser (with the CSRF token of the page), now and then reading a list again; a co-chair
reloads the dashboard.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
from itertools import count

from locust import HttpUser, between, task

SESSIONS = json.load(open(os.environ["LOADTEST_SESSIONS"]))
START, END = (dt.date.fromisoformat(d) for d in SESSIONS["period"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_officer_numbers, _cochair_numbers = count(), count()


def day() -> str:
    return (START + dt.timedelta(days=random.randrange((END - START).days + 1))).isoformat()


RECORDS = {  # record type -> the form's fields besides date and agency
    "arrests": lambda: {"count": random.randint(1, 5), "crime_type": "trafficking",
                        "sector": random.choice(["fishing", "agriculture", ""])},
    "search-warrants": lambda: {"count": 1, "crime_type": "smuggling", "sector": ""},
    "victims-assisted": lambda: {"count": random.randint(1, 3), "sex": "female",
                                 "age_band": "18-24", "nationality": "MMR",
                                 "exploitation_type": "labour", "sector": "fishing"},
    "awareness-activities": lambda: {"count": 1, "audience": "employers",
                                     "people_reached": random.randint(10, 200), "sector": ""},
}


class Officer(HttpUser):
    fixed_count = 50
    wait_time = between(1, 3)

    def on_start(self):
        me = SESSIONS["officers"][next(_officer_numbers) % len(SESSIONS["officers"])]
        self.agency = me["agency"]
        self.client.cookies.set("sessionid", me["session"])
        self.read_list("arrests")

    def read_list(self, kind):
        page = self.client.get(f"/records/{kind}/", name="/records/[type]/")
        found = CSRF.search(page.text)
        if found:
            self.csrf = found.group(1)

    @task(5)
    def add_record(self):
        kind = random.choice(list(RECORDS))
        data = {"occurred_on": day(), "agency": self.agency, **RECORDS[kind](),
                "csrfmiddlewaretoken": self.csrf}
        with self.client.post(f"/records/{kind}/new/", data=data, name="/records/[type]/new/",
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"not saved: {response.status_code}")

    @task(1)
    def reread(self):
        self.read_list(random.choice(list(RECORDS)))


class CoChair(HttpUser):
    fixed_count = 5
    wait_time = between(2, 5)

    def on_start(self):
        me = SESSIONS["cochairs"][next(_cochair_numbers) % len(SESSIONS["cochairs"])]
        self.client.cookies.set("sessionid", me["session"])

    @task
    def dashboard(self):
        with self.client.get("/dashboard/", name="/dashboard/", allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"dashboard answered {response.status_code}")
