"""Phone-number parsing backed by libphonenumber data (the `phonenumbers` package)."""

from smscloud.adapters.phone.parser import LibPhoneNumberParser

__all__ = ["LibPhoneNumberParser"]
