"""Operators review what customers submit: qualifications, signatures, templates."""
