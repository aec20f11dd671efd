"""French company identifiers: SIREN (9 digits, Luhn), SIRET (14 digits, Luhn, La Poste's exception), EORI (FR +
SIREN or SIRET). A refusal names the field it was given and explains itself in French. The keys are python-stdnum's:
these tests pin the rules we rely on, so a change of the library's would show here."""

from __future__ import annotations

import pytest

from backend.identity.identifiers import (
    LA_POSTE_SIREN,
    IdentifierError,
    luhn_ok,
    validate_eori,
    validate_siren,
    validate_siret,
)


def digit_sum(value: str) -> int:
    return sum(int(c) for c in value)


def la_poste_sirets(*, sum_divisible_by_5: bool) -> list[str]:
    """SIRET of La Poste's SIREN that fail the ordinary Luhn key, split by the rule La Poste uses instead."""
    found = []
    for nic in range(0, 1000):
        siret = f"{LA_POSTE_SIREN}{nic:05d}"
        if not luhn_ok(siret) and (digit_sum(siret) % 5 == 0) == sum_divisible_by_5:
            found.append(siret)
    return found


# --- SIREN -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("siren", ["552100554", "732829320", "356000000"])
def test_valid_siren(siren):
    assert luhn_ok(siren)
    assert validate_siren(siren) == siren


def test_siren_is_normalised_from_spaces_and_dots():
    assert validate_siren(" 552 100 554 ") == "552100554"
    assert validate_siren("552.100.554") == "552100554"


def test_siren_with_a_wrong_luhn_key_is_refused():
    assert not luhn_ok("552100555")
    with pytest.raises(IdentifierError) as error:
        validate_siren("552100555")
    assert error.value.field == "siren"
    assert error.value.message == "Le SIREN n'est pas valide (clé de contrôle incorrecte)."
    assert str(error.value) == error.value.message


@pytest.mark.parametrize("siren", ["", "55210055", "5521005540", "55210055A", "552-100-554", "552100554 0"])
def test_siren_of_the_wrong_shape_is_refused(siren):
    with pytest.raises(IdentifierError) as error:
        validate_siren(siren)
    assert error.value.message == "Le SIREN doit comporter 9 chiffres."


def test_siren_error_names_the_given_field():
    with pytest.raises(IdentifierError) as error:
        validate_siren("123", "entreprise.siren")
    assert error.value.field == "entreprise.siren"


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("digits", [FULLWIDTH, ARABIC_INDIC], ids=["fullwidth", "arabic-indic"])
@pytest.mark.parametrize(
    ("validate", "value"),
    [(validate_siren, "552100554"), (validate_siret, "55210055400013"), (validate_eori, "FR552100554")],
    ids=["siren", "siret", "eori"],
)
def test_identifiers_accept_only_ascii_digits(validate, value, digits):
    """`\\d` also matches non-ASCII digits: such an identifier must be refused, or normalised to ASCII digits, but
    never returned (and stored) as it came."""
    lookalike = value[:2] + value[2:].translate(digits) if value.startswith("FR") else value.translate(digits)
    assert lookalike != value
    try:
        result = validate(lookalike)
    except IdentifierError:
        return
    assert result == value


# --- SIRET -------------------------------------------------------------------------------------------------------


def test_valid_siret():
    assert validate_siret("55210055400013") == "55210055400013"
    assert validate_siret("552 100 554 00013") == "55210055400013"


def test_siret_with_a_wrong_luhn_key_is_refused():
    with pytest.raises(IdentifierError) as error:
        validate_siret("55210055400014")
    assert error.value.field == "siret"
    assert error.value.message == "Le SIRET n'est pas valide (clé de contrôle incorrecte)."


@pytest.mark.parametrize("siret", ["", "5521005540001", "552100554000130", "5521005540001X"])
def test_siret_of_the_wrong_length_is_refused(siret):
    with pytest.raises(IdentifierError) as error:
        validate_siret(siret, "etablissement")
    assert error.value.field == "etablissement"
    assert error.value.message == "Le SIRET doit comporter 14 chiffres."


