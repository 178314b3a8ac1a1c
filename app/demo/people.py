"""Demo accounts: an administrator of the city's funding office, jurors and applicants."""

from __future__ import annotations

from app.accounts.models import User
from app.core.time import utcnow
from app.extensions import db

# Development-only passwords, printed by `flask demo-data`; the command refuses production.
DEMO_PASSWORD = "demo-passwort-2026"  # noqa: S105 - public demo login, refused in production

ADMIN = ("admin@stadt-leipzig.example", "Dr. Katrin Vogel", "Stadt Leipzig, Amt für Wirtschaftsförderung")

JURORS = [
    ("j.hartmann@uni-leipzig.example", "Prof. Jens Hartmann", "Universität Leipzig, Wirtschaftsgeographie"),
    ("m.becker@ihk-leipzig.example", "Monika Becker", "IHK zu Leipzig"),
    ("t.schubert@fraunhofer.example", "Dr. Thomas Schubert", "Fraunhofer-Institut für Produktionstechnik"),
    ("s.wagner@sab.example", "Sabine Wagner", "Sächsische Aufbaubank"),
    ("a.kraus@hwk-leipzig.example", "Andreas Kraus", "Handwerkskammer zu Leipzig"),
]

APPLICANTS = [
    ("info@zulieferer-west.example", "Frank Lehmann", "Automobilzulieferer Leipzig-West GmbH"),
    ("kontakt@vpe-netz.example", "Claudia Neumann", "VPE Virtuelle Produktentwicklung e.V."),
    ("buero@energie-umwelt-lw.example", "Rainer Schulz", "Energie- und Umwelttechnik Leipziger Westen GmbH"),
    ("post@kreativwerk-plagwitz.example", "Julia Fischer", "Kreativwerk Plagwitz UG"),
]


def _person(email: str, name: str, organisation: str, *, admin: bool = False) -> User:
    user = User(email=email, name=name, organisation=organisation, locale="de",
                is_admin=admin, email_confirmed_at=utcnow(), privacy_consent_at=utcnow())
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    return user


def create_people() -> list[tuple[str, str, str]]:
    """Create the demo admin, jurors and applicants."""
    logins = [("admin", ADMIN[0], DEMO_PASSWORD)]
    _person(*ADMIN, admin=True)
    for email, name, organisation in JURORS:
        _person(email, name, organisation)
        logins.append(("juror", email, DEMO_PASSWORD))
    for email, name, organisation in APPLICANTS:
        _person(email, name, organisation)
        logins.append(("applicant", email, DEMO_PASSWORD))
    db.session.flush()
    return logins
