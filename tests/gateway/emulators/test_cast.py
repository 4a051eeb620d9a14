"""The demo cast keeps the promises the emulators and the demo rely on."""

from __future__ import annotations

from collections import Counter

import pytest

from gateway.emulators.cast import Cast
from gateway.emulators.cast_build import build_cast
from tests.conftest import NOW

SERVICES = ("tempo", "oncall", "teamoclock", "teampulse", "hack24")


def services_of(cast: Cast, handle: str) -> set[str]:
    person = cast.person(handle)
    return {s for s in SERVICES if getattr(person, s) is not None}


@pytest.mark.parametrize("scale", [1, 3])
def test_size_and_coverage(scale: int) -> None:
    cast = build_cast(scale=scale, now=NOW)
    assert len(cast.teams) == 4 * scale
    linked = [p for p in cast.people if len(services_of(cast, p.handle)) >= 3]
    assert len(linked) >= 24 * scale
    loners = [p for p in cast.people if len(services_of(cast, p.handle)) == 1]
    assert len(loners) == scale  # the TeamPulse-only contractor, once per copy


@pytest.mark.parametrize("scale", [1, 3])
def test_every_service_id_is_unique(scale: int) -> None:
    cast = build_cast(scale=scale, now=NOW)
    for service, attr in [
        ("tempo", "account_id"),
        ("oncall", "name"),
        ("oncall", "id"),
        ("teamoclock", "username"),
        ("teampulse", "id"),
        ("hack24", "id"),
    ]:
        ids = [getattr(getattr(p, service), attr) for p in cast.people if getattr(p, service)]
        assert not [i for i, n in Counter(ids).items() if n > 1], (service, attr)
    for service, attr in [
        ("tempo", "id"),
        ("oncall", "name"),
        ("teamoclock", "slug"),
        ("hack24", "id"),
    ]:
        ids = [getattr(getattr(t, service), attr) for t in cast.teams]
        assert len(set(ids)) == len(ids), (service, attr)


def test_the_deliberate_mess_is_there(cast: Cast) -> None:
    dmitri = cast.person("dmitri")
    assert dmitri.oncall and dmitri.teamoclock
    assert dmitri.oncall.name != dmitri.teamoclock.username
    assert dmitri.oncall.name.lower() == dmitri.teamoclock.username.lower()
    assert dmitri.oncall.email != dmitri.teamoclock.email
    sams = [p for p in cast.people if p.full_name == "Sam Taylor"]
    assert len(sams) == 2 and all(p.needs_link for p in sams)
    ines = cast.person("ines")
    assert ines.tempo and ines.oncall and ines.tempo.display_name != ines.oncall.full_name
    data = next(t for t in cast.teams if t.handle == "data")
    names = {data.tempo.name, data.teamoclock.name, data.hack24.name}  # type: ignore[union-attr]
    assert len(names) == 3


def test_identity_links_name_only_the_ambiguous_people(cast: Cast) -> None:
    links = cast.identity_links()
    assert [link["key"] for link in links["people"]] == ["sam.taylor", "samuel.taylor"]
    assert all(len(link) == 6 for link in links["people"])  # key + all five services
