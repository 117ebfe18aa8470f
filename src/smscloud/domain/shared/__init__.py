"""What every bounded context shares: time, errors, review status."""
