"""The same draft section saved at once from several tabs: one save wins whole, the others are refused."""

from __future__ import annotations

from app.extensions import db as _db
from app.proposals.models import Proposal
from tests.concurrency.helpers import browser, run_together
from tests.factories import ProposalFactory, UserFactory

CONFLICT = "zwischenzeitlich geändert"


def _stored(proposal_id: int) -> Proposal:
    _db.session.expire_all()
    return _db.session.get(Proposal, proposal_id)


def _save_all_tabs(tabs, path: str, forms: list[dict]):
    """Every tab posts its form at the same moment; answer (status, page text) per tab."""
    def save(tab: int):
        client, token = tabs[tab]
        response = client.post(path, data={**forms[tab], "csrf_token": token, "save": "1"})
        return response.status_code, response.get_data(as_text=True)

    return [o.result for o in run_together([lambda t=t: save(t) for t in range(len(forms))])]


def _one_winner(answers) -> int:
    """Exactly one tab was saved (redirect); the others got the form back with the conflict message."""
    statuses = [status for status, _body in answers]
    assert sorted(statuses) == [200] * (len(answers) - 1) + [302], statuses
    for status, body in answers:
        if status == 200:
            assert CONFLICT in body
    return statuses.index(302)


def test_two_tabs_saving_the_same_section_at_once_store_one_of_them_whole(app, db):
    applicant = UserFactory()
    proposal = ProposalFactory(applicant=applicant, objectives="Alt", cluster_analysis="Alt")
    path = f"/proposals/{proposal.id}/edit/concept"
    tabs = [browser(app, applicant, number, token_from=path) for number in range(2)]
    version = proposal.version

    for round_number in range(5):  # several rounds: a race that shows only sometimes still shows
        forms = [{"version": str(version), "cluster_analysis": f"Analyse aus Tab {tab}, Runde {round_number}",
                  "objectives": f"Ziele aus Tab {tab}, Runde {round_number}"} for tab in range(2)]

        answers = _save_all_tabs(tabs, path, forms)

        winner = _one_winner(answers)
        loser = 1 - winner
        assert forms[loser]["objectives"] in answers[loser][1]  # the refused text is kept to copy
        stored = _stored(proposal.id)
        assert (stored.cluster_analysis, stored.objectives) == (forms[winner]["cluster_analysis"],
                                                               forms[winner]["objectives"])  # never a mix
        assert stored.version == version + 1
        version = stored.version


def _partner_rows(tab: int, count: int) -> dict:
    data = {}
    for index in range(count):
        data.update({f"partners-{index}-organisation": f"Tab {tab} Partner {index} GmbH",
                     f"partners-{index}-town": f"Ort {tab}", f"partners-{index}-sector": "",
                     f"partners-{index}-size": "small", f"partners-{index}-contact_name": "",
                     f"partners-{index}-contact_email": ""})
    return data


def test_four_tabs_saving_partner_rows_at_once_leave_exactly_one_tabs_rows(app, db):
    applicant = UserFactory()
    proposal = ProposalFactory(applicant=applicant)
    path = f"/proposals/{proposal.id}/edit/partners"
    tabs = [browser(app, applicant, number, token_from=path) for number in range(4)]
    forms = [{"version": str(proposal.version), **_partner_rows(tab, tab + 1)} for tab in range(4)]

    answers = _save_all_tabs(tabs, path, forms)

    winner = _one_winner(answers)
    stored = _stored(proposal.id)
    assert [(p.organisation, p.town, p.position) for p in stored.partners] == [
        (f"Tab {winner} Partner {index} GmbH", f"Ort {winner}", index) for index in range(winner + 1)]
