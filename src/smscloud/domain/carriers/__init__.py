"""Carriers (SMSC connections) and the routes that choose them."""
