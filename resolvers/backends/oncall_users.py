"""oncall users and their notification settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resolvers.backends.errors import BadRequest
from resolvers.backends.oncall_base import CREATED, OncallBase, given, path
from resolvers.backends.oncall_models import Names, NotificationSetting, User


class OncallUsers(OncallBase):
    async def list_users(self, *, active: bool | None = None) -> list[User]:
        """Every user with contacts, in ONE call (the way to batch users by name)."""
        params = None if active is None else {"active": int(active)}
        return await self.get_model("/users", list[User], params=params)

    async def create_user(self, name: str) -> None:
        """Create a bare user (an admin-only endpoint: 403 unless the server runs in
        auth-debug mode)."""
        await self._write("POST", "/users", {"name": name}, expect=CREATED)

    async def get_user(self, name: str) -> User | None:
        return await self.get_optional(path("users", name), User)

    async def update_user(
        self, name: str, *, new_name: str | None = None, full_name: str | None = None,
        time_zone: str | None = None, photo_url: str | None = None, active: bool | None = None,
        contacts: Mapping[str, str] | None = None,
    ) -> None:  # fmt: skip
        """Change the given fields; ``contacts`` (mode -> destination) merge into the
        existing ones. 2.1.7 cannot rename and set contacts in one request (a 500)."""
        if new_name is not None and contacts is not None:
            raise BadRequest("rename the user and change contacts in two calls (oncall fails "
                             "when both come in one request)")  # fmt: skip
        body = given(name=new_name, full_name=full_name, time_zone=time_zone,
                     photo_url=photo_url, active=None if active is None else int(active),
                     contacts=dict(contacts) if contacts is not None else None)  # fmt: skip
        if not body:
            raise BadRequest("update_user needs at least one field to change")
        await self._write("PUT", path("users", name), body)

    async def delete_user(self, name: str) -> None:
        """Delete a user: they leave every team and roster, and their events go."""
        await self._write("DELETE", path("users", name))

    async def list_user_teams(self, name: str) -> list[str]:
        """Active teams the user belongs to; ``[]`` for an unknown user (a 404 upstream)."""
        found = await self.get_optional(path("users", name, "teams"), Names)
        return found or []

    # -- notification settings -----------------------------------------------------------------

    async def list_user_notifications(self, user: str) -> list[NotificationSetting]:
        return await self.get_model(path("users", user, "notifications"),
                                    list[NotificationSetting])  # fmt: skip

    async def create_notification(
        self, user: str, *, team: str, roles: Sequence[str], mode: str, type: str,
        time_before: int | None = None, only_if_involved: bool | None = None,
    ) -> int:  # fmt: skip
        """Create a setting; returns its id. Reminder types (``oncall_reminder``,
        ``offcall_reminder``) take ``time_before`` (seconds), the others
        ``only_if_involved``."""
        body = given(team=team, roles=list(roles), mode=mode, type=type,
                     time_before=time_before, only_if_involved=only_if_involved)  # fmt: skip
        return await self._created_id(path("users", user, "notifications"), body)

    async def update_notification(
        self, notification_id: int, *, roles: Sequence[str], team: str | None = None,
        mode: str | None = None, type: str | None = None, time_before: int | None = None,
        only_if_involved: bool | None = None,
    ) -> None:  # fmt: skip
        """Edit a setting. 2.1.7 needs ``roles`` on every edit (it fails with 500 without).
        With a new ``type``, both ``time_before`` and ``only_if_involved`` are sent (the one
        not given as null), so a reminder can become a notification and back."""
        body = given(roles=list(roles), team=team, mode=mode, type=type,
                     time_before=time_before, only_if_involved=only_if_involved)  # fmt: skip
        if type is not None:
            body |= {"time_before": time_before, "only_if_involved": only_if_involved}
        await self._write("PUT", f"/notifications/{notification_id}", body)

    async def delete_notification(self, notification_id: int) -> None:
        """Delete a setting. Beware: 2.1.7 answers an unknown id with 500."""
        await self._write("DELETE", f"/notifications/{notification_id}")
