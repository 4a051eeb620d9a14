"""The oncall emulator's auth, mode by mode, as 2.1.7 does it (oncall-real-server.md §2)."""

from __future__ import annotations

import time
from urllib.parse import quote

import httpx
from starlette.applications import Starlette
from starlette.routing import Mount

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from gateway.emulators.oncall import create_app
from tests.gateway.emulators.oncall_support import (
    CLOCK,
    ORIGIN,
    PREFIX,
    audit,
    mounted,
    now_s,
    open_client,
    sign,
)


async def test_mode_a_reads_ignore_credentials_and_writes_check_them(cast: Cast) -> None:
    async with open_client(mounted(cast)) as http:
        assert (
            await http.get("/teams", headers={"Authorization": "hmac junk:junk"})
        ).status_code == 200
        body = (
            b'{"start":1795430000,"end":1795440000,"user":"bob","team":"platform","role":"shadow"}'
        )
        cases = {
            "Basic abc": "Invalid digest format",
            "hmac other:x": "Application not found",
            "hmac teamgraph:x": "Wrong digest",
        }
        for header, description in cases.items():
            denied = await http.post("/events", content=body, headers={"Authorization": header})
            assert denied.status_code == 401
            assert denied.json() == {"title": "Authentication failure", "description": description}
        signed = sign("POST", f"{PREFIX}/events", body)
        created = await http.post("/events", content=body, headers={"Authorization": signed})
        assert (created.status_code, created.json()) == (201, 41)
        anonymous = await http.post("/events", content=body)  # runs as test_user in mode A
        assert (anonymous.status_code, anonymous.json()) == (201, 42)
        owners = [r["owner"] for r in await audit(http, action="event_created")]
        assert owners == ["teamgraph", "test_user"]  # the app's name, then the debug user


