"""oncall's writes to rosters, their members and schedules: each change answers the roster or
schedule read back, refusals name their input field, and a no-op oncall accepts is NOT_FOUND."""

from __future__ import annotations

from gateway.emulators.cast import Cast
from tests.harness import open_gateway
from tests.schema.services.test_oncall_mutations import ERRORS, calls, mutate, writes

ROSTER = "result { name users { inRotation rosterPriority user { name } } schedules { id } }"


async def test_a_roster_is_built_up_member_by_member(cast: Cast) -> None:
    where = 'team: "platform", roster: "sre-rotation"'
    document = f"""mutation {{
        created: createOncallRoster(team: "platform", input: {{name: "sre-rotation"}})
            {{ {ROSTER} {ERRORS} }}
        first: addOncallRosterUser({where}, input: {{user: "erin"}}) {{ {ROSTER} {ERRORS} }}
        second: addOncallRosterUser({where}, input: {{user: "grace", inRotation: false}})
            {{ {ROSTER} {ERRORS} }}
        rotating: updateOncallRosterUser({where}, user: "grace", input: {{inRotation: true}})
            {{ {ROSTER} {ERRORS} }}
        ordered: updateOncallRoster({where}, input: {{name: "sre", order: ["grace", "erin"]}})
            {{ {ROSTER} {ERRORS} }}
        removed: removeOncallRosterUser(team: "platform", roster: "sre", user: "erin")
            {{ {ROSTER} {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
        after = await mutate(gw, '{ oncall { teamUsers(team: "platform") { name } } }')
        assert writes(gw) == [
            "POST /teams/platform/rosters",
            "POST /teams/platform/rosters/sre-rotation/users",
            "POST /teams/platform/rosters/sre-rotation/users",
            "PUT /teams/platform/rosters/sre-rotation/users/grace",
            "PUT /teams/platform/rosters/sre-rotation",
            "DELETE /teams/platform/rosters/sre/users/erin",
        ]

    def members(alias: str) -> list[tuple[str, bool, int]]:
        users = data[alias]["result"]["users"]
        return [(u["user"]["name"], u["inRotation"], u["rosterPriority"]) for u in users]

    assert all(p["userErrors"] == [] for p in data.values())
    assert data["created"]["result"] == {"name": "sre-rotation", "users": [], "schedules": []}
    assert members("first") == [("erin", True, 0)]
    assert members("second") == [("erin", True, 0), ("grace", False, 1)]  # grace's id is higher
    assert members("rotating") == [("erin", True, 0), ("grace", True, 1)]
    assert data["ordered"]["result"]["name"] == "sre"
    assert members("ordered") == [("erin", True, 1), ("grace", True, 0)]
    assert members("removed") == [("grace", True, 0)]
    # grace joined platform with the roster; erin is still in platform's own roster.
    assert {"grace", "erin"} <= {u["name"] for u in after["oncall"]["teamUsers"]}


async def test_roster_refusals_name_their_field(cast: Cast) -> None:
    where = 'team: "platform", roster: "platform-rotation"'
    document = f"""mutation {{
        taken: createOncallRoster(team: "platform", input: {{name: "platform-rotation"}})
            {{ result {{ name }} {ERRORS} }}
        partial: updateOncallRoster({where}, input: {{order: ["alice"]}})
            {{ result {{ name }} {ERRORS} }}
        stranger: updateOncallRosterUser({where}, user: "grace", input: {{inRotation: false}})
            {{ result {{ name }} {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
    assert data["taken"] == {"result": None, "userErrors": [
        {"field": ["input", "name"], "code": "INVALID_INPUT",
         "message": 'oncall: IntegrityError: roster name "platform-rotation" already exists for '
                    "team platform"}]}  # fmt: skip
    assert data["partial"]["userErrors"] == [
        {"field": ["input", "order"], "code": "INVALID_INPUT",
         "message": "oncall: Invalid roster order: Roster order must include all roster members"}
    ]  # fmt: skip
    # oncall answers 200 for someone not in the roster and changes nothing.
    assert data["stranger"] == {"result": None, "userErrors": [
        {"field": None, "code": "NOT_FOUND",
         "message": "oncall: 'grace' is not in roster 'platform-rotation' of team 'platform', "
                    "so nothing changed"}]}  # fmt: skip


async def test_a_deleted_roster_takes_its_schedules(cast: Cast) -> None:
    document = (
        'mutation { deleteOncallRoster(team: "platform", roster: "platform-rotation") '
        f"{{ result {ERRORS} }} }}"
    )
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
        team = "rosters { name } schedules { id } admins { name } users { name }"
        after = await mutate(gw, f'{{ oncall {{ team(name: "platform") {{ {team} }} }} }}')
    assert data["deleteOncallRoster"] == {"result": "platform-rotation", "userErrors": []}
    assert after["oncall"]["team"] == {
        "rosters": [], "schedules": [], "admins": [{"name": "alice"}], "users": [{"name": "alice"}]
    }  # fmt: skip


async def test_a_schedule_is_created_changed_populated_and_deleted(cast: Cast) -> None:
    schedule = "result { id role roster advancedMode autoPopulateThreshold "
    schedule += "events { startSeconds durationSeconds } }"
    twelve_hours = ", ".join(
        f"{{startSeconds: {day * 86400 + 9 * 3600}, durationSeconds: 43200}}" for day in range(7)
    )
    document = f"""mutation {{
        created: createOncallSchedule(team: "platform", roster: "platform-rotation", input: {{
            role: "shadow", events: [{twelve_hours}], autoPopulateThreshold: 7}})
            {{ {schedule} {ERRORS} }}
        changed: updateOncallSchedule(id: 9, input: {{
            advancedMode: true, events: [{{startSeconds: 0, durationSeconds: 86400}}]}})
            {{ {schedule} {ERRORS} }}
        populated: populateOncallSchedule(id: 9, input: {{start: "2026-11-23T10:30:00Z"}})
            {{ result {{ id }} {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
        shifts = await mutate(gw, '{ oncall { events(team: "platform", role: "shadow") '
                                  "{ start end schedule { id } user { name } } } }")  # fmt: skip
        deleted = await mutate(
            gw, f"mutation {{ deleteOncallSchedule(id: 9) {{ result {ERRORS} }} }}"
        )
        left = await mutate(gw, '{ oncall { rosterSchedules(team: "platform", '
                                'roster: "platform-rotation") { id } } }')  # fmt: skip
        assert calls(gw)[:2] == [
            "POST /teams/platform/rosters/platform-rotation/schedules", "GET /schedules/9"
        ]  # fmt: skip
    assert data["created"]["result"]["id"] == 9
    assert len(data["created"]["result"]["events"]) == 7
    assert data["created"]["result"]["autoPopulateThreshold"] == 7
    assert data["changed"]["result"]["advancedMode"] is True
    assert data["changed"]["result"]["events"] == [{"startSeconds": 0, "durationSeconds": 86400}]
    assert data["populated"] == {"result": {"id": 9}, "userErrors": []}
    days = shifts["oncall"]["events"]
    assert days and all(e["schedule"] == {"id": 9} for e in days)
    assert all(e["start"].endswith("T00:00:00+00:00") for e in days)  # daily from Sunday 00:00
    assert deleted["deleteOncallSchedule"] == {"result": 9, "userErrors": []}
    assert left["oncall"]["rosterSchedules"] == [{"id": 1}, {"id": 2}]


async def test_a_schedule_oncall_cannot_show_in_simple_mode_is_refused(cast: Cast) -> None:
    document = (
        'mutation { createOncallSchedule(team: "platform", roster: "platform-rotation", input: '
        '{role: "shadow", events: [{startSeconds: 0, durationSeconds: 259200}]}) '
        f"{{ result {{ id }} {ERRORS} }} }}"
    )
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
    assert data["createOncallSchedule"] == {"result": None, "userErrors": [
        {"field": ["input", "advancedMode"], "code": "INVALID_INPUT",
         "message": "oncall: invalid schedule: invalid advanced mode setting"}]}  # fmt: skip
