"""Notifications to people: e-mail (activation, password reset, review results)."""
