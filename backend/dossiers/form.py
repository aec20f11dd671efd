"""The application form (Annex A model "application for authorisation to use a special procedure other than
transit"): rubriques, fields with their French label, help bubble (infobulle), mandatory flag and condition.

A dossier's answers are a flat mapping `path → value` (e.g. `"specific.priorExport": true`). This module holds the
form's data only: parsing a submitted value is `parsing.py`, the rules of "Contrôler" are `rules.py`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from backend.dossiers.catalogue import PROCEDURES, Procedure


class FieldKind(enum.StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    EMAIL = "email"
    CODE = "code"  # one entry of a code list
    CODES = "codes"  # several entries of a code list
    STORAGE_PLACES = "storage_places"  # list of storage facilities (customs warehouse)


@dataclass(frozen=True)
class FieldSpec:
    path: str
    label: str
    help: str
    kind: FieldKind = FieldKind.TEXT
    mandatory: bool = False
    # When the field becomes mandatory or meaningful, in French (the rule itself lives in rules.py).
    condition: str | None = None
    code_list: str | None = None
    max_length: int = 500
    prefilled: bool = False
    # What the input's hint announces under its label, and the shape the rules check (a regular expression).
    hint: str | None = None
    pattern: str | None = None
    # The REQUIRED problem's message when « « label » est obligatoire. » does not fit (a sub-field, a goods value).
    required_message: str | None = None
    # The sub-fields of each element of a composite answer (a storage place), in the order the form shows them.
    parts: tuple[FieldSpec, ...] = ()

    def __post_init__(self) -> None:
        # Long answers: a textarea accepts 4,000 characters (one limit, announced and enforced).
        if self.kind is FieldKind.TEXTAREA and self.max_length == 500:
            object.__setattr__(self, "max_length", 4000)


@dataclass(frozen=True)
class Rubrique:
    code: str
    label: str
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)
    # Goods lines are edited in this rubrique (goods to place, processed and replacement products).
    has_goods: bool = False


F = FieldSpec
K = FieldKind


def _place_part(
    key: str, label: str, kind: FieldKind = K.TEXT, *, article: str | None = None, **more
) -> FieldSpec:
    """A part of one storage place; `article`: how « Indiquez … de l'installation » names a mandatory one."""
    message = f"Indiquez {article} de l'installation de stockage." if article else None
    return F(key, label, "", kind, mandatory=article is not None, max_length=255, required_message=message, **more)


# The parts of one storage place (FieldKind.STORAGE_PLACES): a part's path is its key inside the place.
STORAGE_PLACE_PARTS = (
    _place_part("name", "Nom", article="le nom"),
    _place_part("country", "Pays", K.CODE, article="le pays", code_list="countries"),
    _place_part("address", "Adresse", article="l'adresse"),
    _place_part("phone", "Téléphone"),
    _place_part("fax", "Fax"),
    _place_part("email", "Courriel", K.EMAIL),
)
STORAGE_PLACE_KEYS = tuple(part.path for part in STORAGE_PLACE_PARTS)

