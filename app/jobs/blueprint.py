"""Routes of the job package: the heavy documents' progress and download pages.

Every route of the package is listed in init_app.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from app.jobs import admin_views


def init_app(app: Flask) -> None:
    """Register the document pages."""
    bp = Blueprint("jobs", __name__)
    # administrators
    bp.add_url_rule("/admin/competitions/<int:competition_id>/documents/<kind_name>",
                    view_func=admin_views.document_page)
    bp.add_url_rule("/admin/competitions/<int:competition_id>/documents/<kind_name>/<key>",
                    view_func=admin_views.document_download)
    app.register_blueprint(bp)
