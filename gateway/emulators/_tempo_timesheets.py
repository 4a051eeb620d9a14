"""Timesheets: the periods they cover and the work schedule they are measured against."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.emulators._tempo_calendar import day_schedule, days_between, months_between
from gateway.emulators._tempo_http import collection, required_range, route
from gateway.emulators._tempo_store import TempoState


class TimesheetsApi:
    def __init__(self, state: TempoState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            route("/periods", GET=self.list_periods),
            route("/user-schedule", GET=self.list_schedule),
            route("/user-schedule/{account_id}", GET=self.list_schedule),
        ]

    async def list_periods(self, request: Request) -> Response:
        lo, hi = required_range(request)
        periods = [{"from": s.isoformat(), "to": e.isoformat()} for s, e in months_between(lo, hi)]
        return JSONResponse({"periods": periods})

    async def list_schedule(self, request: Request) -> Response:
        lo, hi = required_range(request)
        return collection(request, [day_schedule(d) for d in days_between(lo, hi)])
