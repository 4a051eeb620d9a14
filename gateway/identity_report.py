"""`teamgraph identity`: fetch every service's people and teams once, link them as the gateway
does, and print the report (resolvers.identity_report) as text, JSON or TOML suggestions."""

from __future__ import annotations

import json
from typing import Any, Literal

from gateway.app import identity_links, utc_now
from gateway.backends import TransportFor, open_backends
from gateway.settings import Settings
from resolvers.context import build_context
from resolvers.identity import Identity
from resolvers.identity_report import (
    Ambiguity,
    IdentityReport,
    KindReport,
    build_identity_report,
    describe_match,
    display_name,
)

Format = Literal["text", "json", "toml"]


async def fetch_identity_report(
    settings: Settings, *, transport_for: TransportFor | None = None
) -> IdentityReport:
    """Open the configured backends, list everyone once, and report on the linking."""
    async with open_backends(settings, transport_for=transport_for) as backends:
        ctx = build_context(backends, links=identity_links(settings), clock=utc_now)
        return await build_identity_report(ctx)


def render(report: IdentityReport, fmt: Format, *, source: str) -> str:
    if fmt == "json":
        return json.dumps(as_json(report), indent=2, ensure_ascii=False)
    if fmt == "toml":
        return report.suggestion_toml() or "# nothing to resolve: no ambiguous matches\n"
    return render_text(report, source=source)


# -- text --------------------------------------------------------------------------------------


def render_text(report: IdentityReport, *, source: str) -> str:
    lines = [f"Identity across {', '.join(report.services) or 'no services'} ({source})"]
    for failure in report.failures:
        lines.append(
            f"  ! {failure.service} failed ({failure.code}: {failure.message}); its accounts "
            "are missing below: fix it (`teamgraph check`) and run again"
        )
    for kind in (report.people, report.teams):
        lines += ["", *_kind_text(kind)]
    toml = report.suggestion_toml()
    if toml:
        lines += [
            "",
            f"# -- Suggested configuration: paste into {source}, keep the candidate lines that",
            "# -- are right, then run `teamgraph identity` again to see them resolved.",
            "",
            toml.rstrip("\n"),
        ]
    return "\n".join(lines) + "\n"


def _kind_text(kind: KindReport) -> list[str]:
    noun = "person" if kind.kind == "people" else "team"
    lines = [
        f"{kind.kind.capitalize()}: {len(kind.linked)} linked, {len(kind.unlinked)} unlinked, "
        f"{len(kind.ambiguities)} ambiguous, {len(kind.resolved)} kept apart by configuration"
    ]
    if kind.linked:
        lines.append(f"  Linked (each account, and the rule that linked it to this {noun}):")
        for identity in kind.linked:
            lines += _identity_text(kind, identity)
    if kind.unlinked:
        lines.append("  Unlinked (one account that no rule matched with any other):")
        lines += [f"    {_account_text(i)}" for i in kind.unlinked]
    if kind.ambiguities:
        lines.append(f"  Ambiguous (kept apart; choose with {kind.table}, see the suggestion):")
        for ambiguity in kind.ambiguities:
            lines += _ambiguity_text(ambiguity)
    if kind.resolved:
        lines.append("  Kept apart by configuration (resolved ambiguities):")
        for ambiguity in kind.resolved:
            lines += _ambiguity_text(ambiguity)
    if kind.problems:
        lines.append(f"  Configuration problems ({kind.table}):")
        lines += [f"    {p.entry}: {p.message}" for p in kind.problems]
    return lines


def _identity_text(kind: KindReport, identity: Identity) -> list[str]:
    lines = [f"    {identity.key}  {display_name(kind.kind, identity)}"]
    for service, account in identity.accounts.items():
        match = identity.matches.get(service)
        how = describe_match(kind.kind, match, account) if match else "-"
        lines.append(f"      {service:<11}{account.id:<44} {how}")
    return lines


def _account_text(identity: Identity) -> str:
    account = next(iter(identity.accounts.values()))
    return f"{account.service:<11}{account.id:<44} {account.name or ''}".rstrip()


def _ambiguity_text(ambiguity: Ambiguity) -> list[str]:
    lines = [f"    {ambiguity.why}:"]
    for identity in ambiguity.identities:
        accounts = ", ".join(f"{a.service} {a.id}" for a in identity.accounts.values())
        lines.append(f"      {identity.key}: {accounts}")
    return lines


# -- JSON --------------------------------------------------------------------------------------


def as_json(report: IdentityReport) -> dict[str, Any]:
    return {
        "services": list(report.services),
        "failures": [
            {"service": f.service, "code": f.code, "message": f.message} for f in report.failures
        ],
        "people": _kind_json(report.people),
        "teams": _kind_json(report.teams),
        "suggestion": report.suggestion_toml(),
    }


def _kind_json(kind: KindReport) -> dict[str, Any]:
    def identity(i: Identity) -> dict[str, Any]:
        accounts = []
        for service, a in i.accounts.items():
            match = i.matches.get(service)
            accounts.append(
                {"service": service, "id": a.id, "name": a.name, "username": a.username,
                 "email": a.email, "rule": match.rule if match else None,
                 "value": match.value if match else None}
            )  # fmt: skip
        name = display_name(kind.kind, i)
        return {"key": i.key, "name": name, "configured": i.configured, "accounts": accounts}

    def ambiguity(a: Ambiguity) -> dict[str, Any]:
        return {
            "why": a.why,
            "reasons": [{"rule": r.rule, "value": r.value} for r in a.reasons],
            "identities": [identity(i) for i in a.identities],
            "resolved": a.resolved,
            "suggestion": kind.suggestion_for(a),
        }

    return {
        "linked": [identity(i) for i in kind.linked],
        "unlinked": [identity(i) for i in kind.unlinked],
        "ambiguities": [ambiguity(a) for a in kind.ambiguities],
        "resolved": [ambiguity(a) for a in kind.resolved],
        "problems": [{"entry": p.entry, "message": p.message} for p in kind.problems],
    }
