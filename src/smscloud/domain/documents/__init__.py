"""Files customers upload: business licences, signature proofs, powers of attorney."""
