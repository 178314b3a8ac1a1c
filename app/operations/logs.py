"""Logging set-up: one JSON object per line (LOG_FORMAT=json) or readable text, each with the request id."""

from __future__ import annotations

import logging

from pythonjsonlogger.json import JsonFormatter

from app.operations.request_ids import RequestIdFilter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"


def build_handler(log_format: str) -> logging.Handler:
    """A stderr handler that writes JSON or text and knows the request id."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level",
                                                                       "name": "logger"}))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    return handler


def configure_logging(level: int, log_format: str) -> None:
    """Replace the root logger's handlers with ours (gunicorn, worker and CLI log alike)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_ideenwettbewerb", False):
            root.removeHandler(handler)
    handler = build_handler(log_format)
    handler._ideenwettbewerb = True  # type: ignore[attr-defined] - ours, replaced on the next set-up
    root.addHandler(handler)
    root.setLevel(level)
