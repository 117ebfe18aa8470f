"""Background workers of a serving process: thin loops around one domain operation each."""
