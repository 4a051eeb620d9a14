"""oncall's writes to events: results are `OncallEvent`s read back (linked to the unified
`Event`), an override that splits an event answers the new events, a linked set answers its
link id, swaps answer both sides, and refusals name their input field."""

from __future__ import annotations

from gateway.emulators.cast import Cast
from tests.harness import open_gateway
from tests.schema.services.test_oncall_mutations import ERRORS, calls, mutate, writes

EVENT = "id start end role note scheduleId linkId user { name } team { name }"


async def test_a_created_event_is_read_back_and_is_a_shift(cast: Cast) -> None:
    document = (
        'mutation { createOncallEvent(input: {start: "2026-11-24T09:00:00Z", '
        'end: "2026-11-24T17:00:00Z", user: "bob", team: "platform", role: "shadow", '
        f'note: "pairing"}}) {{ result {{ {EVENT} '
        f"shift {{ role user {{ key }} team {{ key }} }} }} {ERRORS} }} }}"
    )
    async with open_gateway(cast) as gw:
        payload = (await mutate(gw, document))["createOncallEvent"]
        assert calls(gw)[:2] == ["POST /events", "GET /events/41"]
    assert payload["userErrors"] == []
    assert payload["result"] == {
        "id": 41, "start": "2026-11-24T09:00:00+00:00", "end": "2026-11-24T17:00:00+00:00",
        "role": "shadow", "note": "pairing", "scheduleId": None, "linkId": None,
        "user": {"name": "bob"}, "team": {"name": "platform"},
        "shift": {"role": "shadow", "user": {"key": "bob"}, "team": {"key": "platform"}},
    }  # fmt: skip


