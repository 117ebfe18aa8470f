"""The web console: tenant and operator sides, server-rendered."""
