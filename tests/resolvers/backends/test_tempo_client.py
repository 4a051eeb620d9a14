"""TempoClient against the Tempo emulator, plus the payload variants the docs show."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time

import pytest

from gateway.emulators.cast import Cast
from gateway.emulators.faults import Faults
from resolvers.backends import tempo_worklogs
from resolvers.backends.errors import (
    UpstreamBadResponse,
    UpstreamRejected,
    UpstreamUnauthorized,
    UpstreamUnavailable,
)
from resolvers.backends.tempo import (
    ActiveMembership,
    DaySchedule,
    Holiday,
    Membership,
    Period,
    Program,
    ProgramRef,
    Role,
    RoleRef,
    Team,
    TeamMember,
    TeamRef,
    TempoClient,
    WorkAttribute,
    WorkAttributeValue,
    Worklog,
)
from tests.recording import CallLog
from tests.resolvers.backends.tempo_clients import (
    BASE_URL,
    DOCS,
    DOCS_USER,
    JOHN,
    JOHN_REF,
    answering,
    calls,
    client_for,
    collection,
    open_client,
    ref,
)


@pytest.fixture
async def client(cast: Cast, call_log: CallLog) -> AsyncIterator[TempoClient]:
    async with open_client(cast, call_log) as client:
        yield client


# -- teams, members, memberships, roles, programs ------------------------------------------------


async def test_list_teams(client: TempoClient, cast: Cast, call_log: CallLog) -> None:
    teams = await client.list_teams()
    assert teams[0] == Team(
        id=1,
        name="Platform",
        summary="The Platform team",
        lead=ref(cast, "alice"),
        program=ProgramRef(id=1, name="Product Engineering"),
    )
    assert [t.name for t in teams] == ["Platform", "Payments", "Mobile", "Data & Analytics"]
    assert teams[3].program is None
    assert calls(call_log) == ["tempo GET /teams"]


async def test_get_team_or_none(client: TempoClient, cast: Cast) -> None:
    team = await client.get_team(2)
    assert team is not None and (team.name, team.lead) == ("Payments", ref(cast, "grace"))
    assert await client.get_team(99) is None


async def test_list_team_members_with_active_membership(
    client: TempoClient, cast: Cast, call_log: CallLog
) -> None:
    members = await client.list_team_members(1)
    assert members[0] == TeamMember(
        member=ref(cast, "alice"),
        active=ActiveMembership(
            id=1,
            commitment_percent=80,
            from_=date(2024, 1, 1),
            to=None,
            role=RoleRef(id=2, name="Team Lead"),
        ),
        team_id=1,
    )
    assert [m.member.display_name for m in members][1:3] == ["Bob Okafor", "Carmen Ruiz"]
    assert calls(call_log) == ["tempo GET /teams/1/members"]
    assert await client.list_team_members(99) == []


async def test_get_team_member(client: TempoClient, cast: Cast) -> None:
    alice = ref(cast, "alice").account_id
    member = await client.get_team_member(4, alice)
    assert member is not None and member.active is not None
    assert (member.active.commitment_percent, member.active.role.name) == (20, "Developer")
    assert await client.get_team_member(2, alice) is None


async def test_list_memberships_reads_the_team_from_its_url(
    client: TempoClient, cast: Cast, call_log: CallLog
) -> None:
    alice = ref(cast, "alice").account_id
    earlier, current = await client.list_memberships(1, alice)
    assert earlier == Membership(
        id=24,
        commitment_percent=100,
        from_=date(2023, 1, 1),
        to=date(2023, 12, 31),
        role=RoleRef(id=3, name="Developer"),
        team_id=1,
        member=None,
    )
    assert (current.id, current.to, current.team_id) == (1, None, 1)
    assert calls(call_log) == [f"tempo GET /teams/1/members/{alice}/memberships"]
    assert await client.list_memberships(2, alice) == []


async def test_get_membership(client: TempoClient, cast: Cast) -> None:
    membership = await client.get_membership(7)
    assert membership is not None
    assert (membership.team_id, membership.member) == (2, ref(cast, "grace"))
    assert membership.role == RoleRef(id=2, name="Team Lead")
    assert await client.get_membership(999) is None


async def test_roles(client: TempoClient) -> None:
    roles = await client.list_roles()
    assert roles[0] == Role(id=1, name="Default team role", default=True)
    assert [r.name for r in roles[1:]] == ["Team Lead", "Developer", "Designer", "Tester"]
    assert await client.get_role(4) == Role(id=4, name="Designer", default=False)
    assert await client.get_role(40) is None


async def test_programs(client: TempoClient, cast: Cast) -> None:
    engineering, skunkworks = await client.list_programs()
    assert engineering.manager == ref(cast, "alice")
    assert [t.name for t in engineering.teams] == ["Platform", "Payments", "Mobile"]
    assert skunkworks == Program(id=2, name="Skunkworks", manager=None, teams=())
    assert await client.get_program(2) == skunkworks
    assert await client.get_program(3) is None
    assert (await client.list_program_teams(1))[2] == TeamRef(id=3, name="Mobile")
    assert await client.list_program_teams(3) == []


# -- worklogs -----------------------------------------------------------------------------------


async def test_list_worklogs_asks_for_1000_a_page(
    client: TempoClient, cast: Cast, call_log: CallLog
) -> None:
    worklogs = await client.list_worklogs(from_=date(2026, 10, 1), to=date(2026, 11, 30))
    assert calls(call_log) == ["tempo GET /worklogs?from=2026-10-01&limit=1000&to=2026-11-30"]
    assert len(worklogs) == 272
    assert [(w.start_date, w.tempo_worklog_id) for w in worklogs] == sorted(
        (w.start_date, w.tempo_worklog_id) for w in worklogs
    )
    first = worklogs[0]
    assert first.created_at.tzinfo is not None and first.created_at <= cast.now
    assert isinstance(first.start_time, time)
    authors = {p.tempo.account_id for p in cast.people if p.tempo}
    assert {w.author.account_id for w in worklogs} == authors


async def test_list_worklogs_follows_next_to_the_last_page(
    client: TempoClient, call_log: CallLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempo_worklogs, "MAX_LIMIT", 100)
    worklogs = await client.list_worklogs(updated_from=date(2026, 10, 1))
    assert calls(call_log) == [
        "tempo GET /worklogs?limit=100&updatedFrom=2026-10-01",
        "tempo GET /worklogs?limit=100&offset=100&updatedFrom=2026-10-01",
        "tempo GET /worklogs?limit=100&offset=200&updatedFrom=2026-10-01",
    ]
    assert len(worklogs) == 272 == len({w.tempo_worklog_id for w in worklogs})


async def test_list_worklogs_filters_by_sorted_distinct_issues_and_projects(
    client: TempoClient, call_log: CallLog
) -> None:
    everything = await client.list_worklogs()
    keys = sorted({w.issue_key for w in everything})[:2]
    call_log.clear()
    worklogs = await client.list_worklogs(issues=[keys[1], keys[0], keys[1]])
    assert sorted({w.issue_key for w in worklogs}) == keys
    assert calls(call_log) == [f"tempo GET /worklogs?issue={keys[0]}&issue={keys[1]}&limit=1000"]
    data = await client.list_worklogs(projects=["DATA"])
    assert data and all(w.issue_key.startswith("DATA-") for w in data)


async def test_team_user_project_and_issue_worklogs(client: TempoClient, cast: Cast) -> None:
    alice = ref(cast, "alice")
    team = await client.list_team_worklogs(1, from_=date(2026, 11, 1), to=date(2026, 11, 30))
    assert team and all(w.start_date.month == 11 for w in team)
    assert alice in {w.author for w in team}
    mine = await client.list_user_worklogs(alice.account_id)
    assert mine and {w.author for w in mine} == {alice}
    project = await client.list_project_worklogs("PLAT")
    assert project and all(w.issue_key.startswith("PLAT-") for w in project)
    issue = await client.list_issue_worklogs(project[0].issue_key)
    assert issue and {w.issue_key for w in issue} == {project[0].issue_key}
    assert await client.list_issue_worklogs("PLAT-0") == []


async def test_get_worklog_by_tempo_or_jira_id(client: TempoClient) -> None:
    first = (await client.list_worklogs())[0]
    assert await client.get_worklog(first.tempo_worklog_id) == first
    assert first.jira_worklog_id is not None
    assert await client.get_worklog_by_jira_id(first.jira_worklog_id) == first
    assert await client.get_worklog(1) is None
    assert await client.get_worklog_by_jira_id(1) is None


async def test_work_attributes_and_values(client: TempoClient) -> None:
    tagged = next(w for w in await client.list_worklogs() if w.attributes)
    values = await client.list_work_attribute_values(tagged.tempo_worklog_id)
    assert tuple(values) == tagged.attributes
    assert await client.list_work_attribute_values(1) == []
    attributes = await client.list_work_attributes()
    assert [a.key for a in attributes] == ["_COLOR_", "_EXTERNALREF_", "_DELIVERED_"]
    color = await client.get_work_attribute("_COLOR_")
    assert color == WorkAttribute(key="_COLOR_", name="Color", type="STATIC_LIST",
                                  values=("red", "green", "blue", "yellow", "pink"))  # fmt: skip
    assert await client.get_work_attribute("_NOPE_") is None


async def test_periods_and_schedules(client: TempoClient, cast: Cast) -> None:
    periods = await client.list_periods(date(2026, 11, 5), date(2026, 12, 5))
    assert periods == [
        Period(from_=date(2026, 11, 1), to=date(2026, 11, 30)),
        Period(from_=date(2026, 12, 1), to=date(2026, 12, 31)),
    ]
    alice = ref(cast, "alice").account_id
    days = await client.list_user_schedule(date(2026, 12, 24), date(2026, 12, 25),
                                           account_id=alice)  # fmt: skip
    assert days[1] == DaySchedule(
        day=date(2026, 12, 25),
        required_seconds=0,
        type="HOLIDAY",
        holiday=Holiday(name="Christmas Day", duration_seconds=28800),
    )
    mine = await client.list_user_schedule(date(2026, 11, 23), date(2026, 11, 23))
    assert [(d.required_seconds, d.type) for d in mine] == [(28800, "WORKING_DAY")]


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "stolen"])
async def test_missing_or_wrong_token_is_unauthorized(cast: Cast, token: str | None) -> None:
    client = client_for(cast, token=token)
    with pytest.raises(UpstreamUnauthorized) as caught:
        await client.list_teams()
    assert (caught.value.service, caught.value.status) == ("tempo", 401)


async def test_an_outage_is_unavailable(cast: Cast) -> None:
    client = client_for(cast, faults=Faults(down=True), token=cast.credentials.tempo_token)
    with pytest.raises(UpstreamUnavailable) as caught:
        await client.list_worklogs()
    assert (caught.value.service, caught.value.status) == ("tempo", 503)
    assert "emulated outage" in str(caught.value)


async def test_a_payload_of_the_wrong_shape_is_a_bad_response() -> None:
    with pytest.raises(UpstreamBadResponse) as caught:
        await answering({"self": "x", "id": 1, "name": "No author"}).get_worklog(1)
    assert caught.value.service == "tempo"
    with pytest.raises(UpstreamBadResponse):
        await answering({"teams": []}).list_teams()


async def test_error_detail_joins_every_message() -> None:
    body = {"errors": [{"message": "Issue not found"}, {"message": "Date can not be empty"}]}
    with pytest.raises(UpstreamRejected) as caught:
        await answering(body, status=400).list_worklogs()
    assert str(caught.value).endswith("answered 400: Issue not found; Date can not be empty")


async def test_a_next_link_to_another_host_is_refused() -> None:
    page = {"self": "x", "metadata": {"count": 2, "offset": 0, "limit": 1,
                                      "next": "https://evil.example/worklogs?offset=1"},
            "results": [DOC_WORKLOG]}  # fmt: skip
    with pytest.raises(UpstreamBadResponse) as caught:
        await answering(page).list_worklogs()
    assert "evil.example" in str(caught.value)


async def test_a_next_link_that_loops_is_refused() -> None:
    page = {"self": "x", "metadata": {"count": 9, "next": f"{BASE_URL}/worklogs?offset=1"},
            "results": [DOC_WORKLOG]}  # fmt: skip
    with pytest.raises(UpstreamBadResponse) as caught:
        await answering(page).list_worklogs()
    assert "loops" in str(caught.value)


# -- the docs' own examples ---------------------------------------------------------------------

DOC_WORKLOG = {
    "self": f"{DOCS}/worklogs/12600",
    "tempoWorklogId": 126,
    "jiraWorklogId": 10100,
    "issue": {"self": "https://my-cloud-instance.atlassian.net/rest/api/2/issue/DUM-1",
              "key": "DUM-1"},
    "timeSpentSeconds": 3600,
    "billableSeconds": 5200,
    "startDate": "2017-02-06",
    "startTime": "20:06:00",
    "description": "Investigating a problem with our external database system",
    "createdAt": "2017-02-06T16:41:41Z",
    "updatedAt": "2017-02-06T16:41:41Z",
    "author": JOHN,
    "attributes": {
        "self": f"{DOCS}/worklogs/126/work-attribute-values",
        "values": [{"key": "_DELIVERED_", "value": True}, {"key": "_COLOR_", "value": "red"}],
    },
}  # fmt: skip


async def test_reads_the_documented_worklog() -> None:
    assert await answering(DOC_WORKLOG).get_worklog(126) == Worklog(
        tempo_worklog_id=126,
        jira_worklog_id=10100,
        issue_key="DUM-1",
        time_spent_seconds=3600,
        billable_seconds=5200,
        start_date=date(2017, 2, 6),
        start_time=time(20, 6),
        description="Investigating a problem with our external database system",
        created_at=datetime(2017, 2, 6, 16, 41, 41, tzinfo=UTC),
        updated_at=datetime(2017, 2, 6, 16, 41, 41, tzinfo=UTC),
        author=JOHN_REF,
        attributes=(WorkAttributeValue(key="_DELIVERED_", value=True),
                    WorkAttributeValue(key="_COLOR_", value="red")),
    )  # fmt: skip


async def test_a_worklog_without_optional_fields_and_a_naive_timestamp() -> None:
    bare = {k: v for k, v in DOC_WORKLOG.items()
            if k not in ("jiraWorklogId", "billableSeconds", "attributes")}  # fmt: skip
    worklog = await answering({**bare, "updatedAt": "2017-02-07T08:00:00"}).get_worklog(126)
    assert worklog is not None
    assert (worklog.jira_worklog_id, worklog.billable_seconds, worklog.attributes) == (
        None, None, ()
    )  # fmt: skip
    assert worklog.updated_at == datetime(2017, 2, 7, 8, tzinfo=UTC)


async def test_reads_the_documented_team_list_with_a_bare_team() -> None:
    team_b = {"self": f"{DOCS}/teams/2", "id": 2, "name": "Team-B",
              "links": {"self": f"{DOCS}/teams/2/links"},
              "members": {"self": f"{DOCS}/teams/2/members"},
              "permissions": {"self": f"{DOCS}/teams/2/permissions"}}  # fmt: skip
    team_a = {
        **team_b,
        "id": 1,
        "name": "Team-A",
        "summary": "This is the A team",
        "lead": JOHN,
        "program": {"self": f"{DOCS}/programs/42", "id": 42, "name": "Devs"},
    }
    teams = await answering(collection(team_a, team_b)).list_teams()
    assert teams == [
        Team(id=1, name="Team-A", summary="This is the A team", lead=JOHN_REF,
             program=ProgramRef(id=42, name="Devs")),
        Team(id=2, name="Team-B"),
    ]  # fmt: skip


async def test_reads_documented_members_one_without_an_active_membership() -> None:
    erica_id = "123456:01234567-89ab-cdef-0123-456789abcdef"
    erica = {"self": DOCS_USER + erica_id, "accountId": erica_id, "displayName": "Erica Jefferson"}
    active = {"self": f"{DOCS}/team-memberships/3", "id": 3, "commitmentPercent": 100,
              "from": None, "to": None,
              "role": {"self": f"{DOCS}/roles/1", "id": 1, "name": "Tester"}}  # fmt: skip
    body = collection(
        {"self": "m1", "team": {"self": f"{DOCS}/teams/1"}, "member": JOHN,
         "memberships": {"self": "m1/memberships", "active": active}},
        {"self": "m2", "team": {"self": f"{DOCS}/teams/1"}, "member": erica,
         "memberships": {"self": "m2/memberships"}},
    )  # fmt: skip
    john, erica_member = await answering(body).list_team_members(1)
    assert john.active == ActiveMembership(id=3, commitment_percent=100,
                                           role=RoleRef(id=1, name="Tester"))  # fmt: skip
    assert erica_member.member.display_name == "Erica Jefferson"
    assert erica_member.active is None


async def test_reads_the_documented_membership_with_team_and_member() -> None:
    body = {
        "self": f"{DOCS}/team-memberships/2",
        "id": 2,
        "commitmentPercent": 50,
        "from": "2017-06-01",
        "to": "2017-12-31",
        "role": {"self": f"{DOCS}/roles/2", "id": 2, "name": "Developer"},
        "team": {"self": f"{DOCS}/teams/1", "id": 1, "name": "Team-A"},
        "member": JOHN,
    }
    assert await answering(body).get_membership(2) == Membership(
        id=2, commitment_percent=50, from_=date(2017, 6, 1), to=date(2017, 12, 31),
        role=RoleRef(id=2, name="Developer"), team_id=1, member=JOHN_REF,
    )  # fmt: skip


async def test_reads_the_documented_periods_and_program() -> None:
    periods = {"periods": [{"from": "2017-12-01", "to": "2017-12-31"}]}
    assert await answering(periods).list_periods(date(2017, 12, 1), date(2017, 12, 31)) == [
        Period(from_=date(2017, 12, 1), to=date(2017, 12, 31))
    ]
    program = {"self": f"{DOCS}/programs/1", "id": 1, "name": "P1", "manager": JOHN,
               "teams": {"self": f"{DOCS}/programs/1/teams",
                         "values": [{"self": f"{DOCS}/teams/101", "id": 101,
                                     "name": "Developer"}]}}  # fmt: skip
    assert await answering(program).get_program(1) == Program(
        id=1, name="P1", manager=JOHN_REF, teams=(TeamRef(id=101, name="Developer"),)
    )
