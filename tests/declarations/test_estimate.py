"""The estimate of what a private person owes: each boundary of the rules, and the French that explains it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from backend.declarations.categories import Category
from backend.declarations.estimate import (
    Estimate,
    EstimateError,
    Item,
    Kind,
    Line,
    Purchase,
    Transport,
    Trip,
    estimate,
)
from backend.declarations.rules import Rate

D = Decimal
ARRIVAL = dt.date(2026, 12, 2)
NOT_ESTIMATED = "calculés par le service des douanes ; ils ne sont pas estimés ici"


def item(value: str, category: Category = Category.CLOTHING, *, currency: str = "EUR", excise: str | None = None,
         description: str = "") -> Item:  # fmt: skip
    return Item(
        description=description or category.value,
        category=category,
        quantity=1,
        value=D(value),
        currency=currency,
        excise_quantity=None if excise is None else D(excise),
    )


def excise(category: Category, quantity: str, value: str = "10") -> Item:
    return item(value, category, excise=quantity)


def trip(*items: Item, transport: Transport = Transport.AIR_SEA, under_15: bool = False, cash: str | None = None,
         on: dt.date = ARRIVAL) -> Estimate:  # fmt: skip
    facts = Trip(on, transport, under_15, "US", None if cash is None else D(cash))
    return estimate(Kind.TRIP, facts, items)


def purchase(*items: Item, on: dt.date = dt.date(2026, 7, 1), shipping: str = "0", currency: str = "EUR",
             vat_paid: bool = False, ioss: str | None = None) -> Estimate:  # fmt: skip
    facts = Purchase(on, "Boutique", "CN", D(shipping), currency, vat_paid, ioss)
    return estimate(Kind.PURCHASE, facts, items)


def line(result: Estimate, label_start: str) -> Line:
    (found,) = [line for line in result.lines if line.label.startswith(label_start)]
    return found


def amounts(result: Estimate) -> dict[str, Decimal | None]:
    return {line.label: line.amount for line in result.lines}


# --- the value allowance of a trip --------------------------------------------------------------------------------


def test_exactly_430_euros_by_air_is_within_the_allowance_nothing_due():
    result = trip(item("430.00"))
    assert (result.value_eur, result.allowance, result.exceeded_by) == (D("430.00"), D("430.00"), D("0.00"))
    assert result.lines == ()
    assert (result.total, result.complete) == (D("0.00"), True)
    assert result.notices[0].startswith(
        "Vos marchandises valent 430,00 € : c'est dans la franchise voyageur (avion ou bateau) de 430,00 €, "
        "rien à payer pour elles"
    )


def test_430_euros_01_by_air_exceeds_by_one_cent_and_the_item_is_taxed_in_full():
    result = trip(item("430.01", description="Sac"))
    assert result.exceeded_by == D("0.01")
    duty = line(result, "Droits de douane au taux forfaitaire de 2,5 %")
    vat = line(result, "TVA à 20 %")
    assert duty.amount == D("10.75")  # 430.01 × 2.5 % = 10.75025
    assert vat.amount == D("88.15")  # 20 % × (430.01 + 10.75025) = 88.15205
    assert result.total == D("98.90")
    assert result.complete
    assert duty.explanation.startswith(
        "Taux forfaitaire de 2,5 % sur 430,01 € de marchandises taxables, qui ne dépassent pas 700,00 € : 10,75 €"
    )
    assert vat.explanation.startswith(
        "TVA à taux normal de 20 % sur 430,01 € de marchandises et 10,75 € de droits de douane "
        "(base 440,76 €) : 88,15 €"
    )
    assert (
        "« Sac » (430,01 €) dépasse ce qui reste de la franchise (430,00 €) : cet article est taxé en totalité."
        in (result.notices)
    )
    assert {r.key for r in result.rules} >= {"TRAVELLER_ALLOWANCE_AIR_SEA", "FLAT_RATE", "VAT_STANDARD"}


def test_300_euros_by_road_is_within_and_300_euros_01_is_taxed():
    assert trip(item("300.00"), transport=Transport.OTHER).lines == ()
    result = trip(item("300.01"), transport=Transport.OTHER)
    assert result.allowance == D("300.00")
    assert result.exceeded_by == D("0.01")
    assert amounts(result) == {
        "Droits de douane au taux forfaitaire de 2,5 %": D("7.50"),
        "TVA à 20 %": D("61.50"),
    }


@pytest.mark.parametrize("transport", list(Transport))
def test_under_15_the_allowance_is_150_euros_whatever_the_transport(transport):
    assert trip(item("150.00"), transport=transport, under_15=True).lines == ()
    result = trip(item("150.01"), transport=transport, under_15=True)
    assert (result.allowance, result.exceeded_by) == (D("150.00"), D("0.01"))
    assert "la franchise voyageur de moins de 15 ans de 150,00 €" in result.notices[0]


def test_an_item_dearer_than_the_allowance_is_taxed_in_full_while_cheaper_ones_fit():
    result = trip(
        item("100", description="Chemise"), item("500", description="Montre"), item("200", description="Veste")
    )
    assert result.value_eur == D("800.00")
    assert result.exceeded_by == D("370.00")
    duty = line(result, "Droits de douane au taux forfaitaire")
    assert duty.amount == D("12.50")  # only the watch: 500 × 2.5 %
    assert line(result, "TVA à 20 %").amount == D("102.50")  # 20 % × 512.50
    assert (
        "« Montre » (500,00 €) dépasse ce qui reste de la franchise (430,00 €) : cet article est taxé en totalité."
        in (result.notices)
    )
    assert "En franchise : 300,00 € ; taxable : 500,00 €." in result.notices[0]


def test_items_are_kept_from_the_dearest_while_they_fit():
    # 250 fits (180 left), 200 does not, 150 fits (30 left), 40 does not: 240 taxable.
    result = trip(item("200"), item("40"), item("250"), item("150"))
    assert line(result, "Droits de douane au taux forfaitaire").amount == D("6.00")


def test_a_taxable_total_of_exactly_700_euros_takes_the_flat_rate():
    result = trip(item("700.00"), transport=Transport.OTHER, under_15=True)
    assert amounts(result) == {
        "Droits de douane au taux forfaitaire de 2,5 %": D("17.50"),
        "TVA à 20 %": D("143.50"),
    }
    assert result.complete


def test_a_taxable_total_of_700_euros_01_has_its_duty_not_estimated():
    result = trip(item("700.01"))
    duty = line(result, "Droits de douane")
    assert duty.amount is None
    assert duty.explanation == (
        "Vos marchandises taxables valent 700,01 €, plus que le plafond de 700,00 € du taux forfaitaire : les "
        f"droits de douane dépendent du tarif de chaque article ; ils sont {NOT_ESTIMATED}."
    )
    vat = line(result, "TVA à 20 %")
    assert vat.amount == D("140.00")  # on the value only
    assert vat.explanation.endswith("La TVA sur les droits de douane, qui ne sont pas estimés ici, s'y ajoutera.")
    assert (result.total, result.complete) == (D("140.00"), False)


def test_books_and_food_take_the_reduced_vat_rate_on_their_share_of_the_duty():
    result = trip(item("500"), item("100", Category.BOOKS), transport=Transport.OTHER)
    # 300 allowance: 500 does not fit, the book does. Then only the 500 is taxed.
    assert "TVA à 5,5 %" not in amounts(result)
    result = trip(item("400"), item("100", Category.BOOKS), transport=Transport.OTHER, under_15=True)
    # 150 allowance: 400 does not fit, 100 does: only the 400 at 20 %.
    assert amounts(result)["TVA à 20 %"] == D("82.00")
    result = trip(item("200"), item("200", Category.FOOD), under_15=True)
    # 150 allowance: neither fits: 400 taxable, duty 10.00, VAT 20 % × 205 = 41.00 and 5.5 % × 205 = 11.275.
    assert amounts(result) == {
        "Droits de douane au taux forfaitaire de 2,5 %": D("10.00"),
        "TVA à 20 %": D("41.00"),
        "TVA à 5,5 %": D("11.28"),
    }
    assert any("Les viandes, le lait et les produits laitiers" in notice for notice in result.notices)


def test_tobacco_and_alcohol_are_not_part_of_the_value_allowance():
    result = trip(item("430"), excise(Category.SPIRITS, "1", value="300"))
    assert result.value_eur == D("430.00")
    assert result.lines == ()


# --- tobacco and alcohol limits -----------------------------------------------------------------------------------


def test_200_cigarettes_are_within_the_limit():
    result = trip(excise(Category.CIGARETTES, "200"))
    assert result.lines == ()
    assert (
        "Tabac : 200 cigarettes, dans la limite de 200 cigarettes (Directive 2007/74/CE, art. 8 ; 17 ans ou plus). "
        "Cette quantité n'est pas comptée dans la franchise en valeur."
    ) in result.notices


def test_201_cigarettes_exceed_the_limit_and_the_excess_is_not_estimated():
    result = trip(excise(Category.CIGARETTES, "201"))
    excess = line(result, "Droits d'accise et TVA sur l'excédent de tabac")
    assert excess.amount is None
    assert excess.explanation == (
        "L'excédent de 1 cigarette (201 cigarettes pour une limite de 200 cigarettes) est soumis aux droits "
        f"d'accise et à la TVA, {NOT_ESTIMATED}."
    )
    assert not result.complete
    assert "Tabac : 201 cigarettes, au-delà de la limite de 200 cigarettes (Directive 2007/74/CE, art. 8)." in (
        result.notices
    )


def test_100_cigarettes_and_50_cigarillos_use_exactly_the_whole_tobacco_allowance():
    result = trip(excise(Category.CIGARETTES, "100"), excise(Category.CIGARILLOS, "50"))
    assert result.lines == ()
    assert any(
        notice.startswith(
            "Tabac : 100 cigarettes, soit 50 % de la limite de 200 cigarettes ; 50 cigarillos, soit 50 % de la "
            "limite de 100 cigarillos ; au total 100 % de la franchise, dans la limite"
        )
        for notice in result.notices
    )


def test_100_cigarettes_and_51_cigarillos_exceed_the_tobacco_allowance():
    result = trip(excise(Category.CIGARETTES, "100"), excise(Category.CIGARILLOS, "51"))
    excess = line(result, "Droits d'accise et TVA sur l'excédent de tabac")
    assert excess.amount is None
    assert excess.explanation.startswith("L'excédent, 1 % de la franchise, est soumis aux droits d'accise")
    assert set(excess.rule_keys) == {"TOBACCO_CIGARETTES", "TOBACCO_CIGARILLOS", "TOBACCO_ALCOHOL_MIN_AGE"}


def test_1_1_litre_of_spirits_exceeds_the_limit_of_1_litre():
    assert trip(excise(Category.SPIRITS, "1")).lines == ()
    result = trip(excise(Category.SPIRITS, "1.1"))
    excess = line(result, "Droits d'accise et TVA sur l'excédent d'alcools forts")
    assert excess.explanation.startswith(
        "L'excédent de 0,1 litre d'alcool fort (1,1 litre d'alcool fort pour une limite de 1 litre d'alcool fort)"
    )


def test_spirits_and_drinks_up_to_22_percent_are_alternatives():
    assert trip(excise(Category.SPIRITS, "0.5"), excise(Category.INTERMEDIATE_DRINKS, "1")).lines == ()
    result = trip(excise(Category.SPIRITS, "0.5"), excise(Category.INTERMEDIATE_DRINKS, "1.1"))
    assert line(result, "Droits d'accise et TVA sur l'excédent d'alcools forts").amount is None


def test_4_litres_of_still_wine_and_16_litres_of_beer_are_each_within_on_their_own():
    result = trip(excise(Category.STILL_WINE, "4"), excise(Category.BEER, "16"), excise(Category.SPIRITS, "1"))
    assert result.lines == ()
    assert any(
        n.startswith("Vins tranquilles : 4 litres de vin tranquille, dans la limite") for n in result.notices
    )
    assert any(n.startswith("Bières : 16 litres de bière, dans la limite") for n in result.notices)
    over = trip(excise(Category.STILL_WINE, "4.5"), excise(Category.BEER, "16.5"))
    assert [line.label for line in over.lines] == [
        "Droits d'accise et TVA sur l'excédent de vins tranquilles",
        "Droits d'accise et TVA sur l'excédent de bière",
    ]


def test_under_15_one_cigarette_is_over_the_limit():
    result = trip(excise(Category.CIGARETTES, "1"), under_15=True)
    excess = line(result, "Droits d'accise et TVA sur l'excédent de tabac")
    assert excess.amount is None
    assert excess.explanation == (
        f"Sans franchise avant 17 ans, toute la quantité (1 cigarette) est soumise aux droits d'accise et à la TVA, "
        f"{NOT_ESTIMATED}."
    )
    assert any("réservée aux voyageurs de 17 ans ou plus" in notice for notice in result.notices)


# --- cash ---------------------------------------------------------------------------------------------------------


def test_10000_euros_of_cash_must_be_declared():
    result = trip(cash="10000")
    assert result.notices == (
        "Ajoutez les articles que vous rapportez pour voir l'estimation.",
        "Vous transportez 10 000,00 € d'argent liquide : à partir de 10 000,00 €, vous devez le déclarer à la "
        "douane en arrivant (obligation déclarative, Règlement (UE) 2018/1672, art. 3 ; code des douanes, "
        "art. 464). Ce n'est pas une taxe : rien n'est à payer pour cela.",
    )
    assert result.total == D("0.00")


def test_9999_euros_99_of_cash_need_no_declaration():
    result = trip(cash="9999.99")
    assert not any("argent liquide" in notice for notice in result.notices)


# --- an online purchase -------------------------------------------------------------------------------------------


def test_149_99_euros_with_two_categories_ordered_on_1_july_2026_owe_6_euros_of_duty():
    result = purchase(item("100", Category.CLOTHING), item("49.99", Category.ELECTRONICS))
    duty = line(result, "Droit de douane forfaitaire")
    assert duty.amount == D("6.00")
    assert duty.explanation.startswith(
        "2 catégories d'articles (sous-positions tarifaires 6109 et 8517) × 3,00 € = 6,00 € : droit forfaitaire "
        "des envois de 150,00 € au plus, en vigueur depuis le 01/07/2026"
    )
    assert line(result, "Taxe sur les petits colis").amount == D("4.00")  # 2 articles × 2 €
    assert line(result, "TVA à 20 %").amount == D("31.20")  # 20 % × (149.99 + 6) = 31.198
    assert (result.total, result.complete) == (D("41.20"), True)


def test_the_same_parcel_ordered_on_30_june_2026_owes_no_duty():
    result = purchase(item("100", Category.CLOTHING), item("49.99", Category.ELECTRONICS), on=dt.date(2026, 6, 30))
    duty = line(result, "Droits de douane")
    assert duty.amount == D("0.00")
    assert duty.explanation.startswith(
        "Aucun droit de douane : les envois de 150,00 € au plus en sont exonérés jusqu'au 30/06/2026"
    )
    assert line(result, "TVA à 20 %").amount == D("30.00")  # 20 % × 149.99 = 29.998


def test_the_flat_duty_counts_distinct_tariff_subheadings_not_items():
    result = purchase(item("20"), item("30"), item("10", Category.OTHER), item("10", Category.OTHER))
    duty = line(result, "Droit de douane forfaitaire")
    assert duty.amount == D("9.00")  # clothing once, and each « other » article on its own
    assert "2 articles « autre », comptés chacun comme une catégorie" in duty.explanation


def test_vat_paid_at_checkout_with_an_ioss_number_leaves_only_the_duty_and_the_fee():
    result = purchase(item("100", Category.CLOTHING), item("49.99", Category.ELECTRONICS), vat_paid=True,
                      ioss="IM2500012345")  # fmt: skip
    assert amounts(result) == {
        "Droit de douane forfaitaire (3,00 € par catégorie d'articles)": D("6.00"),
        "Taxe sur les petits colis, par article (montant indicatif)": D("4.00"),
        "TVA (payée à la commande)": D("0.00"),
    }
    assert line(result, "TVA").explanation == (
        "TVA payée au vendeur lors de la commande (numéro IOSS IM2500012345) : rien de plus à payer à la livraison."
    )
    assert result.total == D("10.00")


def test_vat_not_paid_at_checkout_is_due_on_delivery_with_shipping_and_duty_in_its_base():
    result = purchase(
        item("90", Category.CLOTHING), item("10", Category.BOOKS), shipping="10", ioss="IM2500012345"
    )
    # Shipping shared by value: 9 and 1. Duty: 3 per subheading. 20 % × (90 + 9 + 3) = 20.40; 5.5 % × 14 = 0.77.
    assert line(result, "TVA à 20 %").amount == D("20.40")
    assert line(result, "TVA à 5,5 %").amount == D("0.77")
    assert line(result, "TVA à 20 %").explanation.startswith(
        "TVA à taux normal de 20 % sur 90,00 € de marchandises, 9,00 € de frais de port et 3,00 € de droits de "
        "douane (base 102,00 €) : 20,40 €"
    )
    assert any(
        "mais la TVA n'a pas été payée à la commande : elle est due à la livraison" in n for n in result.notices
    )


def test_150_euros_01_has_its_customs_duty_not_estimated_and_no_ioss():
    result = purchase(item("150.01"), shipping="5", vat_paid=True, ioss="IM2500012345")
    duty = line(result, "Droits de douane")
    assert duty.amount is None
    assert "plus que 150,00 €" in duty.explanation
    assert line(result, "TVA à 20 %").amount == D("31.00")  # 20 % × 155.01
    assert "Taxe sur les petits colis" not in " ".join(amounts(result))
    assert not result.complete
    assert any(n.startswith("L'IOSS ne s'applique pas aux commandes de plus de 150,00 €") for n in result.notices)


def test_tobacco_or_alcohol_bought_online_owe_excise_not_estimated():
    result = purchase(excise(Category.CIGARETTES, "200", value="40"))
    assert line(result, "Droits d'accise et de douane sur le tabac et l'alcool").amount is None
    assert any("art. 568 ter" in notice for notice in result.notices)
    assert not result.complete


def test_a_purchase_in_dollars_is_converted_at_the_rate_of_the_order_date():
    result = purchase(item("116.35", currency="USD"), on=dt.date(2026, 12, 2))
    (conversion,) = result.conversions
    assert conversion.rate == Rate("USD", D("1.1635"), dt.date(2026, 12, 2))
    assert (conversion.amount, conversion.currency, conversion.euros) == (D("116.35"), "USD", D("100.00"))
    assert result.value_eur == D("100.00")
    assert result.notices[0] == "Montants en USD convertis au taux du 02/12/2026 : 1 € = 1,1635 USD."


def test_a_sunday_order_uses_fridays_rate_and_says_so():
    result = purchase(item("10", currency="GBP"), on=dt.date(2026, 12, 6))
    assert result.conversions[0].rate.on == dt.date(2026, 12, 4)
    assert result.notices[0] == (
        "Montants en GBP convertis au taux du 04/12/2026 (le dernier connu au 06/12/2026) : 1 € = 0,8748 GBP."
    )


def test_an_unknown_currency_is_an_error_on_its_field():
    with pytest.raises(EstimateError) as error:
        purchase(item("10"), item("10", currency="XYZ"))
    assert error.value.errors == {"items.1.currency": "Devise inconnue : XYZ."}


def test_a_rate_asked_before_any_rate_is_an_error():
    with pytest.raises(EstimateError) as error:
        trip(item("10", currency="USD"), on=dt.date(2026, 5, 31))
    assert error.value.errors == {
        "items.0.currency": "Aucun taux de change USD n'est connu au 31/05/2026 (le plus ancien est du 01/06/2026)."
    }


def test_a_missing_excise_quantity_and_a_negative_value_are_errors_on_their_fields():
    with pytest.raises(EstimateError) as error:
        trip(item("-1"), item("10"), item("10", Category.SPIRITS), cash="-5")
    assert error.value.errors == {
        "items.0.value": "La valeur ne peut pas être négative.",
        "items.2.exciseQuantity": "Indiquez la quantité (litres).",
        "cashAmount": "Le montant d'argent liquide ne peut pas être négatif.",
    }


def test_a_date_outside_the_rules_is_an_error_on_the_date():
    with pytest.raises(EstimateError) as error:
        purchase(item("10"), on=dt.date(2020, 1, 1))
    assert list(error.value.errors) == ["orderDate"]
    assert "n'est pas en vigueur le 01/01/2020" in error.value.errors["orderDate"]


def test_an_empty_list_is_an_estimate_of_zero_asking_for_the_items():
    for result in (trip(), purchase()):
        assert (result.total, result.complete, result.lines) == (D("0.00"), True, ())
        assert result.notices[0].startswith("Ajoutez les articles")
