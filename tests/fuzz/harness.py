"""Shared parts of the fuzz tests: bad values by form field, logins, and a database checksum.

Every bad value is built to be invalid for the field it is sent to (an over-long text, a
number out of range, a choice not offered...), so each case must end in an error naming that
field, never in a 500 or a write.
"""
from __future__ import annotations

import datetime as dt
import os
import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.contrib.postgres.forms import SimpleArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.counters import CASES

# CI: a few dozen cases per form, the whole module in a couple of minutes on two cores.
# JPOA_FUZZ_PROFILE=long (or JPOA_FUZZ_EXAMPLES=n) for a longer local run.
settings.register_profile(
    "fuzz-ci", max_examples=int(os.environ.get("JPOA_FUZZ_EXAMPLES", 20)), deadline=None,
    derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large])
settings.register_profile(
    "fuzz-long", max_examples=int(os.environ.get("JPOA_FUZZ_EXAMPLES", 300)), deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large])
FUZZ = settings.get_profile(
    "fuzz-long" if os.environ.get("JPOA_FUZZ_PROFILE") == "long" else "fuzz-ci")

RTL = "\u202e\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u200f"  # override, Hebrew, Arabic, RLM
# Text as people paste it: any letter, mark, punctuation or symbol, RTL scripts and controls.
# No digits (a number or date in another script could be a valid one) and no lone surrogates
# (they cannot be sent over HTTP at all).
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Nd", "Nl", "No")),
    max_size=40,
)
WRONG_TYPES = st.sampled_from(["[1, 2]", "{\"count\": 1}", "true", "None", "null", "NaN",
                               "Infinity", "-Infinity", "1.5", "1e309", "0x1F", "½", "١٢"])


def _parses_as_int(text: str) -> bool:
    try:
        int(re.sub(r"\.0*\s*$", "", text.strip()))
    except ValueError:
        return False
    return True


def _limits(field: forms.IntegerField) -> tuple[int | None, int | None]:
    low, high = field.min_value, field.max_value
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        if isinstance(validator, MaxValueValidator):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high


def _with_nul(text: str) -> str:
    return f"{text[: len(text) // 2]}\x00{text[len(text) // 2:]}"


def bad_values(field: forms.Field, *, period: tuple[dt.date, dt.date] | None = None,
               foreign_ids: tuple = ()) -> st.SearchStrategy[str | list[str]]:
    """Values the form field must refuse.

    ``period``: the dates the field accepts (a joint operation's); ``foreign_ids``: ids of
    objects that exist but that this user may not choose (another country's agency...).
    """
    options: list[st.SearchStrategy] = []
    nul_text = TEXT.map(lambda t: _with_nul(RTL + t))
    if field.required and not isinstance(field, forms.BooleanField):
        options.append(st.sampled_from(["", " ", "\t\n", "\u3000"]))
    if isinstance(field, forms.BooleanField):
        options.append(st.just(""))
        # Only these read as "not ticked" (CheckboxInput): like a browser's, any other text
        # ticks the box, "0" and "off" included.
        options.append(st.sampled_from(["false", "False", "FALSE"]))
    elif isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField)):
        ids = st.one_of(
            st.integers(min_value=10**9, max_value=10**30).map(str),
            st.integers(max_value=-1).map(str),
            TEXT.filter(lambda t: t.strip() != ""), WRONG_TYPES.filter(lambda t: not _parses_as_int(t)),
            st.sampled_from(list(foreign_ids) or ["987654321"]).map(str),
            nul_text,
        )
        options.append(st.lists(ids, min_size=1, max_size=3) if isinstance(
            field, forms.ModelMultipleChoiceField) else ids)
    elif isinstance(field, forms.ChoiceField):  # choice, typed choice and multiple choice
        allowed = {str(key) for key, _label in field.choices}
        not_offered = st.one_of(TEXT, WRONG_TYPES, nul_text,
                                st.sampled_from([c.upper() + "\u200b" for c in allowed if c])).filter(
            lambda t: t not in allowed and t.strip() != "")
        options.append(st.lists(not_offered, min_size=1, max_size=3) if isinstance(
            field, forms.MultipleChoiceField) else not_offered)
    elif isinstance(field, forms.IntegerField):
        low, high = _limits(field)
        options.append(st.one_of(TEXT, WRONG_TYPES).filter(
            lambda t: t.strip() != "" and not _parses_as_int(t)))
        options.append(st.integers(min_value=max(2**31, (high or 0) + 1), max_value=10**40).map(str))
        if low is not None:
            options.append(st.integers(min_value=-(10**40), max_value=low - 1).map(str))
    elif isinstance(field, forms.DateField):
        impossible = st.sampled_from(["2015-02-30", "2015-13-01", "2015-00-10", "0000-00-00",
                                      "10000-01-01", "2015-10-32", "31/31/2015", "yesterday"])
        options.append(st.one_of(impossible, WRONG_TYPES, nul_text,
                                 TEXT.filter(lambda t: t.strip() != "")))
        if period is not None:
            start, end = period
            options.append(st.one_of(
                st.dates(max_value=start - dt.timedelta(days=1)),
                st.dates(min_value=end + dt.timedelta(days=1)),
            ).map(dt.date.isoformat))
    elif isinstance(field, SimpleArrayField):
        base = field.base_field
        items = [nul_text]
        if getattr(base, "max_length", None):
            items.append(_too_long(base.max_length))
        options.append(st.one_of(*items).map(lambda t: t.replace(",", " ")))
    elif isinstance(field, forms.CharField):
        options.append(nul_text)
        if field.max_length:
            options.append(_too_long(field.max_length))
    return st.one_of(*options)


