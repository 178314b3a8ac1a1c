"""Contract documents: uploads checked like proposal attachments, kept once the contract is signed."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from app.contracts.models import ContractFile
from app.core import uploads
from tests.builders.contracts import worked_example_contract
from tests.factories import AdminFactory
from tests.web import login, post_form

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def upload(client, contract, name: str, data: bytes):
    page = f"/admin/contracts/{contract.id}"
    return post_form(client, f"{page}/documents", {"file": (io.BytesIO(data), name)}, token_from=page,
                     content_type="multipart/form-data", follow_redirects=True)


def test_document_upload_download_and_removal_before_signing(client, db, login_as):
    admin = login_as(AdminFactory())
    contract, _ = worked_example_contract(admin, sign=False)
    body = upload(client, contract, "Vertrag.pdf", PDF).get_data(as_text=True)
    assert "Vertrag.pdf" in body
    document = db.session.scalars(select(ContractFile)).one()
    assert document.kind == "document"
    assert client.get(f"/contracts/{contract.id}/files/{document.id}").data == PDF
    page = f"/admin/contracts/{contract.id}"
    key = document.storage_key
    post_form(client, f"{page}/documents/{document.id}/delete", token_from=page)
    assert db.session.scalar(select(func.count(ContractFile.id))) == 0
    with pytest.raises(FileNotFoundError):  # the file went with the committed removal
        uploads.read_stored(key)


def test_a_removal_whose_commit_fails_keeps_the_row_and_the_file(app, client, db, login_as, monkeypatch):
    admin = login_as(AdminFactory())
    contract, _ = worked_example_contract(admin, sign=False)
    upload(client, contract, "Vertrag.pdf", PDF)
    document = db.session.scalars(select(ContractFile)).one()
    key, page = document.storage_key, f"/admin/contracts/{contract.id}"
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # the 500 page, as in production

    def failing_commit():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = post_form(client, f"{page}/documents/{document.id}/delete", token_from=page)
    monkeypatch.undo()
    assert response.status_code == 500
    assert db.session.scalar(select(func.count(ContractFile.id))) == 1
    assert uploads.read_stored(key) == PDF  # a rolled-back removal never deletes the file


@pytest.mark.parametrize("name,data,message", [
    ("setup.exe", b"MZ\x90\x00", "Programme und Skripte"),
    ("vertrag.pdf", b"<html>", "passt nicht zu ihrer Endung"),
])
def test_bad_documents_are_refused(client, db, login_as, name, data, message):
    admin = login_as(AdminFactory())
    contract, _ = worked_example_contract(admin, sign=False)
    assert message in upload(client, contract, name, data).get_data(as_text=True)
    assert db.session.scalar(select(func.count(ContractFile.id))) == 0


def test_documents_of_a_signed_contract_are_kept(client, db, login_as, app):
    admin = login_as(AdminFactory())
    contract, _ = worked_example_contract(admin)
    upload(client, contract, "Vertrag.pdf", PDF)
    document = db.session.scalars(select(ContractFile)).one()
    page = f"/admin/contracts/{contract.id}"
    body = post_form(client, f"{page}/documents/{document.id}/delete", token_from=page,
                     follow_redirects=True).get_data(as_text=True)
    assert "Prüfakte" in body
    assert db.session.scalar(select(func.count(ContractFile.id))) == 1
    # The operator sees the document on their contract page.
    operator_client = app.test_client()
    login(operator_client, contract.proposal.applicant.email)
    assert "Vertrag.pdf" in operator_client.get(f"/my/contracts/{contract.id}").get_data(as_text=True)
