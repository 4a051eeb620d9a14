"""One typed client per REST API, and the container the gateway hands to resolvers.

``gateway.backends.open_backends`` builds the clients from settings; a service left out of
the configuration is ``None`` here, and :meth:`Backends.require` turns that into the error
that says how to configure it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, overload

from resolvers.backends.errors import SERVICES, BackendNotConfigured, Service

if TYPE_CHECKING:
    from resolvers.backends.hack24 import Hack24Client
    from resolvers.backends.oncall import OncallClient
    from resolvers.backends.teamoclock import TeamOclockClient
    from resolvers.backends.teampulse import TeamPulseClient
    from resolvers.backends.tempo import TempoClient


@dataclass(frozen=True, slots=True)
class Backends:
    tempo: TempoClient | None = None
    oncall: OncallClient | None = None
    teamoclock: TeamOclockClient | None = None
    teampulse: TeamPulseClient | None = None
    hack24: Hack24Client | None = None

    def configured(self) -> list[Service]:
        return [s for s in SERVICES if getattr(self, s) is not None]

    @overload
    def require(self, service: Literal["tempo"]) -> TempoClient: ...
    @overload
    def require(self, service: Literal["oncall"]) -> OncallClient: ...
    @overload
    def require(self, service: Literal["teamoclock"]) -> TeamOclockClient: ...
    @overload
    def require(self, service: Literal["teampulse"]) -> TeamPulseClient: ...
    @overload
    def require(self, service: Literal["hack24"]) -> Hack24Client: ...

    def require(
        self, service: Service
    ) -> TempoClient | OncallClient | TeamOclockClient | TeamPulseClient | Hack24Client:
        client = getattr(self, service)
        if client is None:
            raise BackendNotConfigured(service)
        return client  # type: ignore[no-any-return]
