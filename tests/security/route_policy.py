"""The route policy: for every endpoint, what each role gets (see tests/security/test_route_policy.py).

Each entry is six outcome classes in the order of world.ROLES:
anonymous, applicant (unrelated), owner (the owning applicant / network operator), juror (assigned to
the owner's submitted proposal), conflicted_juror (same jury, conflict with that proposal), admin.

Classes: "ok" (2xx, or 3xx to a page that is not the login page), "login" (302 to /login), "403",
"404" (another user's object: its existence is not revealed), "refused" (POST only: answered like
"ok" – a redirect back with a message – but the service refuses and nothing changes), "n/a" (role
not meaningful; the comment says why). For endpoints that only accept POST the class is that of a
POST with a valid CSRF token; "ok" cells of such endpoints are not posted here (the state change
belongs to the area's own tests), every other cell is posted and must leave the database unchanged.
URL arguments: route_args.py.
"""

from __future__ import annotations

ADMIN_ONLY = "login 403 403 403 403 ok"   # @admin_required: logged-in non-admins get 403
PUBLIC = "ok ok ok ok ok ok"
LOGGED_IN = "login ok ok ok ok ok"        # any account; the page shows only the user's own things
OWNER_ONLY = "login 404 ok 404 404 404"   # the owner's own object; nobody else learns it exists
OWNER_OR_ADMIN = "login 404 ok 404 404 ok"
JURY_WORK = "login 404 404 ok 404 ok"     # assigned juror and admin; the conflicted juror sees nothing
JURY_MEMBER = "login 403 403 ok ok 403"   # any seat on the competition's jury (conflicted or not)
# The JSON API reads a bearer token only, never the session: every browser session is a visitor
# there (tokens and what they see: tests/api/).
API_TOKEN = "401 401 401 401 401 401"
# The readiness probe in the test database, which create_all made (no migration head): "not ready" is
# its answer, not a failure; the checks that no page answers 5xx leave it out.
NOT_READY = "503 503 503 503 503 503"

