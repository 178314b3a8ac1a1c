"""Example texts of the three legal pages for the Leipzig demo; each says that it is an example."""

from __future__ import annotations

from app.accounts.models import User
from app.legal.models import ACCESSIBILITY, IMPRINT, PRIVACY
from app.legal.services import publish_text

EXAMPLE_DE = "> **Beispieltext** für die Demo. Die Stadt ersetzt ihn vor dem Betrieb durch ihren geprüften Text.\n\n"
EXAMPLE_EN = "> **Example text** for the demo. The city replaces it with its reviewed text before going live.\n\n"

IMPRINT_DE = EXAMPLE_DE + """## Angaben nach § 5 DDG

Stadt Leipzig<br>
Amt für Wirtschaftsförderung<br>
Martin-Luther-Ring 4–6<br>
04109 Leipzig

Die Stadt Leipzig ist eine Körperschaft des öffentlichen Rechts. Sie wird vertreten durch den Oberbürgermeister.

## Kontakt

E-Mail: wirtschaftsfoerderung@stadt-leipzig.example<br>
Telefon: 0341 123-0

## Umsatzsteuer-Identifikationsnummer

DE 000000000 (Beispiel)

## Verantwortlich für den Inhalt

Leitung des Amtes für Wirtschaftsförderung, Anschrift wie oben.

## Förderhinweis

Der Ideenwettbewerb wird aus dem Europäischen Fonds für regionale Entwicklung (EFRE) und von der Stadt
Leipzig finanziert.
"""

IMPRINT_EN = EXAMPLE_EN + """## Provider identification (§ 5 DDG)

City of Leipzig<br>
Office for Economic Development<br>
Martin-Luther-Ring 4–6<br>
04109 Leipzig, Germany

The City of Leipzig is a public-law corporation, represented by the Lord Mayor.

## Contact

Email: wirtschaftsfoerderung@stadt-leipzig.example<br>
Phone: +49 341 123-0

## VAT identification number

DE 000000000 (example)

## Responsible for the content

Head of the Office for Economic Development, address as above.

## Funding

The ideas competition is financed by the European Regional Development Fund (ERDF) and the City of Leipzig.
"""

PRIVACY_DE = EXAMPLE_DE + """## Verantwortliche Stelle

Stadt Leipzig, Amt für Wirtschaftsförderung (Anschrift im Impressum).<br>
Datenschutzbeauftragte der Stadt Leipzig: datenschutz@stadt-leipzig.example

## Zwecke und Rechtsgrundlagen

Wir verarbeiten Ihre Daten, um den Ideenwettbewerb durchzuführen: Registrierung, Einreichung und Vorprüfung
von Netzwerkideen, Begutachtung durch die Jury, Entscheidung, Vertrag, Berichte und Auszahlungen
(Art. 6 Abs. 1 lit. b, c und e DSGVO). Die EFRE-Förderregeln verpflichten uns, die Unterlagen eines
geförderten Verfahrens bis zum Ende der Aufbewahrungsfrist aufzubewahren (Art. 82 der Verordnung (EU) 2021/1060).

## Welche Daten

Name, E-Mail-Adresse, Organisation, Sprache; Ihre Anträge mit Anlagen; als Jurorin oder Juror Ihre Erklärungen
und Bewertungen; als Netzwerkbetreiber Berichte und Nachweise; die E-Mails, die wir Ihnen senden; im
Protokoll der Änderungen die IP-Adresse (nach 180 Tagen gelöscht).

## Cookies

Die Seite setzt nur Cookies, die sie zum Betrieb braucht; eine Einwilligung ist dafür nicht nötig (§ 25 Abs. 2 TDDDG):

- `session`: hält Ihre Anmeldung, den Schutz der Formulare und die gewählte Sprache, solange der Browser offen ist.
- `remember_token`: nur wenn Sie „Auf diesem Gerät angemeldet bleiben“ wählen; hält die Anmeldung bis zu 365 Tage.

Es gibt keine Cookies für Statistik oder Werbung und keine Inhalte anderer Anbieter.

## Aufbewahrung und Löschung

Entwürfe, die nie eingereicht wurden, löschen wir 12 Monate nach dem Einreichungsschluss. Personenbezogene Daten
abgelehnter und nicht förderfähiger Anträge sowie der Jury löschen wir am Ende der Aufbewahrungsfrist des
Wettbewerbs (31. Dezember des fünften Jahres nach der letzten Zahlung). Den Text versandter E-Mails löschen wir
nach 90 Tagen.

## Ihre Rechte

Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung, Datenübertragbarkeit und Widerspruch
(Art. 15–21 DSGVO). Auf Ihrer Profilseite laden Sie Ihre Daten herunter, ändern sie und beantragen die Löschung.
Sie können sich bei der Sächsischen Datenschutz- und Transparenzbeauftragten beschweren.
"""

