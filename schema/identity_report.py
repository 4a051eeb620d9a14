"""`identityReport`: how people and teams link across the services, for operators.

The same report `teamgraph identity` prints (resolvers.identity_report), as GraphQL. It is an
operator field: it answers only when `[server] operator_fields = true` (see the README's
"Identity"), and otherwise fails with FORBIDDEN.
"""

from __future__ import annotations

import strawberry

from resolvers import identity_report as report_r
from resolvers.backends.errors import Forbidden
from resolvers.context import Context
from resolvers.identity import Identity
from schema.scalars import Service


@strawberry.type(description="One account of a linked person or team, and why it is there.")
class IdentityMember:
    service: Service = strawberry.field(description="The service that has this account.")
    id: str = strawberry.field(description="That service's own id (accountId, username, slug…).")
    name: str | None = strawberry.field(description="The name that service shows.")
    username: str | None = strawberry.field(description="Its username or slug, if any.")
    email: str | None = strawberry.field(description="Its email, if the service shows one.")
    rule: str | None = strawberry.field(
        description="The rule that linked it: config, email, username, name (people) or "
        "slug, name (teams); null for an account that stands alone."
    )
    value: str | None = strawberry.field(
        description="What it shared with the others under that rule: the email, username, "
        "folded name or slug; for config, the entry's key (or its ids)."
    )
    how: str | None = strawberry.field(
        description="The rule and value as a sentence, e.g. `email alice@example.com` or "
        '`configured [[people]] key = "sam"`.'
    )


@strawberry.type(description="A person or team as linked: its key and each account.")
class IdentityCluster:
    key: str = strawberry.field(description="Its key (`User.key` / `Team.key`).")
    name: str = strawberry.field(description="Its display name.")
    configured: bool = strawberry.field(
        description="A `[[people]]` / `[[teams]]` entry names one of its accounts."
    )
    members: list[IdentityMember] = strawberry.field(description="Its accounts, one per service.")


@strawberry.type(description="A value several people (or teams) share, so linking refused it.")
class IdentitySharedValue:
    rule: str = strawberry.field(description="The rule: email, username, name or slug.")
    value: str = strawberry.field(description="The shared value (a name folded: lower case…).")


@strawberry.type(description="People (or teams) a shared value matched, kept apart.")
class IdentityAmbiguity:
    why: str = strawberry.field(description="What they share, and why that merged none of them.")
    reasons: list[IdentitySharedValue] = strawberry.field(
        description="Each rule and value that matched them."
    )
    identities: list[IdentityCluster] = strawberry.field(description="Who is kept apart.")
    resolved: bool = strawberry.field(
        description="Configuration names every one of them: kept apart on purpose."
    )
    suggestion: str = strawberry.field(
        description="TOML entries that would resolve it, candidates commented out for the "
        "operator to choose; empty once resolved."
    )


@strawberry.type(description="A configured entry that does not do what it says.")
class IdentityConfigProblem:
    entry: str = strawberry.field(description='The entry: `key = "sam"`, or its ids.')
    message: str = strawberry.field(description="What is wrong, and what to do.")


@strawberry.type(description="How the people, or the teams, are linked.")
class IdentityKindReport:
    linked: list[IdentityCluster] = strawberry.field(
        description="More than one account, or named by configuration."
    )
    unlinked: list[IdentityCluster] = strawberry.field(
        description="One account that no rule matched with any other, and in no ambiguity."
    )
    ambiguities: list[IdentityAmbiguity] = strawberry.field(
        description="Unresolved: kept apart until configuration says who is who."
    )
    resolved: list[IdentityAmbiguity] = strawberry.field(description="Kept apart by configuration.")
    problems: list[IdentityConfigProblem] = strawberry.field(
        description="Configured entries naming ids no service has, or that clash."
    )


@strawberry.type(description="A service whose accounts are missing from the report.")
class IdentityFailure:
    service: Service = strawberry.field(description="The service that failed.")
    code: str = strawberry.field(description="Its error code, as in `errors[]`.")
    message: str = strawberry.field(description="What failed, and what to do.")


@strawberry.type(description="How people and teams link across the configured services.")
class IdentityReport:
    services: list[Service] = strawberry.field(description="The configured services.")
    failures: list[IdentityFailure] = strawberry.field(
        description="Services that could not be listed: the report lacks their accounts."
    )
    people: IdentityKindReport = strawberry.field(description="People (`[[people]]`).")
    teams: IdentityKindReport = strawberry.field(description="Teams (`[[teams]]`).")
    suggestion: str = strawberry.field(
        description="Every unresolved ambiguity's TOML entries, ready to paste into the config."
    )


async def get_identity_report(ctx: Context) -> IdentityReport:
    if not ctx.operator_fields:
        raise Forbidden(
            "identityReport is an operator field and is off; set `operator_fields = true` in "
            "[server] (with [server.auth] on, so only your callers reach it), or run "
            "`teamgraph identity` on the gateway's host"
        )
    report = await report_r.build_identity_report(ctx)
    return IdentityReport(
        services=[Service(s) for s in report.services],
        failures=[
            IdentityFailure(service=Service(f.service), code=f.code, message=f.message)
            for f in report.failures
        ],
        people=_kind(report.people),
        teams=_kind(report.teams),
        suggestion=report.suggestion_toml(),
    )


def _kind(kind: report_r.KindReport) -> IdentityKindReport:
    return IdentityKindReport(
        linked=[_cluster(kind, i) for i in kind.linked],
        unlinked=[_cluster(kind, i) for i in kind.unlinked],
        ambiguities=[_ambiguity(kind, a) for a in kind.ambiguities],
        resolved=[_ambiguity(kind, a) for a in kind.resolved],
        problems=[IdentityConfigProblem(entry=p.entry, message=p.message) for p in kind.problems],
    )


def _cluster(kind: report_r.KindReport, identity: Identity) -> IdentityCluster:
    members = []
    for service, account in identity.accounts.items():
        match = identity.matches.get(service)
        members.append(
            IdentityMember(
                service=Service(service),
                id=account.id,
                name=account.name,
                username=account.username,
                email=account.email,
                rule=match.rule if match else None,
                value=match.value if match else None,
                how=report_r.describe_match(kind.kind, match, account) if match else None,
            )
        )
    return IdentityCluster(
        key=identity.key,
        name=report_r.display_name(kind.kind, identity),
        configured=identity.configured,
        members=members,
    )


def _ambiguity(kind: report_r.KindReport, ambiguity: report_r.Ambiguity) -> IdentityAmbiguity:
    return IdentityAmbiguity(
        why=ambiguity.why,
        reasons=[IdentitySharedValue(rule=r.rule, value=r.value) for r in ambiguity.reasons],
        identities=[_cluster(kind, i) for i in ambiguity.identities],
        resolved=ambiguity.resolved,
        suggestion=kind.suggestion_for(ambiguity),
    )