APPLICANT = Rubrique(
    "applicant",
    "Demandeur",
    (
        F(
            "applicant.name",
            "Nom du demandeur",
            "Raison sociale du demandeur, pré-remplie d'après votre numéro EORI.",
            mandatory=True,
            max_length=255,
            prefilled=True,
        ),
        F(
            "applicant.address",
            "Adresse",
            "Numéro et voie de l'établissement du demandeur.",
            mandatory=True,
            max_length=255,
            prefilled=True,
        ),
        F(
            "applicant.postcode",
            "Code postal",
            "Code postal de l'établissement.",
            mandatory=True,
            max_length=10,
            prefilled=True,
        ),
        F(
            "applicant.city",
            "Ville",
            "Commune de l'établissement.",
            mandatory=True,
            max_length=120,
            prefilled=True,
        ),
        F(
            "applicant.country",
            "Pays",
            "Pays d'établissement du demandeur.",
            K.CODE,
            mandatory=True,
            code_list="countries",
            prefilled=True,
        ),
        F(
            "applicant.eori",
            "Numéro EORI",
            "FR suivi du SIREN (ou, pour les numéros anciens, du SIRET) ; 17 caractères au plus.",
            mandatory=True,
            max_length=17,
            prefilled=True,
        ),
        F(
            "applicant.siret",
            "SIRET",
            "Numéro SIRET à 14 chiffres de l'établissement demandeur.",
            mandatory=True,
            max_length=14,
            prefilled=True,
        ),
        F(
            "applicant.contactName",
            "Personne à contacter",
            "Nom de la personne chargée de la demande, que le service des douanes pourra joindre.",
            mandatory=True,
            max_length=255,
        ),
        F(
            "applicant.contactPhone",
            "Téléphone du contact",
            "Numéro auquel joindre la personne à contacter.",
            mandatory=True,
            max_length=30,
        ),
        F(
            "applicant.contactEmail",
            "Courriel du contact",
            "Adresse électronique de la personne à contacter.",
            K.EMAIL,
            mandatory=True,
            max_length=320,
        ),
        F(
            "applicant.representative",
            "Représentant en douane",
            "Le cas échéant : nom, EORI et adresse du représentant agissant pour le demandeur.",
            K.TEXTAREA,
        ),
        F(
            "applicant.customsOffice",
            "Bureau de douane destinataire",
            "Service des douanes compétent pour recevoir la demande : code pays (FR) suivi de 6 caractères, par exemple FR000690.",
            mandatory=True,
            max_length=8,
        ),
        F(
            "applicant.applicationType",
            "Type de demande",
            "Première demande, modification (avenant) ou renouvellement d'une autorisation.",
            K.CODE,
            mandatory=True,
            code_list="application_types",
        ),
        F(
            "applicant.accountsPlace",
            "Lieu de tenue de la comptabilité principale",
            "Adresse où la comptabilité principale à des fins douanières est tenue ou accessible.",
            K.TEXTAREA,
            mandatory=True,
        ),
    ),
)

ACCOUNTS = Rubrique(
    "accounts",
    "Comptabilités / écritures",
    (
        F(
            "accounts.type",
            "Type de comptabilité principale",
            "Nature de la comptabilité principale à des fins douanières.",
            K.CODE,
            mandatory=True,
            code_list="accounts_types",
        ),
        F(
            "accounts.details",
            "Description des écritures",
            "Système comptable et logiciel utilisés, écritures tenues pour le régime.",
            K.TEXTAREA,
            mandatory=True,
        ),
        F(
            "accounts.place",
            "Lieu de tenue des écritures",
            "Adresse où les écritures relatives au régime sont tenues.",
            K.TEXTAREA,
        ),
        F(
            "accounts.dataAccess",
            "Accès aux données",
            "Modalités d'accès du service des douanes aux données (accès en ligne, extraction…).",
            K.TEXTAREA,
        ),
    ),
)

GOODS = Rubrique(
    "goods",
    "Marchandises et produits",
    (
        F(
            "goods.identification",
            "Identification des marchandises",
            "Moyens et méthodes d'identification des marchandises placées sous le régime (marques, numéros de série, échantillons…).",
            K.TEXTAREA,
            mandatory=True,
        ),
    ),
    has_goods=True,
)

MISC = Rubrique(
    "misc",
    "Divers",
    (
        F(
            "misc.placeOfProcessing",
            "Lieu de première utilisation ou de transformation",
            "Adresse où les marchandises seront utilisées, transformées ou stockées en premier.",
            K.TEXTAREA,
            mandatory=True,
        ),
        F(
            "misc.dischargePeriodMonths",
            "Délai d'apurement (mois)",
            "Délai, en mois, dans lequel le régime doit être apuré.",
            K.INTEGER,
            mandatory=True,
        ),
        F(
            "misc.billOfDischarge",
            "Décompte d'apurement",
            "Modalités de présentation du décompte d'apurement.",
            K.TEXTAREA,
        ),
        F("misc.guarantee", "Garantie", "Montant et forme de la garantie, ou motif de dispense.", K.TEXTAREA),
        F(
            "misc.estimatedDurationMonths",
            "Durée estimée de l'autorisation (mois)",
            "Durée de validité demandée pour l'autorisation.",
            K.INTEGER,
        ),
        F(
            "misc.additionalInformation",
            "Informations complémentaires",
            "Toute information utile à l'instruction de la demande.",
            K.TEXTAREA,
        ),
    ),
)

VALIDATION = Rubrique(
    "validation",
    "Validation",
    (
        F(
            "validation.signatory",
            "Signataire",
            "Nom et qualité de la personne qui signe la demande.",
            mandatory=True,
            max_length=255,
        ),
        F("validation.place", "Lieu", "Lieu de signature.", mandatory=True, max_length=120),
        F("validation.date", "Date", "Date de signature de la demande.", K.DATE, mandatory=True),
    ),
)

