"""Page-wise reading in a stable order, and `updated_since` for synchronisation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from app.extensions import db


def page_of_rows(query: Select, args: dict[str, Any], *, order_by, updated_column=None) -> tuple[list, dict]:
    """One page of the query's rows ordered by `order_by` (unique, so pages never overlap) and its metadata."""
    if updated_column is not None and args.get("updated_since") is not None:
        query = query.where(updated_column >= args["updated_since"])
    query = query.order_by(None).order_by(order_by)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page, per_page = args["page"], args["per_page"]
    rows = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return rows, page_meta(page, per_page, total)


def page_meta(page: int, per_page: int, total: int) -> dict[str, Any]:
    """The pagination block of an answer."""
    return {"page": page, "per_page": per_page, "total": total,
            "next_page": page + 1 if page * per_page < total else None}


def page_of_list(items: list, args: dict[str, Any]) -> tuple[list, dict]:
    """One page of an already computed, ordered list."""
    page, per_page = args["page"], args["per_page"]
    start = (page - 1) * per_page
    return items[start:start + per_page], page_meta(page, per_page, len(items))
