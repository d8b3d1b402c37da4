"""Accounts: registration, login, password reset, notifications."""