POLICY: dict[str, str] = {
    # --- accounts ---------------------------------------------------------------------------
    # Invalid tokens: a message and a redirect to where a new link can be requested, for everyone.
    "accounts.accept_invitation": PUBLIC,
    "accounts.confirm_email": "login login login login login login",  # invalid link → message on the login page
    "accounts.reset_password": PUBLIC,
    "accounts.login": PUBLIC,           # logged-in users are redirected to the start page
    "accounts.register": PUBLIC,        # logged-in users are redirected to the start page
    "accounts.request_reset": PUBLIC,
    "accounts.logout": LOGGED_IN,       # POST; anonymous users are sent to the login page
    "accounts.profile": LOGGED_IN,
    "accounts.logout_everywhere": LOGGED_IN,  # POST; anonymous users are sent to the login page
    "accounts.admin_users": ADMIN_ONLY,
    "accounts.admin_invite": ADMIN_ONLY,
    "accounts.admin_user": ADMIN_ONLY,
    "accounts.admin_confirm": ADMIN_ONLY,
    "accounts.admin_resend_link": ADMIN_ONLY,
    "accounts.admin_copy_link": ADMIN_ONLY,
    "accounts.admin_deactivate": ADMIN_ONLY,
    "accounts.admin_reactivate": ADMIN_ONLY,
    "accounts.admin_grant": ADMIN_ONLY,
    "accounts.admin_revoke": ADMIN_ONLY,
    # --- core -------------------------------------------------------------------------------
    "core.index": PUBLIC,
    "core.health": PUBLIC,
    # --- operations: probes need no login and reveal nothing; metrics only with METRICS_TOKEN (unset here)
    "operations.healthz": PUBLIC,
    # The test database is made by create_all, not at the migration head: not ready, for everyone alike.
    "operations.readyz": NOT_READY,
    "operations.metrics": "404 404 404 404 404 404",
    # --- jobs: heavy documents -------------------------------------------------------------------
    "jobs.document_page": ADMIN_ONLY,
    "jobs.document_download": ADMIN_ONLY,   # an outdated key sends the admin back to the document page
    "core.set_language": PUBLIC,        # POST; anyone may switch the language
    "static": PUBLIC,
    "core.favicon": PUBLIC,
    "core.audit_trail": ADMIN_ONLY,
    "core.outbox": ADMIN_ONLY,
    "core.outbox_message": ADMIN_ONLY,
    # --- legal pages and privacy ------------------------------------------------------------
    "legal.imprint": PUBLIC,
    "legal.privacy": PUBLIC,
    "legal.accessibility": PUBLIC,
    "legal.send_feedback": PUBLIC,      # POST; anyone may report a barrier (rate-limited)
    "legal.confirm_privacy": LOGGED_IN,  # without a published notice: back to the start page
    "legal.admin_texts": ADMIN_ONLY,
    "legal.admin_edit": ADMIN_ONLY,
    "legal.admin_version": ADMIN_ONLY,
    "privacy.export_data": LOGGED_IN,   # the user's own data only
    "privacy.request_deletion": LOGGED_IN,  # POST; for oneself only
    "privacy.admin_requests": ADMIN_ONLY,
    "privacy.admin_export": ADMIN_ONLY,  # POST; the download of a person's data for a letter
    "privacy.admin_request": ADMIN_ONLY,
    "privacy.admin_complete": ADMIN_ONLY,
    "privacy.admin_decline": ADMIN_ONLY,
    "privacy.admin_retention": ADMIN_ONLY,
    "privacy.admin_retention_edit": ADMIN_ONLY,
    # --- competitions -----------------------------------------------------------------------
    "competitions.public_list": PUBLIC,
    "competitions.public_call": PUBLIC,
    "competitions.admin_list": ADMIN_ONLY,
    "competitions.admin_create": ADMIN_ONLY,
    "competitions.admin_detail": ADMIN_ONLY,
    "competitions.admin_home": ADMIN_ONLY,
    "competitions.admin_cockpit": ADMIN_ONLY,
    "competitions.admin_edit": ADMIN_ONLY,
    "competitions.admin_advance": ADMIN_ONLY,
    "competitions.admin_criteria": ADMIN_ONLY,
    "competitions.admin_criterion_edit": ADMIN_ONLY,
    "competitions.admin_criterion_delete": ADMIN_ONLY,
    # --- proposals (the owner's draft in the open call) ----------------------------------------
    "proposals.dashboard": LOGGED_IN,
    "proposals.create_draft": LOGGED_IN,  # any account may start a proposal in an open call
    "proposals.detail": OWNER_OR_ADMIN,
    "proposals.print_view": OWNER_OR_ADMIN,
    "proposals.download_letter": OWNER_OR_ADMIN,
    "proposals.download_attachment": OWNER_OR_ADMIN,
    # Editing is the owner's alone; admins see the draft but may not change it (403, not 404).
    "proposals.edit_start": "login 404 ok 404 404 403",
    "proposals.edit": "login 404 ok 404 404 403",
    "proposals.review": "login 404 ok 404 404 403",
    "proposals.withdraw": "login 404 ok 404 404 403",
    "proposals.submit": "login 404 ok 404 404 403",
    "proposals.upload_attachment": "login 404 ok 404 404 403",
    "proposals.delete_attachment": "login 404 ok 404 404 403",
    "proposals.admin_list": ADMIN_ONLY,
    "proposals.admin_detail": ADMIN_ONLY,
    "proposals.admin_export": ADMIN_ONLY,
    "proposals.admin_precheck": ADMIN_ONLY,
    "proposals.admin_reopen": ADMIN_ONLY,
    # --- jury (the owner's submitted proposal in the review competition) -----------------------
    "jury.dashboard": LOGGED_IN,        # shows only the user's own seats (none for non-jurors)
    "jury.declaration": JURY_MEMBER,
    "jury.conflicts": JURY_MEMBER,
    "jury.proposal": JURY_WORK,
    "jury.attachment": JURY_WORK,
    "jury.reviews": JURY_WORK,
    "jury.discussion": JURY_WORK,
    "jury.consensus": JURY_WORK,
    # Scoring is for the assigned juror only; admins do not review (404 like any non-assignee).
    "jury.review": "login 404 404 ok 404 404",
    "jury.review_submit": "login 404 404 ok 404 404",
    "jury.review_autosave": "login 404 404 ok 404 404",
    # Approving the rapporteur's report is a juror's act: admins may open the page, but the service
    # refuses their approval (flash message, nothing recorded); they confirm on their own page.
    "jury.consensus_approve": "login 404 404 ok 404 refused",
    "jury.consensus_revise": "login 404 404 ok 404 403",  # only the rapporteur revises
    "jury.admin_jury": ADMIN_ONLY,
    "jury.admin_appoint_juror": ADMIN_ONLY,
    "jury.admin_remove_member": ADMIN_ONLY,
    "jury.admin_conflicts": ADMIN_ONLY,
    "jury.admin_proposed_conflicts": ADMIN_ONLY,
    "jury.admin_add_conflict": ADMIN_ONLY,
    "jury.admin_detect_conflicts": ADMIN_ONLY,
    "jury.admin_lift_conflict": ADMIN_ONLY,
    "jury.admin_assignments": ADMIN_ONLY,
    "jury.admin_assign_auto": ADMIN_ONLY,
    "jury.admin_add_reviewer": ADMIN_ONLY,
    "jury.admin_replace_reviewer": ADMIN_ONLY,
    "jury.admin_remove_assignment": ADMIN_ONLY,
    "jury.admin_progress": ADMIN_ONLY,
    "jury.admin_send_reminders": ADMIN_ONLY,
    "jury.admin_reopen_review": ADMIN_ONLY,
    "jury.admin_consensus": ADMIN_ONLY,
    "jury.admin_confirm_consensus": ADMIN_ONLY,
    "jury.admin_rapporteur": ADMIN_ONLY,
    # --- ranking and decisions --------------------------------------------------------------
    "ranking.ranking": ADMIN_ONLY,
    "ranking.proposal": ADMIN_ONLY,
    "ranking.what_if_weights": ADMIN_ONLY,
    "ranking.record_draw": ADMIN_ONLY,
    "ranking.statistics": ADMIN_ONLY,
    "decisions.exports_page": ADMIN_ONLY,
    "decisions.export_download": ADMIN_ONLY,
    "decisions.decisions": ADMIN_ONLY,
    "decisions.decision_edit": ADMIN_ONLY,
    "decisions.meeting": ADMIN_ONLY,
    "decisions.protocol_page": ADMIN_ONLY,
    "decisions.protocol_download": ADMIN_ONLY,
    "decisions.audit_file_download": ADMIN_ONLY,
    "decisions.send_letters": ADMIN_ONLY,
    # --- contracts (the owner's signed contract) ----------------------------------------------
    "contracts.operator_contracts": LOGGED_IN,
    # The operator pages are the operator's; admins use the admin contract page (404 here).
    "contracts.operator_detail": OWNER_ONLY,
    "contracts.submit_report": OWNER_ONLY,
    "contracts.download_file": OWNER_OR_ADMIN,
    "contracts.portfolio": ADMIN_ONLY,
    "contracts.export": ADMIN_ONLY,
    "contracts.create": ADMIN_ONLY,
    "contracts.admin_detail": ADMIN_ONLY,
    "contracts.edit_terms": ADMIN_ONLY,
    "contracts.edit_rows": ADMIN_ONLY,
    "contracts.change_amounts": ADMIN_ONLY,
    "contracts.new_milestone": ADMIN_ONLY,
    "contracts.edit_milestone": ADMIN_ONLY,
    "contracts.delete_milestone": ADMIN_ONLY,
    "contracts.upload_document": ADMIN_ONLY,
    "contracts.delete_document": ADMIN_ONLY,
    "contracts.sign": ADMIN_ONLY,
    "contracts.set_status": ADMIN_ONLY,
    "contracts.review_report": ADMIN_ONLY,
    "contracts.accept_report": ADMIN_ONLY,
    "contracts.reject_report": ADMIN_ONLY,
    "contracts.release_fixed": ADMIN_ONLY,
    "contracts.release_milestone": ADMIN_ONLY,
    "contracts.close_milestone": ADMIN_ONLY,
    # --- directory (the owner's funded network) -----------------------------------------------
    "directory.index": PUBLIC,
    "directory.companies": PUBLIC,
    "directory.network": PUBLIC,
    "directory.open_data_csv": PUBLIC,
    "directory.open_data_json": PUBLIC,
    "directory.contact": PUBLIC,        # POST; public, rate-limited (test_csrf_and_headers.py)
    "directory.join": LOGGED_IN,        # any account may ask to join an open network
    "directory.my_networks": LOGGED_IN,
    "directory.member_consent": OWNER_OR_ADMIN,  # the company itself, the operator or an admin
    "directory.operator_network": OWNER_OR_ADMIN,
    "directory.operator_edit": OWNER_OR_ADMIN,
    "directory.operator_member_new": OWNER_OR_ADMIN,
    "directory.operator_member_edit": OWNER_OR_ADMIN,
    "directory.operator_member_remove": OWNER_OR_ADMIN,
    "directory.operator_import_partners": OWNER_OR_ADMIN,
    "directory.operator_join_request": OWNER_OR_ADMIN,
    "directory.operator_post_new": OWNER_OR_ADMIN,
    "directory.operator_post_edit": OWNER_OR_ADMIN,
    "directory.admin_networks": ADMIN_ONLY,
    "directory.admin_network_new": ADMIN_ONLY,
    "directory.admin_network_edit": ADMIN_ONLY,
    "directory.admin_network_from_proposal": ADMIN_ONLY,
    "directory.admin_network_publish": ADMIN_ONLY,
    "directory.admin_network_unpublish": ADMIN_ONLY,
    "directory.admin_posts": ADMIN_ONLY,
    "directory.admin_post": ADMIN_ONLY,
    "directory.admin_contact_messages": ADMIN_ONLY,
    "directory.operations_csv": PUBLIC,
    "directory.operations_json": PUBLIC,
    "contracts.edit_publication": ADMIN_ONLY,
    # --- API (sessions never authorise it; tokens: tests/api/) ----------------------------------
    "api-docs.openapi_json": PUBLIC,
    "api_docs.reference": PUBLIC,
    "api_docs.create_token": LOGGED_IN,   # GET shows the form; the token is the user's own
    "api_docs.revoke_token": OWNER_ONLY,  # POST; the owner's token (world.py)
    "api_public.list_calls": PUBLIC,
    "api_public.get_call": PUBLIC,
    "api_public.list_networks": PUBLIC,
    "api_public.list_results": PUBLIC,
    "api_public.list_operations": PUBLIC,
    "api_private.list_competitions": API_TOKEN,
    "api_private.list_proposals": API_TOKEN,
    "api_private.list_reviews": API_TOKEN,
    "api_private.get_ranking": API_TOKEN,
    "api_private.list_decisions": API_TOKEN,
    "api_private.list_contracts": API_TOKEN,
    "api_private.get_contract": API_TOKEN,
    "api_private.submit_report": API_TOKEN,  # POST
}


def expected(endpoint: str, role_index: int) -> str:
    """The outcome class of one cell."""
    return POLICY[endpoint].split()[role_index]
