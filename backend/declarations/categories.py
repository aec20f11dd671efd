"""The categories a private person picks for each article: their plain French name, an indicative tariff
subheading (the low-value parcel duty counts distinct subheadings), the VAT rule and, for tobacco and alcohol, the
quantity the limits are counted in."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Category(enum.StrEnum):
    CLOTHING = "clothing"
    SHOES = "shoes"
    ELECTRONICS = "electronics"
    TOYS = "toys"
    BOOKS = "books"
    COSMETICS = "cosmetics"
    PERFUME = "perfume"
    JEWELLERY = "jewellery"
    FOOD = "food"
    CIGARETTES = "cigarettes"
    CIGARILLOS = "cigarillos"
    CIGARS = "cigars"
    SMOKING_TOBACCO = "smoking_tobacco"
    SPIRITS = "spirits"
    INTERMEDIATE_DRINKS = "intermediate_drinks"
    STILL_WINE = "still_wine"
    BEER = "beer"
    OTHER = "other"


@dataclass(frozen=True)
class CategoryInfo:
    category: Category
    label: str
    # An indicative Combined Nomenclature subheading (4 to 6 digits): the real one depends on the article (a silk
    # blouse and a wool blouse are two subheadings). Cigars and cigarillos share 2402 10. "" for OTHER: unknown,
    # each such article then counts as a subheading of its own.
    tariff_heading: str
    vat_rule_key: str
    quantity_unit: str | None = None  # "UNITS", "GRAMS", "LITRES": what the tobacco and alcohol limits count
    quantity_label: str | None = None


STANDARD = "VAT_STANDARD"
REDUCED = "VAT_REDUCED"

CATEGORIES: dict[Category, CategoryInfo] = {
    info.category: info
    for info in (
        CategoryInfo(Category.CLOTHING, "Vêtements", "6109", STANDARD),
        CategoryInfo(Category.SHOES, "Chaussures", "6404", STANDARD),
        CategoryInfo(Category.ELECTRONICS, "Appareils électroniques (téléphones, ordinateurs…)", "8517", STANDARD),
        CategoryInfo(Category.TOYS, "Jouets", "9503", STANDARD),
        CategoryInfo(Category.BOOKS, "Livres", "4901", REDUCED),
        CategoryInfo(Category.COSMETICS, "Produits de beauté et de soin", "3304", STANDARD),
        CategoryInfo(Category.PERFUME, "Parfums et eaux de toilette", "3303", STANDARD),
        CategoryInfo(Category.JEWELLERY, "Bijoux", "7113", STANDARD),
        CategoryInfo(Category.FOOD, "Denrées alimentaires", "2106", REDUCED),
        CategoryInfo(Category.CIGARETTES, "Cigarettes", "240220", STANDARD, "UNITS", "nombre de cigarettes"),
        CategoryInfo(
            Category.CIGARILLOS,
            "Cigarillos (3 g au plus chacun)",
            "240210",
            STANDARD,
            "UNITS",
            "nombre de cigarillos",
        ),
        CategoryInfo(Category.CIGARS, "Cigares", "240210", STANDARD, "UNITS", "nombre de cigares"),
        CategoryInfo(Category.SMOKING_TOBACCO, "Tabac à fumer", "2403", STANDARD, "GRAMS", "grammes"),
        CategoryInfo(Category.SPIRITS, "Alcools forts (plus de 22 %)", "2208", STANDARD, "LITRES", "litres"),
        CategoryInfo(
            Category.INTERMEDIATE_DRINKS,
            "Vins mousseux, apéritifs et boissons jusqu'à 22 %",
            "220410",
            STANDARD,
            "LITRES",
            "litres",
        ),
        CategoryInfo(Category.STILL_WINE, "Vins tranquilles", "220421", STANDARD, "LITRES", "litres"),
        CategoryInfo(Category.BEER, "Bières", "2203", STANDARD, "LITRES", "litres"),
        CategoryInfo(Category.OTHER, "Autres articles", "", STANDARD),
    )
}

TOBACCO = frozenset({Category.CIGARETTES, Category.CIGARILLOS, Category.CIGARS, Category.SMOKING_TOBACCO})
ALCOHOL = frozenset({Category.SPIRITS, Category.INTERMEDIATE_DRINKS, Category.STILL_WINE, Category.BEER})


def is_tobacco(category: Category) -> bool:
    return category in TOBACCO


def is_alcohol(category: Category) -> bool:
    return category in ALCOHOL