SPECIFIC: dict[Procedure, Rubrique] = {
    Procedure.TEMPORARY_ADMISSION: Rubrique(
        "specific",
        "Données spécifiques – Admission temporaire",
        (
            F(
                "specific.intendedUse",
                "Utilisation prévue",
                "Usage auquel les marchandises sont destinées pendant leur séjour dans l'Union.",
                K.TEXTAREA,
                mandatory=True,
            ),
            F(
                "specific.periodMonths",
                "Durée de séjour (mois)",
                "Période pendant laquelle les marchandises resteront sous le régime (24 mois au plus en règle générale).",
                K.INTEGER,
                mandatory=True,
            ),
            F(
                "specific.placeOfUse",
                "Lieu d'utilisation",
                "Adresse où les marchandises seront utilisées.",
                K.TEXTAREA,
                mandatory=True,
            ),
            F(
                "specific.identificationMeasures",
                "Mesures d'identification",
                "Moyens d'identifier les marchandises lors de leur réexportation.",
                K.TEXTAREA,
                mandatory=True,
            ),
        ),
    ),
    Procedure.END_USE: Rubrique(
        "specific",
        "Données spécifiques – Destination particulière",
        (
            F(
                "specific.additionalGoodsInformation",
                "Informations complémentaires sur les marchandises à placer",
                "En l'absence d'informations complémentaires, indiquer S. O. (sans objet).",
                K.TEXTAREA,
                mandatory=True,
            ),
            F(
                "specific.unit",
                "Unité de mesure",
                "Choisir la même unité de mesure que celle retenue pour les marchandises à placer.",
                K.CODE,
                mandatory=True,
                code_list="units",
            ),
            F(
                "specific.firstPlaceOfUse",
                "Premier lieu d'utilisation",
                "Détermine l'État membre compétent quand le demandeur est établi hors de l'Union ; actuellement à remplir même si le demandeur est établi dans l'Union (nom, adresse, code postal, ville).",
                K.TEXTAREA,
                mandatory=True,
            ),
            F(
                "specific.secondaryPlaceOfUse",
                "Lieu d'utilisation secondaire",
                "Actuellement : texte libre, France, divers, puis S. O. (sans objet).",
                K.TEXTAREA,
            ),
        ),
    ),
    Procedure.CUSTOMS_WAREHOUSING: Rubrique(
        "specific",
        "Données spécifiques – Entrepôt douanier",
        (
            F(
                "specific.warehouseType",
                "Type d'entrepôt",
                "Public de type I ou II, privé avec ou sans agrément des locaux.",
                K.CODE,
                mandatory=True,
                code_list="warehouse_types",
            ),
            F(
                "specific.storagePlaces",
                "Installations de stockage",
                "Un seul lieu pour un entrepôt public (types I et II) ou privé avec agrément des locaux ; un ou plusieurs pour un entrepôt privé sans agrément des locaux (fonction stockage : nom, pays, adresse, téléphone, fax, courriel).",
                K.STORAGE_PLACES,
                mandatory=True,
                parts=STORAGE_PLACE_PARTS,
            ),
            F(
                "specific.lossRate",
                "Taux de perte (%)",
                "Indiquer s'il y a un taux de perte, en pourcentage (entre 0 et 100).",
                K.DECIMAL,
            ),
            F(
                "specific.temporaryRemoval",
                "Enlèvement temporaire",
                "Recours à l'enlèvement temporaire des marchandises.",
                K.BOOLEAN,
            ),
            F(
                "specific.temporaryRemovalDetails",
                "Modalités de surveillance de l'enlèvement temporaire",
                "Modalités pratiques de surveillance associées à l'enlèvement temporaire.",
                K.TEXTAREA,
                condition="Obligatoire si l'enlèvement temporaire est demandé",
            ),
            F(
                "specific.unionGoods",
                "Stockage de marchandises de l'Union",
                "Recours au stockage de marchandises de l'Union dans les mêmes locaux.",
                K.BOOLEAN,
            ),
            F(
                "specific.unionGoodsMeasures",
                "Mesures de distinction",
                "Mesures permettant de distinguer les marchandises de l'Union des marchandises en entrepôt.",
                K.TEXTAREA,
                condition="Obligatoire si des marchandises de l'Union sont stockées",
            ),
            F(
                "specific.otherProcedureGoods",
                "Stockage de marchandises sous un autre régime",
                "Des marchandises qui ne sont pas placées sous le régime de l'entrepôt douanier sont stockées dans les mêmes locaux.",
                K.BOOLEAN,
            ),
            F(
                "specific.otherProcedure",
                "Régime des autres marchandises",
                "Régime douanier des marchandises stockées dans les mêmes locaux.",
                max_length=120,
                condition="Obligatoire si d'autres marchandises sont stockées",
            ),
            F(
                "specific.otherProcedureDescription",
                "Désignation commerciale des autres marchandises",
                "Désignation commerciale des marchandises sous un autre régime.",
                K.TEXTAREA,
                condition="Obligatoire si d'autres marchandises sont stockées",
            ),
        ),
    ),
    Procedure.INWARD_PROCESSING: Rubrique(
        "specific",
        "Données spécifiques – Perfectionnement actif",
        (
            F(
                "specific.economicConditions",
                "Conditions économiques",
                "Choisir un ou plusieurs codes correspondant à l'opération réalisée. Les conditions économiques sont considérées comme remplies pour les opérations listées à l'art. 167 RDC.",
                K.CODES,
                mandatory=True,
                code_list="economic_conditions",
            ),
            F(
                "specific.equivalentGoods",
                "Utilisation de marchandises équivalentes",
                "Des marchandises de l'Union équivalentes sont utilisées à la place des marchandises non Union.",
                K.BOOLEAN,
                mandatory=True,
            ),
            F(
                "specific.priorExport",
                "Exportation anticipée (EX/IM)",
                "Ne peut être sollicitée que si l'utilisation de marchandises équivalentes a été demandée.",
                K.BOOLEAN,
                mandatory=True,
            ),
            F(
                "specific.importPeriodMonths",
                "Période d'importation (mois)",
                "Indiquer en mois la période à l'issue de laquelle les marchandises non Union devront être importées.",
                K.INTEGER,
                condition="Obligatoire en cas d'exportation anticipée",
            ),
            F(
                "specific.releaseWithoutDeclaration",
                "Mise en libre pratique sans déclaration (décompte d'apurement)",
                "Application de l'art. 170 RDC : cocher « oui » et préciser toutes les informations utiles.",
                K.BOOLEAN,
            ),
            F(
                "specific.releaseDetails",
                "Précisions sur la mise en libre pratique",
                "Informations utiles pour l'application de l'art. 170 RDC.",
                K.TEXTAREA,
                condition="Obligatoire si la mise en libre pratique sans déclaration est demandée",
            ),
            F(
                "specific.dutyCalculation",
                "Informations sur le calcul des droits de douane",
                "Cocher « oui » pour préciser les modalités de calcul des droits lors de la mise en libre pratique des produits transformés.",
                K.BOOLEAN,
            ),
            F(
                "specific.dutyArticle",
                "Base du calcul des droits",
                "Choix entre l'art. 85 §1 et l'art. 86 §3 du CDU.",
                K.CODE,
                code_list="duty_articles",
                condition="Obligatoire si des informations sur le calcul des droits sont données",
            ),
            F(
                "specific.dutyDetails",
                "Informations complémentaires sur le calcul des droits",
                "Modalités de calcul des droits de douane.",
                K.TEXTAREA,
            ),
        ),
    ),
    Procedure.OUTWARD_PROCESSING: Rubrique(
        "specific",
        "Données spécifiques – Perfectionnement passif",
        (
            F(
                "specific.equivalentGoods",
                "Utilisation de marchandises équivalentes",
                "Des marchandises non Union équivalentes sont utilisées à la place des produits transformés.",
                K.BOOLEAN,
                mandatory=True,
            ),
            F(
                "specific.standardExchange",
                "Système des échanges standard",
                "Réparation : remplacement du produit exporté par un produit de remplacement (art. 261 CDU).",
                K.BOOLEAN,
                mandatory=True,
            ),
            F(
                "specific.standardExchangePriorImport",
                "Échanges standard avec importation anticipée",
                "Le produit de remplacement est importé avant l'exportation du produit à réparer.",
                K.BOOLEAN,
                condition="Avec les échanges standard",
            ),
            F(
                "specific.reexportDeadline",
                "Date limite de réexportation",
                "Date (à venir) à laquelle le produit à réparer doit être exporté.",
                K.DATE,
                condition="Obligatoire avec les échanges standard ou l'importation anticipée",
            ),
            F(
                "specific.priorImport",
                "Importation anticipée (IM/EX)",
                "Ne peut être sollicitée que si l'utilisation de marchandises équivalentes a été demandée.",
                K.BOOLEAN,
                mandatory=True,
            ),
            F(
                "specific.priorImportInformation",
                "Informations sur le recours à l'équivalence",
                "Toutes les informations jugées utiles sur le recours à l'équivalence.",
                K.TEXTAREA,
                condition="En cas d'importation anticipée",
            ),
        ),
    ),
}


