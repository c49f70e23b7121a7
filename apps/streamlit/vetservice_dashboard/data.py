"""Cached calls into the library; pages read widgets, call these, and render."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

import vetservice as vs
from vetservice import VetserviceError
from vetservice.store import database_url as _database_url

__all__ = ["VetserviceError", "database_url", "record_counts", "top_units"]


def database_url() -> str:
    return _database_url(os.environ.get("VETSERVICE_DB"))


@st.cache_resource
def database(url: str) -> vs.Database:
    return vs.open(url)


@st.cache_data(ttl=300)
def record_counts(url: str) -> list[tuple[str, int]]:
    db = database(url)
    return [(vs.KINDS[kind].title, count) for kind, count in db.counts().items()]


@st.cache_data(ttl=300)
def top_units(url: str) -> list[dict[str, Any]]:
    return [{"code": u.code, "name": u.name} for u in database(url).top_units()]
