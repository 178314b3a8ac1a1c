"""Another user's object id on an object URL answers 404: its existence is not revealed.

The owner (who has objects of every kind) asks for the applicant's proposal, attachment, contract,
report page, file, network, member, post and join request; and for pairs whose parent is the
owner's but whose child belongs to someone else (the child must be looked up within the parent).
"""

from __future__ import annotations

import pytest

from tests.security.policy_support import fingerprint
from tests.web import csrf_token

# (method, URL template) with the applicant's objects; formatted with the world's ids.
FOREIGN = [
    ("GET", "/proposals/{other_draft}"),
    ("GET", "/proposals/{other_draft}/print"),
    ("GET", "/proposals/{other_draft}/edit"),
    ("GET", "/proposals/{other_draft}/edit/basics"),
    ("GET", "/proposals/{other_draft}/review"),
    ("GET", "/proposals/{other_draft}/withdraw"),
    ("GET", "/proposals/{other_draft}/attachments/{other_attachment}"),
    ("POST", "/proposals/{other_draft}/edit/basics"),
    ("POST", "/proposals/{other_draft}/submit"),
    ("POST", "/proposals/{other_draft}/withdraw"),
    ("POST", "/proposals/{other_draft}/attachments"),
    ("POST", "/proposals/{other_draft}/attachments/{other_attachment}/delete"),
    ("GET", "/my/contracts/{other_contract}"),
    ("GET", "/my/contracts/{other_contract}/milestones/{other_milestone}/report"),
    ("POST", "/my/contracts/{other_contract}/milestones/{other_milestone}/report"),
    ("GET", "/contracts/{other_contract}/files/{other_document}"),
    ("GET", "/my/networks/{other_network}"),
    ("GET", "/my/networks/{other_network}/edit"),
    ("POST", "/my/networks/{other_network}/edit"),
    ("GET", "/my/networks/{other_network}/members/new"),
    ("GET", "/my/networks/{other_network}/members/{other_member}"),
    ("POST", "/my/networks/{other_network}/members/{other_member}/remove"),
    ("POST", "/my/networks/{other_network}/members/import"),
    ("GET", "/my/networks/{other_network}/posts/new"),
    ("GET", "/my/networks/{other_network}/posts/{other_post}"),
    ("POST", "/my/networks/{other_network}/posts/{other_post}"),
    ("POST", "/my/memberships/{other_member}/consent"),
    ("GET", "/my/networks/{other_network}/join-requests/{join_request}"),
    ("POST", "/my/networks/{other_network}/join-requests/{join_request}"),
]

# The parent is the owner's, the child is not: a child id must never be found outside its parent.
MISMATCHED = [
    ("GET", "/proposals/{draft}/attachments/{other_attachment}"),
    ("POST", "/proposals/{draft}/attachments/{other_attachment}/delete"),
    ("GET", "/my/contracts/{contract}/milestones/{other_milestone}/report"),
    ("GET", "/contracts/{contract}/files/{other_document}"),
    ("GET", "/my/networks/{network}/members/{other_member}"),
    ("POST", "/my/networks/{network}/members/{other_member}/remove"),
    ("GET", "/my/networks/{network}/posts/{other_post}"),
    ("GET", "/jury/proposals/{submitted}/attachments/{other_attachment}"),
]

# Admin pages with a child id under the wrong parent.
ADMIN_MISMATCHED = [
    ("GET", "/admin/contracts/{contract}/milestones/{other_milestone}"),
    ("GET", "/admin/contracts/{contract}/milestones/{other_milestone}/release"),
    ("POST", "/admin/contracts/{contract}/milestones/{other_milestone}/delete"),
    ("POST", "/admin/contracts/{contract}/documents/{other_document}/delete"),
    ("GET", "/contracts/{contract}/files/{other_document}"),
    ("GET", "/admin/competitions/{open_competition}/criteria/{criterion}/edit"),
    ("GET", "/admin/competitions/{open_competition}/conflicts/{conflict}/lift"),
    ("POST", "/admin/competitions/{open_competition}/assignments/{assignment}/remove"),
    ("POST", "/admin/competitions/{open_competition}/jury/members/{membership}/remove"),
    ("GET", "/admin/competitions/{open_competition}/ranking/proposals/{submitted}"),
    ("GET", "/admin/competitions/{review_competition}/decisions/{decision_proposal}"),
]


def _check(client, method: str, url: str) -> None:
    before = fingerprint()
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": csrf_token(client)})
    assert response.status_code == 404, f"{method} {url}: {response.status_code} {response.location or ''}"
    assert fingerprint() == before, f"{method} {url} changed the database"


@pytest.mark.parametrize(("method", "template"), FOREIGN + MISMATCHED,
                         ids=[f"{m} {t}" for m, t in FOREIGN + MISMATCHED])
def test_another_users_object_is_not_found(world, clients, method, template):
    client = clients["juror" if template.startswith("/jury/") else "owner"]
    _check(client, method, template.format(**world.ids))


@pytest.mark.parametrize(("method", "template"), ADMIN_MISMATCHED, ids=[f"{m} {t}" for m, t in ADMIN_MISMATCHED])
def test_admin_child_under_the_wrong_parent_is_not_found(world, clients, method, template):
    _check(clients["admin"], method, template.format(**world.ids))


def test_the_owner_reaches_the_same_urls_with_own_ids(world, clients):
    """Control: the 404s above are about ownership, not about broken URLs."""
    owner = clients["owner"]
    for template in ("/proposals/{draft}", "/proposals/{draft}/attachments/{draft_attachment}",
                     "/my/contracts/{contract}", "/contracts/{contract}/files/{document}",
                     "/my/networks/{network}", "/my/networks/{network}/members/{network_member}",
                     "/my/networks/{network}/posts/{post}"):
        url = template.format(**world.ids)
        assert owner.get(url).status_code == 200, url