YIELD_RATE = F(
    "goods.yieldRate",
    "Taux de rendement",
    "Taux de rendement estimé ou modalités de sa détermination (perfectionnement).",
    K.TEXTAREA,
    mandatory=True,
    condition="Perfectionnement actif ou passif",
)
# Processing procedures also ask the rate of yield.
GOODS_PROCESSING = Rubrique(GOODS.code, GOODS.label, (YIELD_RATE, *GOODS.fields), has_goods=True)


def rubriques_for(procedure: Procedure) -> tuple[Rubrique, ...]:
    goods = GOODS_PROCESSING if PROCEDURES[procedure].processing else GOODS
    return (APPLICANT, ACCOUNTS, goods, MISC, VALIDATION, SPECIFIC[procedure])


@dataclass(frozen=True)
class GoodsKind:
    code: str
    label: str


GOODS_KINDS = {
    "GOODS": GoodsKind("GOODS", "Marchandise à placer"),
    "PROCESSED": GoodsKind("PROCESSED", "Produit transformé"),
    "REPLACEMENT": GoodsKind("REPLACEMENT", "Produit de remplacement"),
}


def goods_kinds_for(procedure: Procedure) -> list[str]:
    if procedure is Procedure.INWARD_PROCESSING:
        return ["GOODS", "PROCESSED"]
    if procedure is Procedure.OUTWARD_PROCESSING:
        return ["GOODS", "PROCESSED", "REPLACEMENT"]
    return ["GOODS"]


