"""oncall's writes to users and their notification settings: results read back and linked,
refusals naming their input field, and what the client refuses before asking oncall."""

from __future__ import annotations

from gateway.emulators.cast import Cast
from tests.harness import open_gateway
from tests.schema.services.test_oncall_mutations import ERRORS, calls, mutate, writes

USER = "name fullName timeZone active contacts { email slack call } user { key }"
SETTING = "id type mode roles timeBefore onlyIfInvolved team { name }"


async def test_a_user_is_created_changed_and_deleted(cast: Cast) -> None:
    document = f"""mutation {{
        created: createOncallUser(input: {{name: "zoe"}}) {{ result {{ id {USER} }} {ERRORS} }}
        duplicate: createOncallUser(input: {{name: "alice"}}) {{ result {{ id }} {ERRORS} }}
        changed: updateOncallUser(user: "bob", input: {{fullName: "Robert Okafor",
            timeZone: "Europe/Paris", contacts: {{slack: "bobo", call: "+1 555 0100"}}}})
            {{ result {{ {USER} }} {ERRORS} }}
        renamed: updateOncallUser(user: "zoe", input: {{name: "zoe.k", active: false}})
            {{ result {{ {USER} }} {ERRORS} }}
        deleted: deleteOncallUser(user: "zoe.k") {{ result {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
        after = await mutate(gw, '{ oncall { user(name: "zoe.k") { id } } }')
        assert calls(gw)[:2] == ["POST /users", "GET /users/zoe"]
    assert data["created"]["result"] == {
        "id": 27, "name": "zoe", "fullName": None, "timeZone": None, "active": True,
        "contacts": {"email": None, "slack": None, "call": None}, "user": {"key": "zoe"},
    }  # fmt: skip
    assert data["duplicate"]["userErrors"] == [
        {"field": ["input", "name"], "code": "INVALID_INPUT",
         "message": 'oncall: IntegrityError: user name "alice" already exists'}
    ]  # fmt: skip
    bob = data["changed"]["result"]
    assert (bob["fullName"], bob["timeZone"]) == ("Robert Okafor", "Europe/Paris")
    # Contacts merge: bob's email stays.
    assert bob["contacts"] == {"email": "bob@teamgraph.example", "slack": "bobo",
                               "call": "+1 555 0100"}  # fmt: skip
    assert bob["user"] == {"key": "bob"}
    assert (data["renamed"]["result"]["name"], data["renamed"]["result"]["active"]) == (
        "zoe.k", False,
    )  # fmt: skip
    assert data["deleted"] == {"result": "zoe.k", "userErrors": []}
    assert after["oncall"]["user"] is None


async def test_a_rename_with_contacts_is_refused_before_oncall_is_asked(cast: Cast) -> None:
    document = (
        'mutation { updateOncallUser(user: "bob", input: {name: "robert", '
        'contacts: {slack: "bobo"}}) { result { name } } }'
    )
    async with open_gateway(cast) as gw:
        result = await gw.execute(document)
        assert writes(gw) == []
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "two calls" in result["errors"][0]["message"]


async def test_a_notification_setting_is_created_changed_and_deleted(cast: Cast) -> None:
    document = f"""mutation {{
        created: createOncallNotification(user: "alice", input: {{team: "platform",
            roles: ["primary"], mode: "sms", type: "event_created", onlyIfInvolved: true}})
            {{ result {{ {SETTING} }} {ERRORS} }}
        reminder: createOncallNotification(user: "alice", input: {{team: "platform",
            roles: ["primary"], mode: "sms", type: "oncall_reminder", onlyIfInvolved: true}})
            {{ result {{ id }} {ERRORS} }}
        changed: updateOncallNotification(user: "alice", id: 47, input: {{
            roles: ["primary", "secondary"], type: "oncall_reminder", timeBefore: 3600}})
            {{ result {{ {SETTING} }} {ERRORS} }}
        elsewhere: updateOncallNotification(user: "bob", id: 47, input: {{roles: ["primary"]}})
            {{ result {{ id }} {ERRORS} }}
        deleted: deleteOncallNotification(id: 47) {{ result {ERRORS} }}
    }}"""
    async with open_gateway(cast) as gw:
        data = await mutate(gw, document)
        after = await mutate(gw, '{ oncall { user(name: "alice") { notifications { id } } } }')
    assert data["created"] == {"userErrors": [], "result": {
        "id": 47, "type": "event_created", "mode": "sms", "roles": ["primary"],
        "timeBefore": None, "onlyIfInvolved": True, "team": {"name": "platform"}}}  # fmt: skip
    assert data["reminder"]["userErrors"] == [
        {"field": ["input", "timeBefore"], "code": "INVALID_INPUT",
         "message": "oncall: invalid notification setting: reminder setting must define "
                    "time_before"}
    ]  # fmt: skip
    changed = data["changed"]["result"]
    assert (changed["type"], changed["timeBefore"], changed["onlyIfInvolved"]) == (
        "oncall_reminder", 3600, None,
    )  # fmt: skip
    assert changed["roles"] == ["primary", "secondary"]
    # The setting changed, but it is not bob's: the gateway cannot read it back from his.
    assert data["elsewhere"] == {"result": None, "userErrors": [
        {"field": None, "code": "NOT_FOUND",
         "message": "oncall: changed setting 47, but 'bob' has no such setting to read it "
                    "back"}]}  # fmt: skip
    assert data["deleted"] == {"result": 47, "userErrors": []}
    assert 47 not in [n["id"] for n in after["oncall"]["user"]["notifications"]]