def test_la_poste_siret_follows_the_digit_sum_rule():
    """La Poste's establishments (SIREN 356 000 000) are valid when their digit sum is a multiple of 5."""
    valid = la_poste_sirets(sum_divisible_by_5=True)
    assert valid, "no La Poste SIRET failing Luhn with a digit sum divisible by 5 was found"
    # A known establishment of La Poste, checked by computation rather than trusted:
    assert not luhn_ok("35600000049837") and digit_sum("35600000049837") == 45
    assert validate_siret("35600000049837") == "35600000049837"
    for siret in valid[:20]:
        assert validate_siret(siret) == siret


def test_la_poste_siret_with_a_bad_digit_sum_is_refused():
    invalid = la_poste_sirets(sum_divisible_by_5=False)
    assert invalid
    for siret in invalid[:20]:
        assert digit_sum(siret) % 5 != 0
        with pytest.raises(IdentifierError):
            validate_siret(siret)


def test_la_poste_head_office_follows_the_ordinary_key():
    # 35600000000048 is La Poste's head office: it passes the ordinary key (its digit sum, 26, is not a multiple of 5).
    assert luhn_ok("35600000000048") and digit_sum("35600000000048") == 26
    assert validate_siret("35600000000048") == "35600000000048"


def test_la_poste_establishment_is_checked_by_digit_sum_only():
    """Apart from the head office, a La Poste SIRET is checked by its digit sum alone (INSEE's rule, as python-stdnum
    applies it): passing the Luhn key does not make up for a digit sum that is not a multiple of 5."""
    siret = next(
        f"{LA_POSTE_SIREN}{nic:05d}"
        for nic in range(100, 1000)
        if luhn_ok(f"{LA_POSTE_SIREN}{nic:05d}") and digit_sum(f"{LA_POSTE_SIREN}{nic:05d}") % 5 != 0
    )
    with pytest.raises(IdentifierError) as error:
        validate_siret(siret)
    assert error.value.message == "Le SIRET n'est pas valide (clé de contrôle incorrecte)."


def test_digit_sum_rule_is_only_for_la_poste():
    """Outside La Poste's SIREN, a digit sum divisible by 5 does not make up for a wrong Luhn key."""
    siret = next(
        f"55210055400{nic:03d}"
        for nic in range(1000)
        if not luhn_ok(f"55210055400{nic:03d}") and digit_sum(f"55210055400{nic:03d}") % 5 == 0
    )
    with pytest.raises(IdentifierError):
        validate_siret(siret)


# --- EORI --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("eori", "expected"),
    [
        ("FR552100554", "FR552100554"),
        ("FR55210055400013", "FR55210055400013"),
        ("fr552100554", "FR552100554"),
        ("FR 552 100 554", "FR552100554"),
    ],
)
def test_valid_eori(eori, expected):
    assert validate_eori(eori) == expected


def test_foreign_eori_is_refused():
    with pytest.raises(IdentifierError) as error:
        validate_eori("DE552100554", "demandeur.eori")
    assert error.value.field == "demandeur.eori"
    assert error.value.message == "Un numéro EORI français commence par « FR »."


def test_eori_longer_than_17_characters_is_refused():
    eori = "FR" + "5" * 18
    with pytest.raises(IdentifierError) as error:
        validate_eori(eori)
    assert error.value.field == "eori"
    assert error.value.message == "Le numéro EORI comporte au plus 17 caractères."


@pytest.mark.parametrize("eori", ["FR12345", "FR", "FR5521005540", "FR552100554000"])
def test_eori_of_the_wrong_shape_is_refused(eori):
    with pytest.raises(IdentifierError) as error:
        validate_eori(eori)
    assert error.value.field == "eori"
    assert error.value.message.startswith("Le numéro EORI doit être « FR » suivi du SIREN")


@pytest.mark.parametrize("eori", ["FR552100555", "FR55210055400014", "FRABCDEFGHI"])
def test_eori_with_an_invalid_siren_or_siret_is_refused_as_eori(eori):
    """The error speaks of the EORI and names the EORI field, not the SIREN/SIRET inside it."""
    with pytest.raises(IdentifierError) as error:
        validate_eori(eori, "eori_demandeur")
    assert error.value.field == "eori_demandeur"
    assert error.value.message == "Le numéro EORI ne contient pas un SIREN ou un SIRET valide."


def test_eori_of_la_poste_uses_the_la_poste_rule():
    siret = la_poste_sirets(sum_divisible_by_5=True)[0]
    assert validate_eori("FR" + siret) == "FR" + siret