def field_specs(procedure: Procedure) -> dict[str, FieldSpec]:
    return {f.path: f for r in rubriques_for(procedure) for f in r.fields}


# --- goods lines ---------------------------------------------------------------------------------------------

CN8 = r"[0-9]{8}"
CN4_OR_8 = r"[0-9]{4}|[0-9]{8}"

# The values of a goods line (API names), as a line of goods to place outside processing has them.
GOODS_LINE_FIELDS = (
    F(
        "cnCode",
        "Code NC",
        "",
        mandatory=True,
        max_length=8,
        hint="8 chiffres.",
        pattern=CN8,
        required_message="Le code NC est obligatoire.",
    ),
    F(
        "description",
        "Désignation",
        "",
        mandatory=True,
        max_length=1000,
        hint="La plus détaillée possible.",
        required_message="La désignation est obligatoire.",
    ),
    F(
        "quantity",
        "Quantité",
        "",
        K.DECIMAL,
        mandatory=True,
        hint="Nombre, jusqu'à 3 décimales.",
        required_message="La quantité est obligatoire.",
    ),
    F(
        "unit",
        "Unité",
        "",
        K.CODE,
        mandatory=True,
        code_list="units",
        required_message="L'unité de mesure est obligatoire.",
    ),
    F(
        "value",
        "Valeur (€)",
        "",
        K.DECIMAL,
        mandatory=True,
        hint="En euros, 2 décimales au plus.",
        required_message="La valeur est obligatoire.",
    ),
)
GOODS_LINE_FIELD = {f.path: f for f in GOODS_LINE_FIELDS}


def heading_admitted(procedure: Procedure, kind: str) -> bool:
    """The 4-digit HS heading is admitted instead of the 8-digit CN code for the goods and processed products of a
    processing procedure, never for a replacement product."""
    return PROCEDURES[procedure].processing and kind != "REPLACEMENT"


def goods_fields(procedure: Procedure, kind: str) -> tuple[FieldSpec, ...]:
    """The values of a goods line of `kind` in `procedure`: only a line of goods to place must state its value."""
    found = []
    for spec in GOODS_LINE_FIELDS:
        if spec.path == "cnCode" and heading_admitted(procedure, kind):
            spec = replace(
                spec,
                pattern=CN4_OR_8,
                hint="8 chiffres (les 4 chiffres de la position SH sont admis en perfectionnement).",
            )
        if spec.path == "value" and kind != "GOODS":
            spec = replace(spec, mandatory=False)
        found.append(spec)
    return tuple(found)
