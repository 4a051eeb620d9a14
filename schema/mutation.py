"""The root Mutation: every API's writes as flat fields (`createTempoWorklog`,
`deleteOncallEvent`, …), and the unified mutations that change several services at once.

Only top-level mutation fields run in order, so writes are flat root fields, named verb +
service + object. Each API's group lives in `schema/services/<api>/mutations.py` as a class
named `<Api>Mutation`; this module merges whichever exist.
"""

from __future__ import annotations

import importlib

import strawberry

GROUPS = (
    ("schema.services.tempo.mutations", "TempoMutation"),
    ("schema.services.oncall.mutations", "OncallMutation"),
    ("schema.services.teamoclock.mutations", "TeamOclockMutation"),
    ("schema.services.teampulse.mutations", "TeamPulseMutation"),
    ("schema.services.hack24.mutations", "Hack24Mutation"),
    ("schema.unified", "UnifiedMutation"),  # changes across services
)


def _groups() -> tuple[type, ...]:
    found: list[type] = []
    for module_name, name in GROUPS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise  # a broken import inside the module, not a missing group
            continue
        found.append(getattr(module, name))
    return tuple(found)


# What strawberry's merge_types does, plus the description it cannot take: the root type is
# described like every other (codegen puts it on the generated Mutation type).
Mutation = strawberry.type(
    type("Mutation", _groups(), {}),
    description="Every change Teamgraph makes: each API's writes, one field per write endpoint "
    "(`createTempoWorklog`, …), and the unified mutations that change every service concerned "
    "(`addTeamMember`, …). Fields run one after the other, in order.",
)
