"""Who logs in to the console: tenant users and operators, their sessions and one-time links."""
