"""A logged-in session: who, since when, last seen; when it ends."""

from __future__ import annotations

import datetime as dt

import attrs

from vetservice.accounts.users import User

# A session ends after 30 idle minutes, and after 8 hours whatever happens:
# a dashboard left open in a county office does not stay logged in overnight.
IDLE = dt.timedelta(minutes=30)
LONGEST = dt.timedelta(hours=8)


@attrs.define
class Session:
    user: User
    started: dt.datetime
    last_seen: dt.datetime
    ended: bool = False

    @classmethod
    def start(cls, user: User, now: dt.datetime | None = None) -> Session:
        now = now or dt.datetime.now(dt.UTC)
        return cls(user, now, now)

    def expired(self, now: dt.datetime | None = None) -> bool:
        now = now or dt.datetime.now(dt.UTC)
        return self.ended or now - self.last_seen > IDLE or now - self.started > LONGEST

    def touch(self, now: dt.datetime | None = None) -> bool:
        """Note activity; False (and ended for good) when it had expired."""
        now = now or dt.datetime.now(dt.UTC)
        if self.expired(now):
            self.ended = True
            return False
        self.last_seen = now
        return True

    def end(self) -> None:
        self.ended = True
