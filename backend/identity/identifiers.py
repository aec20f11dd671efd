"""French company identifiers: SIREN, SIRET, EORI. Invalid input is a clear French error naming the field.

The check keys (Luhn, and La Poste's digit-sum rule for its establishments) are python-stdnum's; what is ours is the
normalisation (spaces and dots), the French messages and the EORI rules.
"""

from __future__ import annotations

import re

from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

LA_POSTE_SIREN = "356000000"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_email_address(value: str) -> bool:
    """Looks like an e-mail address (something@domain.tld, no space): what a form can check before sending mail."""
    return bool(_EMAIL.match(value))


class IdentifierError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def luhn_ok(digits: str) -> bool:
    """The Luhn key of a string of ASCII digits (what SIREN and most SIRET use)."""
    return luhn.is_valid(digits)


def _digits(value: str) -> str:
    # Any whitespace (not only the spaces stdnum removes) and dots, as people type them.
    return re.sub(r"[\s.]", "", value or "")


def _checked(validate, value: str, field: str, shape: str, key: str) -> str:
    try:
        return validate(value)
    except InvalidChecksum:
        raise IdentifierError(field, key) from None
    except ValidationError:  # wrong length, or not only ASCII digits
        raise IdentifierError(field, shape) from None


def validate_siren(value: str, field: str = "siren") -> str:
    return _checked(
        stdnum_siren.validate,
        _digits(value),
        field,
        "Le SIREN doit comporter 9 chiffres.",
        "Le SIREN n'est pas valide (clé de contrôle incorrecte).",
    )


def validate_siret(value: str, field: str = "siret") -> str:
    """14 digits with a Luhn key; La Poste's establishments (SIREN 356 000 000, head office apart) use a digit sum
    that is a multiple of 5 instead."""
    return _checked(
        stdnum_siret.validate,
        _digits(value),
        field,
        "Le SIRET doit comporter 14 chiffres.",
        "Le SIRET n'est pas valide (clé de contrôle incorrecte).",
    )


def validate_eori(value: str, field: str = "eori") -> str:
    """French EORI: FR + SIREN (current form) or FR + SIRET (older form); at most 17 characters."""
    eori = re.sub(r"\s", "", value or "").upper()
    if len(eori) > 17:
        raise IdentifierError(field, "Le numéro EORI comporte au plus 17 caractères.")
    if not eori.startswith("FR"):
        raise IdentifierError(field, "Un numéro EORI français commence par « FR ».")
    rest = eori[2:]
    if len(rest) not in (9, 14):
        raise IdentifierError(
            field, "Le numéro EORI doit être « FR » suivi du SIREN (9 chiffres) ou du SIRET (14 chiffres)."
        )
    try:
        # What stdnum returns: lookalike digits (fullwidth…) come back as ASCII digits.
        return "FR" + (validate_siren if len(rest) == 9 else validate_siret)(rest, field)
    except IdentifierError:
        raise IdentifierError(field, "Le numéro EORI ne contient pas un SIREN ou un SIRET valide.") from None
