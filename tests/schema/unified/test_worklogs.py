"""`logWork`, `updateWorklog` and `deleteWorklog` through the ASGI app: a Tempo worklog or a
TeamPulse time entry, chosen by the arguments and by where the person has an account,
answered as the unified `Worklog` and read back through `worklogs`."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from tests.harness import Gateway, open_gateway
from tests.schema.unified.support import run, writes

WORKLOG = "id service date durationSeconds description issueKey task project user { key }"
LOG = f"""mutation Log($input: LogWorkInput!, $key: String) {{
  logWork(input: $input, idempotencyKey: $key) {{
    replayed userErrors {{ field message code }} result {{ {WORKLOG} }}
  }}
}}"""
UPDATE = f"""mutation Update($id: ID!, $input: UpdateWorklogInput!) {{
  updateWorklog(id: $id, input: $input) {{
    userErrors {{ field message code }} result {{ {WORKLOG} }}
  }}
}}"""
DELETE = f"""mutation Delete($id: ID!) {{
  deleteWorklog(id: $id) {{ userErrors {{ field message code }} result {{ {WORKLOG} }} }}
}}"""


async def read(gw: Gateway, user: str, day: str = "2026-11-24") -> list[dict[str, Any]]:
    query = f'{{ worklogs(from: "{day}", to: "{day}", user: "{user}") {{ {WORKLOG} }} }}'
    found: list[dict[str, Any]] = (await run(gw, query))["worklogs"]
    return found


async def log(gw: Gateway, **input: Any) -> dict[str, Any]:
    answer: dict[str, Any] = (await run(gw, LOG, {"input": input}))["logWork"]
    return answer


async def test_an_issue_key_logs_a_tempo_worklog_read_back_as_worklogs_shows_it(
    cast: Cast,
) -> None:
    async with open_gateway(cast) as gw:
        answer = await log(
            gw,
            user="carmen",
            date="2026-11-24",
            seconds=5400,
            issueKey="PLAT-204",
            description="Reviewing the API",
            startTime="14:00:00",
        )
        made = writes(gw)
        shown = await read(gw, "carmen")
    worklog = answer["result"]
    assert answer["userErrors"] == []
    assert worklog["service"] == "TEMPO" and worklog["issueKey"] == "PLAT-204"
    assert (worklog["date"], worklog["durationSeconds"]) == ("2026-11-24", 5400)
    assert worklog["description"] == "Reviewing the API"
    assert worklog["user"] == {"key": "carmen"}
    assert made == ["tempo POST /worklogs 200"]
    assert worklog in shown


async def test_a_task_logs_a_teampulse_time_entry(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        answer = await log(gw, user="bob", date="2026-11-24", seconds=1800, task="vacation")
        made = writes(gw)
        shown = await read(gw, "bob")
    worklog = answer["result"]
    assert worklog["service"] == "TEAMPULSE" and worklog["task"] == "Vacation"
    assert (worklog["durationSeconds"], worklog["issueKey"]) == (1800, None)
    assert made == ["teampulse POST /timeentries 201"]
    assert worklog in shown


@pytest.mark.parametrize(
    ("input", "field", "says"),
    [
        ({"user": "carmen"}, "issueKey", "Tempo logs time on a Jira issue: pass `issueKey`"),
        ({"user": "yusuf"}, "task", "TeamPulse logs time on a task: pass `task`"),
        ({"user": "kofi", "issueKey": "PLAT-1"}, "user", "kofi has no Tempo account"),
        ({"user": "bob", "issueKey": "PLAT-1", "task": "Vacation"}, "task", "not both"),
        ({"user": "bob", "service": "TEAMPULSE", "issueKey": "X-1"}, "task", "pass `task`"),
        ({"user": "bob", "service": "ONCALL"}, "service", "TEMPO or TEAMPULSE"),
        ({"user": "bob", "task": "Meetings"}, "task", "4 TeamPulse tasks are called"),
        ({"user": "Sam Taylor", "task": "Vacation"}, "user", "sam.taylor, samuel.taylor"),
        ({"user": "bob", "task": "Vacation", "seconds": 0}, "seconds", "more than 0"),
    ],
)
async def test_where_to_log_is_chosen_or_the_user_error_says_what_to_pass(
    cast: Cast, input: dict[str, Any], field: str, says: str
) -> None:
    async with open_gateway(cast) as gw:
        answer = await log(gw, **{"date": "2026-11-24", "seconds": 60, **input})
        made = writes(gw)
    [error] = answer["userErrors"]
    assert error["field"] == ["input", field] and says in error["message"], error
    assert answer["result"] is None and made == []


async def test_what_the_api_refuses_is_a_user_error_naming_its_field(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        answer = await log(
            gw, user="bob", date="2026-11-24", seconds=60, task="Vacation", description="x" * 129
        )
    [error] = answer["userErrors"]
    assert error["field"] == ["te", "note"] and error["message"].startswith("teampulse: ")


async def test_a_repeat_with_the_same_key_logs_nothing_twice(cast: Cast) -> None:
    variables = {
        "input": {"user": "bob", "date": "2026-11-24", "seconds": 60, "task": "Vacation"},
        "key": "bob-vacation",
    }
    async with open_gateway(cast) as gw:
        first = (await run(gw, LOG, variables))["logWork"]
        gw.log.clear()
        again = (await run(gw, LOG, variables))["logWork"]
        assert gw.log.calls == []
        shown = await read(gw, "bob")
    assert again == {**first, "replayed": True}
    assert [w for w in shown if w["task"] == "Vacation"] == [first["result"]]


async def test_a_failing_service_is_an_error_naming_it(cast: Cast) -> None:
    async with open_gateway(cast, faults={"tempo": Faults(down=True)}) as gw:
        answer = await gw.execute(
            LOG,
            {
                "input": {
                    "user": "carmen",
                    "date": "2026-11-24",
                    "seconds": 60,
                    "issueKey": "PLAT-1",
                }
            },
        )
        made = writes(gw)
    assert answer["data"] is None
    assert {(e["extensions"]["code"], e["extensions"]["service"]) for e in answer["errors"]} == {
        ("UPSTREAM_UNAVAILABLE", "tempo")
    }
    assert made == []


async def test_updates_change_what_is_given_and_keep_the_rest(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        tempo = (
            await log(
                gw,
                user="carmen",
                date="2026-11-24",
                seconds=600,
                issueKey="PLAT-204",
                description="first",
            )
        )["result"]
        pulse = (
            await log(
                gw, user="bob", date="2026-11-24", seconds=600, task="Vacation", description="off"
            )
        )["result"]
        gw.log.clear()
        changed = await run(gw, UPDATE, {"id": tempo["id"], "input": {"seconds": 1200}})
        moved = await run(
            gw, UPDATE, {"id": pulse["id"], "input": {"seconds": 3600, "date": "2026-11-25"}}
        )
        made = writes(gw)
        wrong = await run(gw, UPDATE, {"id": pulse["id"], "input": {"issueKey": "PLAT-1"}})
        which = await run(gw, UPDATE, {"id": pulse["id"], "input": {"task": "Meetings"}})
        shown = await read(gw, "carmen") + await read(gw, "bob", "2026-11-25")
    tempo_now = changed["updateWorklog"]["result"]
    assert tempo_now == {**tempo, "durationSeconds": 1200}
    pulse_now = moved["updateWorklog"]["result"]
    assert pulse_now == {**pulse, "durationSeconds": 3600, "date": "2026-11-25"}
    assert tempo_now in shown and pulse_now in shown
    tempo_id = tempo["id"]
    assert made[0].startswith("tempo PUT /worklogs/") and made[1].startswith(
        "teampulse PUT /timeentries/"
    ), (made, tempo_id)
    assert wrong["updateWorklog"]["userErrors"][0]["field"] == ["input", "issueKey"]
    assert [e["code"] for e in which["updateWorklog"]["userErrors"]] == ["AMBIGUOUS"]


async def test_deleting_a_tempo_worklog_answers_it_as_it_was(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        tempo = (await log(gw, user="carmen", date="2026-11-24", seconds=600, issueKey="PLAT-204"))[
            "result"
        ]
        pulse = await log(gw, user="bob", date="2026-11-24", seconds=60, task="Vacation")
        deleted = (await run(gw, DELETE, {"id": tempo["id"]}))["deleteWorklog"]
        again = (await run(gw, DELETE, {"id": tempo["id"]}))["deleteWorklog"]
        refused = (await run(gw, DELETE, {"id": pulse["result"]["id"]}))["deleteWorklog"]
        shown = await read(gw, "carmen")
        node = await run(gw, "query($id: ID!) { node(id: $id) { id } }", {"id": tempo["id"]})
    assert deleted == {"userErrors": [], "result": tempo}
    assert tempo not in shown and node["node"] is None
    assert [e["code"] for e in again["userErrors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in refused["userErrors"]] == ["UNSUPPORTED"]


async def test_an_id_of_another_type_is_a_bad_input(cast: Cast) -> None:
    async with open_gateway(cast) as gw:
        team = (await run(gw, '{ team(key: "platform") { id } }'))["team"]["id"]
        answer = await gw.execute(DELETE, {"id": team})
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "the id of a Team" in answer["errors"][0]["message"]
