"""Outgoing e-mail over SMTP."""
