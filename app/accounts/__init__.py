"""Users, registration, login, password reset and admin user management."""