PRIVACY_EN = EXAMPLE_EN + """## Controller

City of Leipzig, Office for Economic Development (address in the legal notice).<br>
Data protection officer of the City of Leipzig: datenschutz@stadt-leipzig.example

## Purposes and legal bases

We process your data to run the ideas competition: registration, submission and pre-check of network ideas,
review by the jury, decision, contract, reports and payments (Art. 6(1)(b), (c) and (e) GDPR). The ERDF rules
oblige us to keep the records of a funded procedure until the end of the retention period
(Art. 82 of Regulation (EU) 2021/1060).

## Which data

Name, email address, organisation, language; your proposals with attachments; as a juror your declarations
and reviews; as a network operator your reports and evidence; the emails we send you; in the audit trail the
IP address (deleted after 180 days).

## Cookies

The site sets only the cookies it needs to work; they need no consent (§ 25(2) TDDDG):

- `session`: keeps you logged in, protects the forms and remembers the language you chose, while the browser is open.
- `remember_token`: only if you choose “Stay logged in on this device”; keeps you logged in for up to 365 days.

There are no statistics or advertising cookies and no content of other providers.

## Retention and deletion

Drafts that were never submitted are deleted 12 months after the submission deadline. Personal data of rejected
and ineligible proposals and of the jury are deleted at the end of the competition's retention period
(31 December of the fifth year after the last payment). The text of sent emails is deleted after 90 days.

## Your rights

You have the right of access, rectification, erasure, restriction, data portability and objection
(Art. 15–21 GDPR). On your profile page you download your data, correct it and ask for its deletion.
You may complain to the Saxon Data Protection and Transparency Commissioner.
"""

ACCESSIBILITY_DE = EXAMPLE_DE + """## Stand der Vereinbarkeit

Die Stadt Leipzig ist bemüht, diese Website im Einklang mit der Barrierefreie-Informationstechnik-Verordnung
(BITV 2.0) barrierefrei zugänglich zu machen. Die Website ist mit den Anforderungen **teilweise vereinbar**.

## Nicht barrierefreie Inhalte

- Hochgeladene Anlagen (PDF) der Antragstellenden sind nicht immer barrierefrei.
- Diagramme der Rangliste haben eine Tabelle als Alternative, aber keine Sonifikation.

## Erstellung dieser Erklärung

Die Erklärung beruht auf einer Selbstbewertung mit automatischen Tests (axe-core) und Tests mit Tastatur
und Screenreader, zuletzt im Dezember 2026.

## Feedback und Kontakt

Sind Ihnen Mängel aufgefallen? Nutzen Sie das Formular unten. Wir antworten innerhalb eines Monats.
"""

ACCESSIBILITY_EN = EXAMPLE_EN + """## Compliance status

The City of Leipzig strives to make this website accessible in accordance with the German accessibility
regulation (BITV 2.0). The website is **partially compliant**.

## Content that is not accessible

- Attachments (PDF) uploaded by applicants are not always accessible.
- The ranking's charts have a table as alternative, but no sonification.

## Preparation of this statement

The statement is based on a self-assessment with automated tests (axe-core) and tests with keyboard and
screen reader, last in December 2026.

## Feedback and contact

Have you noticed barriers? Use the form below. We answer within a month.
"""

ENFORCEMENT_CONTACT = """Beispiel / example:
Durchsetzungsstelle für digitale Barrierefreiheit des Freistaates Sachsen
Albertstraße 10, 01097 Dresden
durchsetzungsstelle@sachsen.example"""


def publish_example_texts(author: User | None) -> None:
    """Publish version 1 of each legal page with the Leipzig example texts."""
    publish_text(IMPRINT, body_de=IMPRINT_DE, body_en=IMPRINT_EN, material=False,
                 change_note="Beispieltext / example text", author=author)
    publish_text(PRIVACY, body_de=PRIVACY_DE, body_en=PRIVACY_EN, material=True,
                 change_note="Beispieltext / example text", author=author)
    publish_text(ACCESSIBILITY, body_de=ACCESSIBILITY_DE, body_en=ACCESSIBILITY_EN, material=False,
                 change_note="Beispieltext / example text", author=author, enforcement_contact=ENFORCEMENT_CONTACT)