async def test_event_refusals_name_their_field(cast: Cast) -> None:
    def create(start: str, user: str, role: str) -> str:
        return (
            f'createOncallEvent(input: {{start: "{start}", end: "2026-11-24T17:00:00Z", '
            f'user: "{user}", team: "platform", role: "{role}"}}) {{ result {{ id }} {ERRORS} }}'
        )

    document = f"""mutation {{
        past: {create("2026-11-20T09:00:00Z", "bob", "shadow")}
        stranger: {create("2026-11-24T09:00:00Z", "grace", "shadow")}
        role: {create("2026-11-24T09:00:00Z", "bob", "boss")}
        missing: updateOncallEvent(id: 999, input: {{start: "2026-11-24T09:00:00Z",
                                                     end: "2026-11-24T17:00:00Z"}})
            {{ result {{ id }} {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
    errors = {alias: p["userErrors"] for alias, p in data.items()}
    assert all(p["result"] is None for p in data.values())
    assert errors["past"] == [
        {"field": ["input", "start"], "code": "INVALID_INPUT",
         "message": "oncall: Invalid event: Creating events in the past not allowed"}
    ]  # fmt: skip
    assert errors["stranger"] == [
        {"field": ["input", "user"], "code": "INVALID_INPUT",
         "message": "oncall: Invalid event: User must be part of the team"}
    ]  # fmt: skip
    assert errors["role"] == [
        {"field": ["input", "role"], "code": "INVALID_INPUT",
         "message": 'oncall: IntegrityError: role "boss" not found'}
    ]  # fmt: skip
    assert errors["missing"] == [
        {"field": None, "code": "NOT_FOUND", "message": "oncall: 404 Not Found"}
    ]


async def test_an_edited_event_and_a_deleted_one(cast: Cast) -> None:
    document = f"""mutation {{
        edited: updateOncallEvent(id: 7, input: {{start: "2026-11-30T00:00:00Z",
            end: "2026-12-07T00:00:00Z", user: "erin", note: "covering"}})
            {{ result {{ {EVENT} }} {ERRORS} }}
        deleted: deleteOncallEvent(id: 9) {{ result {ERRORS} }}
        again: deleteOncallEvent(id: 9) {{ result {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
        after = await mutate(gw, "{ oncall { event(id: 9) { id } } }")
    assert data["edited"]["result"]["user"] == {"name": "erin"}
    assert (data["edited"]["result"]["note"], data["edited"]["result"]["scheduleId"]) == (
        "covering", 1,
    )  # fmt: skip
    assert data["deleted"] == {"result": 9, "userErrors": []}
    assert data["again"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert after["oncall"]["event"] is None


async def test_an_override_that_splits_an_event_answers_the_new_events(cast: Cast) -> None:
    # Event 7: carmen, platform primary, 2026-11-30 to 12-07, from schedule 1.
    document = (
        'mutation { overrideOncallEvents(input: {eventIds: [7], start: "2026-12-01T00:00:00Z", '
        f'end: "2026-12-02T00:00:00Z", user: "erin"}}) {{ result {{ {EVENT} }} {ERRORS} }} }}'
    )
    async with open_gateway(cast) as gw:
        payload = (await mutate(gw, document))["overrideOncallEvents"]
        assert calls(gw) == ["POST /events/override", "GET /events"]  # one read for all
        original = await mutate(gw, "{ oncall { event(id: 7) { id } } }")
    shown = [(e["id"], e["start"][:10], e["end"][:10], e["user"]["name"], e["scheduleId"])
             for e in payload["result"]]  # fmt: skip
    assert shown == [
        (41, "2026-11-30", "2026-12-01", "carmen", None),  # the parts before and after: new
        (43, "2026-12-01", "2026-12-02", "erin", None),  # the override
        (42, "2026-12-02", "2026-12-07", "carmen", None),
    ]
    assert {e["role"] for e in payload["result"]} == {"primary"}
    assert original["oncall"]["event"] is None  # the split event is gone


async def test_an_override_that_trims_keeps_the_schedule_the_answer_lacks(cast: Cast) -> None:
    document = (
        'mutation { overrideOncallEvents(input: {eventIds: [7], start: "2026-11-30T00:00:00Z", '
        f'end: "2026-12-01T00:00:00Z", user: "erin"}}) {{ result {{ {EVENT} }} {ERRORS} }} }}'
    )
    async with open_gateway(cast) as gw:
        payload = (await mutate(gw, document))["overrideOncallEvents"]
    shown = [(e["id"], e["user"]["name"], e["scheduleId"]) for e in payload["result"]]
    assert shown == [(41, "erin", None), (7, "carmen", 1)]  # 7 keeps its id and schedule


async def test_a_linked_set_answers_its_link_id_and_events(cast: Cast) -> None:
    shift = 'user: "bob", team: "platform", role: "shadow"'
    document = f"""mutation {{ linkOncallEvents(input: {{events: [
        {{start: "2026-11-25T09:00:00Z", end: "2026-11-25T17:00:00Z", {shift}, note: "b"}},
        {{start: "2026-11-24T09:00:00Z", end: "2026-11-24T17:00:00Z", {shift}, note: "a"}}
    ]}}) {{ result {{ linkId events {{ {EVENT} }} }} {ERRORS} }} }}"""
    async with open_gateway(cast) as gw:
        payload = (await mutate(gw, document))["linkOncallEvents"]
        assert calls(gw) == ["POST /events/link", "GET /events"]
        upcoming = await mutate(gw, '{ oncall { user(name: "bob") { upcoming(role: "shadow") '
                                    "{ id linkId numEvents } } } }")  # fmt: skip
    link = payload["result"]["linkId"]
    assert isinstance(link, str) and len(link) == 32
    events = payload["result"]["events"]
    assert [(e["id"], e["note"], e["linkId"]) for e in events] == [(42, "a", link), (41, "b", link)]
    assert upcoming["oncall"]["user"]["upcoming"] == [{"id": 42, "linkId": link, "numEvents": 2}]


async def test_a_swap_answers_both_sides(cast: Cast) -> None:
    shift = 'team: "platform", role: "shadow"'
    document = f"""mutation {{
        linked: linkOncallEvents(input: {{events: [
            {{start: "2026-11-24T09:00:00Z", end: "2026-11-24T17:00:00Z", user: "bob", {shift}}},
            {{start: "2026-11-25T09:00:00Z", end: "2026-11-25T17:00:00Z", user: "bob", {shift}}}
        ]}}) {{ result {{ linkId }} }}
        single: createOncallEvent(input: {{start: "2026-11-26T09:00:00Z",
            end: "2026-11-26T17:00:00Z", user: "carmen", {shift}}}) {{ result {{ id }} }}
    }}"""
    async with open_gateway(cast) as gw:
        made = await mutate(gw, document)
        link, single = made["linked"]["result"]["linkId"], made["single"]["result"]["id"]
        gw.log.clear()
        swap = (
            f'mutation {{ swapOncallEvents(input: {{first: {{linkId: "{link}"}}, '
            f"second: {{eventId: {single}}}}}) {{ result {{ id linkId user {{ name }} }} "
            f"{ERRORS} }} }}"
        )
        payload = (await mutate(gw, swap))["swapOncallEvents"]
        assert calls(gw) == ["POST /events/swap", f"GET /events/{single}", "GET /events"]
    assert [(e["id"], e["linkId"], e["user"]["name"]) for e in payload["result"]] == [
        (41, link, "carmen"), (42, link, "carmen"), (single, None, "bob"),
    ]  # fmt: skip


async def test_a_swap_side_is_an_event_or_a_set_not_both(cast: Cast) -> None:
    document = (
        'mutation { swapOncallEvents(input: {first: {eventId: 7, linkId: "x"}, '
        "second: {eventId: 9}}) { result { id } } }"
    )
    async with open_gateway(cast) as gw:
        result = await gw.execute(document)
        assert writes(gw) == []  # refused before oncall is asked
    assert result["data"] is None
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "input.first" in result["errors"][0]["message"]
