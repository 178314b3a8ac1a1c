"""Legal notice, privacy notice, accessibility statement, and the consents given to the privacy notice."""
