"""Secrets at rest: Fernet encryption of AppKeys, SecretKeys and carrier passwords."""
