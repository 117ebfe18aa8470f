"""Who decided what, and when: the record of reviews and administrative changes."""
