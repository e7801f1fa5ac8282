"""The supply estimate's parameters ([supply] in crossline.toml), each with the reason for
its default. None is fitted to a simulated seed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SupplyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt parameter is an error

    confirm_window_s: int = Field(
        1800,
        gt=0,
        description="A potential transaction is confirmed when the line, or one of its "
        "runners, contacts the customer back within this many seconds of the order, the "
        "same day. Atha (EWJ 62, 2025) describes 'a limited time period that day' without a "
        "figure; half an hour covers a reply to a texted order and a runner's call to say "
        "where to meet, and stays short of the next order the same user may place.",
    )
    count_texts: bool = Field(
        True,
        description="Count incoming texts as orders as well as calls. The police algorithm "
        "Atha criticises counts calls; text orders are the caveat he names, and the "
        "metadata holds them, so they are counted unless a force's practice says not.",
    )
    area_min_share: float = Field(
        0.1,
        ge=0,
        le=1,
        description="A force area counts as one the line sells into when at least this "
        "share of its customers' incoming contacts come from a cell there: a customer "
        "passing through another area once is not a market.",
    )
