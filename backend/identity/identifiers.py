"""French company identifiers: SIREN, SIRET, EORI. Invalid input is a clear French error naming the field."""

from __future__ import annotations

import re

LA_POSTE_SIREN = "356000000"


class IdentifierError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _digits(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def validate_siren(value: str, field: str = "siren") -> str:
    siren = _digits(value)
    if not re.fullmatch(r"[0-9]{9}", siren):
        raise IdentifierError(field, "Le SIREN doit comporter 9 chiffres.")
    if not luhn_ok(siren):
        raise IdentifierError(field, "Le SIREN n'est pas valide (clé de contrôle incorrecte).")
    return siren


def validate_siret(value: str, field: str = "siret") -> str:
    siret = _digits(value)
    if not re.fullmatch(r"[0-9]{14}", siret):
        raise IdentifierError(field, "Le SIRET doit comporter 14 chiffres.")
    if luhn_ok(siret):
        return siret
    # La Poste's establishments share one SIREN; their SIRET follow a different rule.
    if siret.startswith(LA_POSTE_SIREN) and sum(int(c) for c in siret) % 5 == 0:
        return siret
    raise IdentifierError(field, "Le SIRET n'est pas valide (clé de contrôle incorrecte).")


def validate_eori(value: str, field: str = "eori") -> str:
    """French EORI: FR + SIREN (current form) or FR + SIRET (older form); at most 17 characters."""
    eori = re.sub(r"\s", "", value or "").upper()
    if len(eori) > 17:
        raise IdentifierError(field, "Le numéro EORI comporte au plus 17 caractères.")
    if not eori.startswith("FR"):
        raise IdentifierError(field, "Un numéro EORI français commence par « FR ».")
    rest = eori[2:]
    try:
        if len(rest) == 9:
            validate_siren(rest, field)
        elif len(rest) == 14:
            validate_siret(rest, field)
        else:
            raise IdentifierError(
                field,
                "Le numéro EORI doit être « FR » suivi du SIREN (9 chiffres) ou du SIRET (14 chiffres).",
            )
    except IdentifierError as error:
        if error.message.startswith("Le numéro EORI"):
            raise
        raise IdentifierError(field, "Le numéro EORI ne contient pas un SIREN ou un SIRET valide.") from None
    return eori
