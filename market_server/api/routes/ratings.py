"""Ratings: one per impression, by its owner, within the rating window. A summary (with the
model's contribution to the user's blended list) by default; per-item feedback only when the
user opts in (it pays the user more), naming items of the model's catalog. Under rules 3 its
vote changes (a few times) until the epoch it was counted in settles."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Annotated, Literal, Self

from fastapi import APIRouter, HTTPException, Path, status
from pydantic import Field, StrictInt, StringConstraints, model_validator
from sqlmodel import SQLModel, select

from ledger.economy import MAX_LIST_LENGTH
from market_server import crud
from market_server.api.deps import CatalogIdsDep, CurrentUser, SessionDep, SettingsDep, StoreDep
from market_server.bundles import stored_catalog
from market_server.models import Impression, Rating, RatingPublic, VoteChangePublic, utcnow
from recommenders.bundle import DEFAULT_LIMITS

router = APIRouter(prefix="/ratings", tags=["ratings"])
MAX_SHOWN = MAX_LIST_LENGTH
# Counts are JSON integers only: true or "5" is refused, not coerced.
Count = Annotated[StrictInt, Field(ge=0, le=MAX_SHOWN)]
# What a catalog accepts as an item id (recommenders.bundle): anything else was never shown.
ItemId = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=DEFAULT_LIMITS.id_chars, pattern=r"^[^\x00-\x1f\x7f-\x9f]+$"
    ),
]


class ItemFeedback(SQLModel):
    item_id: ItemId
    vote: Literal["like", "dislike"]


class Vote(SQLModel):
    """What a rating says and a vote change replaces: counts, contribution, per-item votes."""

    liked: Count
    disliked: Count
    contribution: StrictInt = Field(
        ge=-MAX_SHOWN,
        le=MAX_SHOWN,
        description="the model's contribution to your blended list: its liked items there "
        "that the list would lack without it, minus such disliked items "
        "(-disliked <= contribution <= liked)",
    )
    items: list[ItemFeedback] | None = Field(
        default=None,
        max_length=MAX_SHOWN,
        description="per-item feedback, sent only when the user opts in to share it",
    )

    @model_validator(mode="after")
    def _consistent_vote(self) -> Self:
        if not -self.disliked <= self.contribution <= self.liked:
            raise ValueError("contribution must lie between -disliked and liked")
        if self.items is not None:
            likes = sum(item.vote == "like" for item in self.items)
            if (likes, len(self.items) - likes) != (self.liked, self.disliked):
                raise ValueError("per-item votes must add up to liked and disliked")
            if len({item.item_id for item in self.items}) != len(self.items):
                raise ValueError("one vote per item")
        return self


class RatingCreate(Vote):
    impression_id: str = Field(min_length=1, max_length=32)
    shown: Count

    @model_validator(mode="after")
    def _within_shown(self) -> Self:
        if self.liked + self.disliked > self.shown:
            raise ValueError("liked + disliked cannot exceed shown")
        return self


def _per_item_votes(
    body: Vote, model_id: int, session: SessionDep, catalogs: CatalogIdsDep
) -> list[dict[str, str]] | None:
    """The per-item votes as stored, once every item is known to the model's catalog (400)."""
    if body.items is None:
        return None
    unknown = catalogs.first_unknown(
        model_id,
        lambda: stored_catalog(session, model_id),
        (item.item_id for item in body.items),
    )
    if unknown is not None:
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            f"item {unknown!r} is not in the catalog of model {model_id}: "
            "per-item feedback names items the model showed",
        )
    return [item.model_dump() for item in body.items]


@router.post(
    "",
    response_model=RatingPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        400: {"description": "shown over the impression's list, or an item not in the catalog"}
    },
)
def rate(
    body: RatingCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    catalogs: CatalogIdsDep,
) -> RatingPublic:
    """Rate an impression (once); attention payments, if the model bids, follow at once."""
    impression = session.get(Impression, body.impression_id)
    if impression is None or impression.user_id != user.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such impression")
    created = impression.created_at
    if created.tzinfo is None:  # SQLite returns naive datetimes; they were stored in UTC
        created = created.replace(tzinfo=UTC)
    if utcnow() - created > timedelta(seconds=settings.rating_window_s):
        raise HTTPException(status.HTTP_410_GONE, "the rating window of this impression closed")
    per_item = _per_item_votes(body, impression.model_id, session, catalogs)
    try:
        result = crud.record_rating(
            session=session,
            store=store,
            user=user,
            impression=impression,
            shown=body.shown,
            liked=body.liked,
            disliked=body.disliked,
            contribution=body.contribution,
            per_item=per_item,
        )
    except crud.ShownOverList as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from None
    if result is None:
        raise HTTPException(status.HTTP_409_CONFLICT, "this impression is already rated")
    return result


@router.put(
    "/{impression_id}",
    response_model=VoteChangePublic,
    responses={
        400: {"description": "the same vote, counts over what was shown, or per-item mismatch"},
        404: {"description": "you have not rated this impression"},
        409: {"description": "the rating's epoch is settled (or the rules allow no changes)"},
        429: {"description": "the vote has changed as often as the rules allow"},
    },
)
def change_vote(
    impression_id: Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")],
    body: Vote,
    user: CurrentUser,
    session: SessionDep,
    catalogs: CatalogIdsDep,
    store: StoreDep,
) -> VoteChangePublic:
    """Change the vote of your rating while its epoch is open; no attention is paid again."""
    rating = session.exec(select(Rating).where(Rating.impression_id == impression_id)).first()
    if rating is None or rating.user_id != user.id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "you have not rated this impression")
    per_item = _per_item_votes(body, rating.model_id, session, catalogs)
    try:
        return crud.change_vote(
            session=session,
            store=store,
            rating=rating,
            liked=body.liked,
            disliked=body.disliked,
            contribution=body.contribution,
            per_item=per_item,
        )
    except crud.VoteUnchangeable as error:
        raise HTTPException(error.status, str(error)) from None