def _too_long(max_length: int) -> st.SearchStrategy[str]:
    """Longer than ``max_length`` even once stripped: RTL, emoji and any script."""
    visible = st.characters(codec="utf-8", exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc"))
    return st.text(alphabet=visible, min_size=1, max_size=20).map(
        lambda t: (RTL.strip() + t) * (max_length // max(len(RTL.strip() + t), 1) + 2)).map(
        lambda t: t[: max_length + 1 + len(t) % 300]).filter(
        lambda t: len(t.strip()) > max_length)


def valid_value(field: forms.Field, *, period=None):
    """A value the field accepts: the baseline that one bad field is swapped into."""
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [str(field.queryset.first().pk)]
    if isinstance(field, forms.ModelChoiceField):
        return str(field.queryset.first().pk)
    if isinstance(field, forms.MultipleChoiceField):
        return [str(field.choices[0][0])]
    if isinstance(field, forms.ChoiceField):
        return next(str(key) for key, _label in field.choices if key != "")
    if isinstance(field, forms.IntegerField):
        low, _high = _limits(field)
        return str(max(low or 0, 2))
    if isinstance(field, forms.DateField):
        return ((period[0] + dt.timedelta(days=3)) if period else dt.date(2015, 10, 10)).isoformat()
    return "Fuzz baseline text"


def login(client, username: str):
    """Log in through the session; tests/conftest.py verifies the second factor of the roles
    that need one, as for every test client login."""
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


# Tables a refused form may still touch: sessions, login bookkeeping, second-factor devices.
NOT_CHECKED = ("django_session", "axes_", "otp_")


def checksum_query(exclude: tuple[str, ...] = ()) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        tables = [t for (t,) in cursor.fetchall() if not t.startswith(NOT_CHECKED + exclude)]
    return " UNION ALL ".join(
        f"SELECT '{t}', count(*), md5(coalesce(string_agg(md5(x::text), '' ORDER BY md5(x::text)), ''))"
        f' FROM "{t}" x' for t in tables)


def checksum(query: str) -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row, per table."""
    with connection.cursor() as cursor:
        cursor.execute(query)
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def forms_in(response) -> list[forms.BaseForm]:
    if response.context is None:
        return []
    contexts = response.context if isinstance(response.context, list) else [response.context]
    found = []
    for context in contexts:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value.is_bound and value not in found:
                found.append(value)
    return found


def reported_errors(response) -> dict[str, list[str]]:
    """Errors the user is shown: by field for forms on the page, "messages" for the rest."""
    errors: dict[str, list[str]] = {}
    for form in forms_in(response):
        for field, messages in form.errors.items():
            errors.setdefault(field, []).extend(messages)
    # Only the messages this request added (those of earlier cases are still stored).
    for message in get_messages(response.wsgi_request)._queued_messages:
        if message.level_tag == "error":
            errors.setdefault("messages", []).append(str(message))
    return errors


def names_field(errors: dict[str, list[str]], field: str, label: str) -> bool:
    """The field's error is on the field itself, or a message names it by its label."""
    if errors.get(field):
        return True
    return any(label.lower() in message.lower() for message in errors.get("messages", []))


def count_case(form_name: str) -> None:
    CASES[f"fuzz {form_name}"] += 1
