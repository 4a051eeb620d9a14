"""Which person or team a mutation's input names, refusing to guess.

Identity is resolved as reads resolve it, with one difference: where a read takes the first
match, a write refuses a text that fits more than one identity. The rules, strongest first:

1. our key (``alice``, ``sam.taylor``);
2. for a person, an email or username in any service; for a team, any service's id or slug;
3. a display name (normalised: accents, case, punctuation), only if exactly one identity
   has it.

Nothing found is a user error with code ``NOT_FOUND``; several is ``AMBIGUOUS`` and lists
the candidates' keys, so the caller can send one of them. The two demo people called
"Sam Taylor" are the example: their name is ambiguous, their keys are not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from resolvers.context import Context
from resolvers.identity import Account, Directory, Identity, normalize_name
from resolvers.writes import Refused, UserError

Field = tuple[str, ...]


async def person_named(ctx: Context, text: str, field: Field) -> Identity:
    """The one person `text` names (see the module docstring), else a user error."""
    directory = await ctx.directory()
    wanted = text.strip().lower()

    def handle(a: Account) -> Iterable[str]:
        return ((a.email or "").strip().lower(), (a.username or "").lower())

    return _one(
        "person",
        text,
        field,
        directory,
        directory.person("key", wanted),
        directory.people,
        lambda a: wanted in handle(a),
        hint="a key, email or username from `users`",
    )


async def team_named(ctx: Context, text: str, field: Field) -> Identity:
    """The one team `text` names (see the module docstring), else a user error."""
    directory = await ctx.directory()
    wanted = text.strip().lower()
    return _one(
        "team",
        text,
        field,
        directory,
        directory.team("key", wanted),
        directory.teams,
        lambda a: wanted in (a.id.lower(), (a.username or "").lower()),
        hint="a key, slug or id from `teams`",
    )


def _one(
    what: str,
    text: str,
    field: Field,
    directory: Directory,
    by_key: Identity | None,
    everyone: list[Identity],
    handle_fits: Callable[[Account], bool],
    *,
    hint: str,
) -> Identity:
    if by_key is not None:
        return by_key
    name = normalize_name(text)
    rules: list[Callable[[Account], bool]] = [
        handle_fits,
        lambda a: bool(a.name) and normalize_name(a.name or "") == name,
    ]
    for fits in rules:
        found = [i for i in everyone if any(fits(a) for a in i.accounts.values())]
        if len(found) == 1:
            return found[0]
        if found:
            keys = ", ".join(sorted(i.key for i in found))
            plural = "people" if what == "person" else f"{what}s"
            raise Refused(
                UserError(
                    f"{text!r} could be any of {len(found)} {plural} ({keys}); "
                    f"pass the key of the one you mean",
                    "AMBIGUOUS",
                    field,
                )
            )
    missing = ""
    if directory.failures:
        down = ", ".join(sorted(directory.failures))
        missing = f" (not every service could be asked: {down} failed)"
    raise Refused(UserError(f"no {what} {text!r}{missing}; use {hint}", "NOT_FOUND", field))
