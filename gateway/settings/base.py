"""What every settings table is made of: strict, frozen models and the shared field types."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

Timeout = Annotated[float, Field(gt=0, le=300, description="seconds")]
Count = Annotated[int, Field(ge=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
