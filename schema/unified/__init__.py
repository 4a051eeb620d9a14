"""The unified mutations: one change as the user means it, made in every service that must
change. Each concept's mutations are in their own module (team members, worklogs, meetings,
shifts); `UnifiedMutation` combines them for the root (`schema/mutation.py`)."""

from __future__ import annotations

from strawberry.tools import merge_types

from schema.unified.meetings import MeetingsMutation
from schema.unified.members import MembersMutation
from schema.unified.shifts import ShiftsMutation
from schema.unified.worklogs import WorklogsMutation

UnifiedMutation = merge_types(
    "UnifiedMutation", (MembersMutation, WorklogsMutation, MeetingsMutation, ShiftsMutation)
)

__all__ = ["UnifiedMutation"]
