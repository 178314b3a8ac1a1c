"""Who may open which proposal page: anonymous, owner, another applicant, administrator."""

from __future__ import annotations

import pytest

from app.proposals.models import Attachment
from tests.factories import AdminFactory, ProposalFactory, UserFactory
from tests.web import csrf_token

GET_PAGES = ["/proposals/{id}", "/proposals/{id}/edit", "/proposals/{id}/edit/basics",
             "/proposals/{id}/edit/attachments", "/proposals/{id}/review", "/proposals/{id}/withdraw",
             "/proposals/{id}/print", "/proposals/{id}/attachments/{attachment}"]
POST_ACTIONS = ["/proposals/{id}/edit/basics", "/proposals/{id}/attachments", "/proposals/{id}/submit",
                "/proposals/{id}/withdraw", "/proposals/{id}/attachments/{attachment}/delete"]


@pytest.fixture
def submitted(db, app):
    """Someone's submitted proposal with one attachment on disk."""
    from app.core.uploads import store_bytes

    proposal = ProposalFactory(status="submitted", receipt_number="2030-001-0001",
                               snapshot={"network_name": "Fremd", "partners": [], "measures": [], "kpis": [],
                                         "attachments": [], "competition": {"title": "Aufruf"},
                                         "applicant": {"name": "A", "email": "a@b.example"}})
    attachment = Attachment(proposal_id=proposal.id, storage_key=store_bytes(b"%PDF-1.4 x"), display_name="a.pdf",
                            mime_type="application/pdf", size_bytes=10, sha256="0" * 64)
    db.session.add(attachment)
    db.session.commit()
    return proposal, attachment


def url(template: str, proposal, attachment) -> str:
    return template.format(id=proposal.id, attachment=attachment.id)


@pytest.mark.parametrize("template", GET_PAGES + ["/my/proposals"])
def test_anonymous_is_sent_to_login(client, submitted, template):
    response = client.get(url(template, *submitted))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("template", GET_PAGES)
def test_another_applicant_gets_not_found(client, login_as, submitted, template):
    login_as(UserFactory())
    assert client.get(url(template, *submitted)).status_code == 404


@pytest.mark.parametrize("template", POST_ACTIONS)
def test_another_applicant_cannot_post_either(client, login_as, submitted, template):
    login_as(UserFactory())
    token = csrf_token(client, "/my/proposals")
    response = client.post(url(template, *submitted), data={"csrf_token": token, "version": "1"})
    assert response.status_code == 404


@pytest.mark.parametrize("template", ["/proposals/{id}", "/proposals/{id}/print",
                                      "/proposals/{id}/attachments/{attachment}"])
def test_admin_may_view_print_and_download(client, login_as, submitted, template):
    login_as(AdminFactory())
    response = client.get(url(template, *submitted))
    assert response.status_code == 200


@pytest.mark.parametrize("template", ["/proposals/{id}/edit/basics", "/proposals/{id}/review",
                                      "/proposals/{id}/withdraw"])
def test_admin_cannot_act_for_the_applicant(client, login_as, submitted, template):
    login_as(AdminFactory())
    assert client.get(url(template, *submitted)).status_code == 403


@pytest.mark.parametrize("template", ["/proposals/{id}", "/proposals/{id}/print"])
def test_owner_sees_own_submitted_proposal(client, login_as, submitted, template):
    proposal, attachment = submitted
    login_as(proposal.applicant)
    body = client.get(url(template, proposal, attachment)).get_data(as_text=True)
    assert "2030-001-0001" in body


@pytest.mark.parametrize("path", ["/proposals/999999", "/proposals/999999/print", "/proposals/999999/edit/basics"])
def test_missing_proposal_is_not_found(client, login_as, path):
    login_as(UserFactory())
    assert client.get(path).status_code == 404