async def test_mode_c_needs_a_signature_everywhere(cast: Cast) -> None:
    async with open_client(mounted(cast, require_auth=True), base_url=ORIGIN) as http:
        for path in (f"{PREFIX}/teams", "/oncall/healthcheck"):
            denied = await http.get(path)
            assert denied.status_code == 401
            assert denied.json() == {
                "title": "Unauthorized",
                "description": "User must be logged in",
            }
        ok = await http.get(
            f"{PREFIX}/teams", headers={"Authorization": sign("GET", f"{PREFIX}/teams")}
        )
        assert ok.json()[0] == "platform"
        health = await http.get(
            "/oncall/healthcheck", headers={"Authorization": sign("GET", "/oncall/healthcheck")}
        )
        assert health.text == "GOOD"
        target = f"{PREFIX}/events?team=platform&role=primary"
        with_query = await http.get(target, headers={"Authorization": sign("GET", target)})
        assert len(with_query.json()) == 5
        roles = f"{PREFIX}/roles"
        previous = sign("GET", roles, window=int(CLOCK) // 5 - 1)
        assert (await http.get(roles, headers={"Authorization": previous})).status_code == 200
        coarse = sign("GET", roles, window=int(CLOCK) // 30)
        assert (await http.get(roles, headers={"Authorization": coarse})).status_code == 200
        stale = sign("GET", roles, window=int(CLOCK) // 5 - 2)
        assert (await http.get(roles, headers={"Authorization": stale})).status_code == 401
        wrong_query = sign("GET", f"{PREFIX}/events?team=platform")
        assert (
            await http.get(f"{PREFIX}/events?team=mobile", headers={"Authorization": wrong_query})
        ).status_code == 401
        # 2.1.7 ships no SSO debug module: the header is just another header.
        sso = await http.get(f"{PREFIX}/users/alice", headers={"SSO-DEBUG-HEADER": "alice"})
        assert sso.status_code == 401
        # /login stays open, and its session opens reads too.
        login = await http.post("/oncall/login", content=b"username=alice&password=x")
        assert login.status_code == 200
        session = await http.get(
            f"{PREFIX}/users/alice", headers={"X-CSRF-TOKEN": login.json()["csrf_token"]}
        )
        assert session.json()["name"] == "alice"


async def test_signature_covers_the_decoded_or_quoted_path(cast: Cast) -> None:
    async with open_client(mounted(cast, require_auth=True)) as http:
        decoded = f"{PREFIX}/teams/no such team/users"
        for target in (decoded, quote(decoded)):
            response = await http.get(
                "/teams/no%20such%20team/users", headers={"Authorization": sign("GET", target)}
            )
            assert (response.status_code, response.json()) == (200, [])


async def test_real_clock_is_the_default(cast: Cast) -> None:
    app = Starlette(routes=[Mount(PREFIX, app=create_app(cast, require_auth=True))])
    async with open_client(app) as http:
        header = sign("GET", f"{PREFIX}/roles", window=int(time.time()) // 5)
        assert (await http.get("/roles", headers={"Authorization": header})).status_code == 200


async def test_faults_answer_in_the_apis_error_format(cast: Cast) -> None:
    async with open_client(mounted(cast, faults=Faults(down=True))) as http:
        response = await http.get("/teams")
        assert response.status_code == 503
        assert response.json()["title"] == "503 Service Unavailable"


# -- mode A: the demo's (auth-debug) ---------------------------------------------------------


async def test_mode_a_debug_only_endpoints_need_nothing(cast: Cast) -> None:
    async with open_client(mounted(cast)) as http:
        # @debug_only is not @login_required: even a junk signature is not looked at.
        junk = {"Authorization": "hmac junk:junk"}
        created = await http.post("/users", json={"name": "newbie"}, headers=junk)
        assert (created.status_code, created.content) == (201, b"")
        assert (await http.put("/services/ledger", json={"name": "books"})).status_code == 200


async def test_teams_created_by_an_app_name_their_admin(cast: Cast) -> None:
    async with open_client(mounted(cast)) as http:

        async def signed_post(body: bytes) -> httpx.Response:
            headers = {"Authorization": sign("POST", f"{PREFIX}/teams", body)}
            return await http.post("/teams", content=body, headers=headers)

        team = b'{"name":"sre","scheduling_timezone":"UTC"'
        missing = await signed_post(team + b"}")
        assert (missing.status_code, missing.json()) == (
            400,
            {
                "title": "invalid admin",
                "description": "API requests must specify a team admin username in the admin field",
            },
        )
        unknown = await signed_post(team + b',"admin":"nobody"}')
        assert unknown.json()["description"] == "admin username nobody was not found in db"
        created = await signed_post(team + b',"admin":"bob"}')
        assert (created.status_code, created.content) == (201, b"")
        detail = (await http.get("/teams/sre")).json()
        assert (list(detail["users"]), detail["admins"]) == (["bob"], [{"name": "bob"}])
        assert (await audit(http, team="sre"))[0]["owner"] == "bob"
        # Anonymous in auth-debug mode is `test_user`, who has no user row: upstream's
        # misleading duplicate-name answer.
        anonymous = await http.post("/teams", json={"name": "ops", "scheduling_timezone": "UTC"})
        assert (anonymous.status_code, anonymous.json()["description"]) == (
            422,
            'team name "ops" already exists',
        )


async def test_mode_a_session_user_owns_their_writes(cast: Cast) -> None:
    async with open_client(mounted(cast), base_url=ORIGIN) as http:
        login = await http.post("/oncall/login", content=b"username=bob&password=whatever")
        token = login.json()["csrf_token"]
        body = {"start": now_s(cast) + 3600, "end": now_s(cast) + 7200, "user": "bob",
                "team": "platform", "role": "shadow"}  # fmt: skip
        created = await http.post(f"{PREFIX}/events", json=body, headers={"X-CSRF-TOKEN": token})
        assert created.status_code == 201
        # A bad token is no error in auth-debug mode: the write just runs as test_user.
        again = await http.post(f"{PREFIX}/events", json=body, headers={"X-CSRF-TOKEN": "x"})
        assert again.status_code == 201
        rows = (await http.get(f"{PREFIX}/audit?action=event_created")).json()
        assert [r["owner"] for r in rows] == ["bob", "test_user"]


# -- mode B: prod-like writes ------------------------------------------------------------------


async def test_mode_b_writes_need_a_session_with_its_csrf_token(cast: Cast) -> None:
    async with open_client(mounted(cast, auth_debug=False), base_url=ORIGIN) as http:
        events = f"{PREFIX}/events"
        body = {"start": now_s(cast) + 3600, "end": now_s(cast) + 7200, "user": "bob",
                "team": "platform", "role": "shadow"}  # fmt: skip
        assert (await http.get(events)).status_code == 200  # reads stay open
        for headers in ({}, {"SSO-DEBUG-HEADER": "bob"}):
            denied = await http.post(events, json=body, headers=headers)
            assert (denied.status_code, denied.json()) == (
                401,
                {"title": "Unauthorized", "description": "User must be logged in"},
            )
            assert "www-authenticate" not in denied.headers
        assert (await http.post("/oncall/login", content=b"username=bob")).json() == {
            "title": "Invalid login attempt",
            "description": "Missing user/password",
        }
        nobody = await http.post("/oncall/login", content=b"username=nobody&password=x")
        assert nobody.status_code == 404
        login = await http.post("/oncall/login", content=b"username=bob&password=x")
        assert login.status_code == 200 and login.json()["name"] == "bob"
        assert (
            "HttpOnly" in login.headers["set-cookie"]
            and "oncall-auth=" in login.headers["set-cookie"]
        )
        token = login.json()["csrf_token"]
        twice = await http.post("/oncall/login", content=b"username=bob&password=x")
        assert (twice.status_code, twice.json()["description"]) == (400, "User already logged in")
        csrf = await http.post(events, json=body, headers={"X-CSRF-TOKEN": "wrong"})
        assert (csrf.status_code, csrf.json()) == (
            401,
            {"title": "Invalid Session", "description": "CSRF validation failed"},
        )
        ok = await http.post(events, json=body, headers={"X-CSRF-TOKEN": token})
        assert ok.status_code == 201
        assert (await http.post("/oncall/logout")).status_code == 200
        after = await http.post(events, json=body, headers={"X-CSRF-TOKEN": token})
        assert after.status_code == 401


async def test_mode_b_checks_admins_and_members(cast: Cast) -> None:
    async with open_client(mounted(cast, auth_debug=False), base_url=ORIGIN) as http:
        login = await http.post("/oncall/login", content=b"username=bob&password=x")
        csrf = {"X-CSRF-TOKEN": login.json()["csrf_token"]}
        edit = await http.put(f"{PREFIX}/teams/platform", json={"email": "x@y"}, headers=csrf)
        assert (edit.status_code, edit.json()) == (
            403,
            {
                "title": "Unauthorized",
                "description": 'Action not allowed: "bob" is not an admin for "platform"',
            },
        )
        body = {"start": now_s(cast) + 3600, "end": now_s(cast) + 7200, "user": "hiro",
                "team": "payments", "role": "shadow"}  # fmt: skip
        other = await http.post(f"{PREFIX}/events", json=body, headers=csrf)
        assert other.json()["description"] == 'Action not allowed: "bob" is not part of "payments"'
        someone = await http.put(f"{PREFIX}/users/alice", json={"full_name": "A"}, headers=csrf)
        assert someone.json()["description"] == 'Action not allowed for "bob"'
        mine = await http.put(f"{PREFIX}/users/bob", json={"full_name": "Bob O."}, headers=csrf)
        assert mine.status_code == 204
        admin_only = await http.post(f"{PREFIX}/users", json={"name": "x"}, headers=csrf)
        assert (admin_only.status_code, admin_only.json()) == (
            403,
            {"title": "403 Forbidden", "description": "Admin only action"},
        )


async def test_mode_b_apps_skip_permission_checks_but_not_admin_only(cast: Cast) -> None:
    async with open_client(mounted(cast, auth_debug=False), base_url=ORIGIN) as http:
        target = f"{PREFIX}/teams/payments"
        body = b'{"description":"edited by an app"}'
        headers = {"Authorization": sign("PUT", target, body)}
        assert (await http.put(target, content=body, headers=headers)).status_code == 200
        assert (await http.get(target)).json()["description"] == "edited by an app"
        users = f"{PREFIX}/users"
        signed = {"Authorization": sign("POST", users, b'{"name":"x"}')}
        denied = await http.post(users, content=b'{"name":"x"}', headers=signed)
        assert denied.status_code == 403


async def test_hmac_path_is_the_raw_path_unquoted(cast: Cast) -> None:
    async with open_client(mounted(cast)) as http:
        # A trailing slash is stripped for routing but stays part of the signed path.
        body = b'{"description":"slash"}'
        target = f"{PREFIX}/teams/mobile/"
        signed = await http.put("/teams/mobile/", content=body,
                                headers={"Authorization": sign("PUT", target, body)})  # fmt: skip
        assert signed.status_code == 200
