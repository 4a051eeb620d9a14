"""oncall's writes to users and their notification settings.

A user's create or change answers the user read back with `GET /users/{name}`; a setting's,
the setting read back from its user's settings (`GET /users/{user}/notifications`): oncall
answers these writes with an empty body or an id. Deletes answer the deleted key.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.backends import oncall
from resolvers.services import oncall_people as people_r
from schema.common import CtxInfo
from schema.connections import shown_as
from schema.payloads import IdempotencyKey, Payload, write
from schema.services.oncall import UserName
from schema.services.oncall._shared import doc
from schema.services.oncall.mutations_base import (
    WRITE,
    client,
    deleted,
    fields_of,
    read_back,
    sent,
    unchanged,
)
from schema.services.oncall.users import OncallNotificationSetting, OncallUser

Profile = oncall.User
Setting = oncall.NotificationSetting
NotificationId = Annotated[int, strawberry.argument(description="The setting's id.")]
MODES = "email, sms, call, slack or teams_messenger"


@strawberry.input(description="A new oncall user.")
class CreateOncallUserInput:
    name: str = strawberry.field(description=doc(Profile, "name"))


@strawberry.input(
    description="Where to reach someone, by contact mode: the modes given are set, the others "
    "stay as they are."
)
class OncallContactsInput:
    email: str | None = strawberry.field(default=None, description="Email address.")
    sms: str | None = strawberry.field(default=None, description="Number for text messages.")
    call: str | None = strawberry.field(default=None, description="Number for phone calls.")
    slack: str | None = strawberry.field(default=None, description="Slack handle.")
    teams_messenger: str | None = strawberry.field(
        default=None, description="Microsoft Teams handle."
    )


@strawberry.input(
    description="What to change about an oncall user: at least one field. oncall 2.1.7 cannot "
    "rename a user and change their contacts at once: that takes two changes."
)
class UpdateOncallUserInput:
    name: str | None = strawberry.field(default=None, description=unchanged("A new username"))
    full_name: str | None = strawberry.field(
        default=None, description=unchanged(doc(Profile, "full_name"))
    )
    time_zone: str | None = strawberry.field(
        default=None, description=unchanged(doc(Profile, "time_zone"))
    )
    photo_url: str | None = strawberry.field(
        default=None, description=unchanged(doc(Profile, "photo_url"))
    )
    active: bool | None = strawberry.field(
        default=None, description=unchanged(doc(Profile, "active"))
    )
    contacts: OncallContactsInput | None = strawberry.field(
        default=None, description=unchanged("Where to reach them, by contact mode")
    )


@strawberry.input(description="A new notification setting of a user.")
class CreateOncallNotificationInput:
    team: str = strawberry.field(description=doc(Setting, "team"))
    roles: list[str] = strawberry.field(description=doc(Setting, "roles"))
    mode: str = strawberry.field(description=f"The contact mode it is sent by: {MODES}.")
    type: str = strawberry.field(description=doc(Setting, "type"))
    time_before: int | None = strawberry.field(
        default=None,
        description="For reminders (`oncall_reminder`, `offcall_reminder`), and only for them: "
        "how many seconds before the shift starts or ends.",
    )
    only_if_involved: bool | None = strawberry.field(
        default=None,
        description="For the other types, and only for them: only when the user's own shifts "
        "change.",
    )


@strawberry.input(
    description="A notification setting's new state: `roles`, and whatever else changes. With "
    "a new `type`, give the `timeBefore` or `onlyIfInvolved` it takes."
)
class UpdateOncallNotificationInput:
    roles: list[str] = strawberry.field(
        description=f"{doc(Setting, 'roles').removesuffix('.')} (oncall 2.1.7 needs them on "
        "every edit)."
    )
    team: str | None = strawberry.field(default=None, description=unchanged(doc(Setting, "team")))
    mode: str | None = strawberry.field(
        default=None, description=unchanged(f"The contact mode it is sent by: {MODES}")
    )
    type: str | None = strawberry.field(default=None, description=unchanged(doc(Setting, "type")))
    time_before: int | None = strawberry.field(
        default=None, description=unchanged("For reminders: how many seconds before")
    )
    only_if_involved: bool | None = strawberry.field(
        default=None, description=unchanged(doc(Setting, "only_if_involved"))
    )


def _contacts(given: OncallContactsInput | None) -> dict[str, str] | None:
    if given is None:
        return None
    return {mode: value for mode, value in vars(given).items() if value is not None}


async def _user(info: CtxInfo, name: str) -> OncallUser | None:
    found = await people_r.get_user(info.context, name)
    return OncallUser.of(found) if found else None


async def _setting(info: CtxInfo, user: str, setting_id: int) -> OncallNotificationSetting | None:
    found = await people_r.list_notifications(info.context, user)
    setting = next((n for n in found if n.id == setting_id), None)
    return shown_as(OncallNotificationSetting)(setting) if setting else None


@strawberry.type(description="oncall's writes to users and their notification settings.")
class OncallUserMutation:
    @strawberry.mutation(
        description="Create a bare oncall user (`POST /users`; an admin-only endpoint, open "
        "when oncall runs in auth-debug mode). Answers the user as oncall has it, read back "
        "with `GET /users/{name}` (oncall answers with an empty body).",
        metadata=WRITE,
    )
    async def create_oncall_user(
        self,
        info: CtxInfo,
        input: Annotated[CreateOncallUserInput, strawberry.argument(description="The user.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallUser]:
        async def call() -> str:
            await client(info).create_user(input.name)
            return input.name

        outcome = await write(
            info, name="createOncallUser", service="oncall", data=sent(input=input),
            key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda n: _user(info, n), lambda n: f"no user {n!r}", fields_of(input)
        )

    @strawberry.mutation(
        description="Change an oncall user (`PUT /users/{name}`); contacts merge into theirs. "
        "Answers the user as oncall has it afterwards, read back with `GET /users/{name}` "
        "(oncall answers with an empty body).",
        metadata=WRITE,
    )
    async def update_oncall_user(
        self,
        info: CtxInfo,
        user: UserName,
        input: Annotated[UpdateOncallUserInput, strawberry.argument(description="The changes.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallUser]:
        async def call() -> str:
            await client(info).update_user(
                user, new_name=input.name, full_name=input.full_name, time_zone=input.time_zone,
                photo_url=input.photo_url, active=input.active, contacts=_contacts(input.contacts),
            )  # fmt: skip
            return input.name or user

        outcome = await write(
            info, name="updateOncallUser", service="oncall", data=sent(user=user, input=input),
            key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda n: _user(info, n), lambda n: f"no user {n!r}", fields_of(input)
        )

    @strawberry.mutation(
        description="Delete an oncall user (`DELETE /users/{name}`): they leave every team, "
        "admin list and roster, and their events and notification settings go. Answers the "
        "deleted username (oncall answers 200 for an unknown one too).",
        metadata=WRITE,
    )
    async def delete_oncall_user(
        self, info: CtxInfo, user: UserName, idempotency_key: IdempotencyKey = None
    ) -> Payload[str]:
        async def call() -> str:
            await client(info).delete_user(user)
            return user

        outcome = await write(
            info, name="deleteOncallUser", service="oncall", data=sent(user=user),
            key=idempotency_key, result_type=str, call=call,
        )  # fmt: skip
        return deleted(info, outcome)

    # -- notification settings ---------------------------------------------------------------

    @strawberry.mutation(
        description="Create a notification setting for a user "
        "(`POST /users/{name}/notifications`). Answers the setting as oncall has it, read "
        "back from the user's settings (`GET /users/{name}/notifications`; oncall answers with "
        "its id alone).",
        metadata=WRITE,
    )
    async def create_oncall_notification(
        self,
        info: CtxInfo,
        user: UserName,
        input: Annotated[
            CreateOncallNotificationInput, strawberry.argument(description="The setting.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallNotificationSetting]:
        outcome = await write(
            info, name="createOncallNotification", service="oncall",
            data=sent(user=user, input=input), key=idempotency_key, result_type=int,
            call=lambda: client(info).create_notification(
                user, team=input.team, roles=input.roles, mode=input.mode, type=input.type,
                time_before=input.time_before, only_if_involved=input.only_if_involved,
            ),
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda i: _setting(info, user, i),
            lambda i: f"no notification setting {i} of {user!r}", fields_of(input),
        )  # fmt: skip

    @strawberry.mutation(
        description="Change a notification setting (`PUT /notifications/{id}`). Answers the "
        "setting as oncall has it afterwards, read back from `user`'s settings "
        "(`GET /users/{user}/notifications`: oncall answers with an empty body and has no "
        "read of one setting).",
        metadata=WRITE,
    )
    async def update_oncall_notification(
        self,
        info: CtxInfo,
        user: Annotated[
            str,
            strawberry.argument(
                description="The username the setting belongs to, to read it back from (oncall "
                "edits a setting by its id alone)."
            ),
        ],
        id: NotificationId,
        input: Annotated[
            UpdateOncallNotificationInput, strawberry.argument(description="The changes.")
        ],
        idempotency_key: IdempotencyKey = None,
    ) -> Payload[OncallNotificationSetting]:
        async def call() -> int:
            await client(info).update_notification(
                id, roles=input.roles, team=input.team, mode=input.mode, type=input.type,
                time_before=input.time_before, only_if_involved=input.only_if_involved,
            )  # fmt: skip
            return id

        outcome = await write(
            info, name="updateOncallNotification", service="oncall",
            data=sent(user=user, id=id, input=input), key=idempotency_key, result_type=int,
            call=call,
        )  # fmt: skip
        return await read_back(
            info, outcome, lambda i: _setting(info, user, i),
            lambda i: f"changed setting {i}, but {user!r} has no such setting to read it back",
            fields_of(input),
        )  # fmt: skip

    @strawberry.mutation(
        description="Delete a notification setting (`DELETE /notifications/{id}`; oncall 2.1.7 "
        "fails with an error for an unknown id). Answers the deleted setting's id.",
        metadata=WRITE,
    )
    async def delete_oncall_notification(
        self, info: CtxInfo, id: NotificationId, idempotency_key: IdempotencyKey = None
    ) -> Payload[int]:
        async def call() -> int:
            await client(info).delete_notification(id)
            return id

        outcome = await write(
            info, name="deleteOncallNotification", service="oncall", data=sent(id=id),
            key=idempotency_key, result_type=int, call=call,
        )  # fmt: skip
        return deleted(info, outcome)
