"""A generator of realistic data for the benchmarks: operators with valid SIRET, their administrators and
collaborators with habilitations, partners, representatives with mandates (one of them representing 50 operators),
customs officers of a handful of offices, and dossiers across the five procedures and every status, with form
answers, goods lines and a history (steps and comments) consistent with the workflow.

Everything is inserted in bulk with SQLAlchemy Core (`executemany`, which SQLAlchemy turns into multi-row INSERTs on
PostgreSQL), in chunks of a few thousand dossiers per transaction, on the schema that `backend.migrations.upgrade`
creates. Deterministic: the same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from backend.config import Settings
from backend.db import create_sync_engine_for
from backend.dossiers import catalogue, form
from backend.dossiers.catalogue import Procedure
from backend.dossiers.models import Dossier, DossierCounter, DossierEvent, DossierStatus, GoodsLine
from backend.identity.identifiers import luhn_ok, validate_siret
from backend.identity.models import (
    SOPRANO,
    AccountKind,
    Habilitation,
    MandateScope,
    Operator,
    Representation,
    Right,
    TermsAcceptance,
    TermsVersion,
    User,
)
from backend.migrations import upgrade
from backend.models import metadata
from bench.common import BENCH_ISSUER, OFFICER_ISSUER, check_disposable

S = DossierStatus

# Customs offices (codes in the FR + 6 characters format; FR000690 and FR002300 are the demo's), with their share
# of the dossiers.
OFFICES = (
    ("FR000690", 0.30),
    ("FR002300", 0.22),
    ("FR004250", 0.17),
    ("FR006720", 0.13),
    ("FR001260", 0.10),
    ("FR007600", 0.08),
)
OFFICERS_PER_OFFICE = 4

# Share of each status in the portal after two and a half years of use.
STATUS_SHARES = (
    (S.DRAFT, 0.12),
    (S.SUBMITTED, 0.08),
    (S.COMPLEMENT_REQUESTED, 0.06),
    (S.ACCEPTED, 0.10),
    (S.HEARING, 0.02),
    (S.GRANTED, 0.45),
    (S.REFUSED, 0.04),
    (S.NOT_ACCEPTED, 0.03),
    (S.WITHDRAWN, 0.10),
)
PROCEDURE_SHARES = (
    (Procedure.INWARD_PROCESSING, 0.30),
    (Procedure.CUSTOMS_WAREHOUSING, 0.25),
    (Procedure.END_USE, 0.20),
    (Procedure.TEMPORARY_ADMISSION, 0.15),
    (Procedure.OUTWARD_PROCESSING, 0.10),
)

REPRESENTATIVE_INDEX = 1  # Targets.representative_user belongs to it
REPRESENTED_COUNT = 50
OTHER_REPRESENTATIVES = (2, 3, 4, 5)  # smaller customs representatives, ten mandates each

CITIES = (
    ("Lyon", "69007"),
    ("Villeurbanne", "69100"),
    ("Le Havre", "76600"),
    ("Rouen", "76000"),
    ("Marseille", "13002"),
    ("Aubagne", "13400"),
    ("Lille", "59000"),
    ("Roubaix", "59100"),
    ("Strasbourg", "67000"),
    ("Mulhouse", "68100"),
    ("Toulouse", "31000"),
    ("Bordeaux", "33000"),
    ("Nantes", "44000"),
    ("Saint-Nazaire", "44600"),
    ("Grenoble", "38000"),
    ("Clermont-Ferrand", "63000"),
    ("Roissy-en-France", "95700"),
    ("Gennevilliers", "92230"),
    ("Orléans", "45000"),
    ("Dijon", "21000"),
    ("Reims", "51100"),
    ("Montpellier", "34000"),
    ("Nice", "06000"),
    ("Rennes", "35000"),
    ("Tours", "37000"),
    ("Dunkerque", "59140"),
    ("Besançon", "25000"),
    ("Limoges", "87000"),
    ("Annecy", "74000"),
    ("Valence", "26000"),
)
STREETS = (
    "rue des Forges",
    "avenue de la République",
    "quai de la Douane",
    "rue du Port",
    "zone industrielle des Iles",
    "chemin des Verriers",
    "boulevard Gambetta",
    "rue de l'Industrie",
    "avenue Jean Jaurès",
    "parc d'activités du Moulin",
    "rue Pasteur",
    "allée des Tisserands",
)
TRADES = (
    "Ateliers",
    "Verrerie",
    "Chocolaterie",
    "Laboratoires",
    "Établissements",
    "Manufacture",
    "Tissages",
    "Fonderie",
    "Distillerie",
    "Papeterie",
    "Conserverie",
    "Mécanique",
    "Parfumerie",
    "Cartonnerie",
    "Brasserie",
    "Tannerie",
    "Aciéries",
    "Plasturgie",
)
FIRST_NAMES = (
    "Marie",
    "Paul",
    "Sophie",
    "Karim",
    "Lucie",
    "Jean",
    "Claire",
    "Hugo",
    "Nathalie",
    "Thomas",
    "Camille",
    "Nicolas",
    "Inès",
    "Julien",
    "Sarah",
    "Mehdi",
    "Isabelle",
    "Antoine",
    "Léa",
    "Olivier",
    "Fatou",
    "Pierre",
    "Chloé",
    "Youssef",
    "Émilie",
    "François",
    "Manon",
    "David",
)
LAST_NAMES = (
    "Durand",
    "Lefèvre",
    "Moreau",
    "Benali",
    "Martin",
    "Petit",
    "Bernard",
    "Lambert",
    "Dubois",
    "Garnier",
    "Rousseau",
    "Faure",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Chevalier",
    "Diallo",
    "Nguyen",
    "Roux",
    "Fontaine",
    "Perrin",
    "Morel",
    "Girard",
    "André",
    "Lemaire",
    "Bonnet",
    "Haddad",
    "Colin",
    "Vidal",
)
SUFFIXES = ("SA", "SAS", "SARL", "SAS", "SASU", "& Fils")
# Combined nomenclature codes (8 digits) with a description, for goods lines.
GOODS = (
    ("18010000", "Cacao en fèves, brut ou torréfié", "KGM"),
    ("17019910", "Sucre blanc", "TNE"),
    ("70052100", "Verre flotté, teinté dans la masse", "MTK"),
    ("72083900", "Produits laminés plats en fer, d'une épaisseur < 3 mm", "TNE"),
    ("76012000", "Aluminium sous forme brute, allié", "KGM"),
    ("52010090", "Coton non cardé ni peigné", "KGM"),
    ("41041151", "Cuirs et peaux de bovins, tannés", "MTK"),
    ("84713000", "Machines automatiques de traitement de l'information portables", "NAR"),
    ("85423190", "Circuits intégrés électroniques (processeurs)", "NAR"),
    ("39011010", "Polyéthylène linéaire, densité < 0,94", "KGM"),
    ("29153900", "Esters de l'acide acétique", "KGM"),
    ("22084011", "Rhum, en récipients de 2 l ou moins", "LTR"),
    ("22042109", "Vins, en récipients de 2 l ou moins", "LTR"),
    ("33029010", "Mélanges de substances odoriférantes (parfumerie)", "KGM"),
    ("48010000", "Papier journal, en rouleaux", "TNE"),
    ("88033000", "Parties d'avions et d'hélicoptères", "NAR"),
    ("87089997", "Parties et accessoires de véhicules automobiles", "NAR"),
    ("30049000", "Médicaments conditionnés pour la vente au détail", "KGM"),
    ("09011100", "Café non torréfié, non décaféiné", "KGM"),
    ("27101943", "Gazole", "HLT"),
    ("44071110", "Bois de pin, sciés longitudinalement", "MTQ"),
    ("61091000", "T-shirts en coton, en bonneterie", "NAR"),
    ("90189084", "Instruments et appareils de médecine", "NAR"),
    ("84118280", "Turbines à gaz, d'une puissance > 5 000 kW", "NAR"),
)
SENTENCES = (
    "Les marchandises sont stockées dans un magasin fermé, sous vidéosurveillance.",
    "Une comptabilité matières tenue dans notre progiciel de gestion permet le suivi des entrées et sorties.",
    "Identification par numéro de lot porté sur chaque colis et reporté dans la comptabilité matières.",
    "Les produits transformés sont réexportés vers nos clients hors de l'Union dans un délai de six mois.",
    "Les machines sont utilisées exclusivement pour des essais de présentation à la clientèle.",
    "Taux de rendement de 92 %, établi d'après les essais de production de l'année précédente.",
    "Le service des douanes peut consulter les écritures sur place, au siège de l'entreprise.",
    "Garantie globale constituée auprès de notre banque pour un montant de 150 000 euros.",
    "Apurement mensuel, avec un décompte transmis au bureau de contrôle dans les 30 jours.",
    "Les marchandises non Union et Union sont stockées dans des zones séparées et signalées.",
    "Les opérations de transformation ont lieu dans notre usine, sur deux lignes de production.",
    "Aucune manipulation usuelle n'est envisagée en dehors du reconditionnement des palettes.",
    "Les données sont accessibles par le service des douanes au moyen d'un accès en lecture à notre système.",
    "Destination : fabrication d'aéronefs civils, conformément au règlement applicable.",
    "Les pièces de rechange sont identifiées par leur numéro de série, relevé à l'entrée et à la sortie.",
)
COMMENTS_APPLICANT = (
    "Bonjour, pouvez-vous nous indiquer où en est l'examen de notre demande ?",
    "Nous avons ajouté l'attestation de la banque demandée en pièce jointe.",
    "Le taux de rendement a été corrigé d'après nos derniers essais de production.",
    "Notre contact habituel est absent cette semaine ; merci d'écrire à l'adresse du service douane.",
    "Vous trouverez ci-joint le plan des locaux avec la zone de stockage matérialisée.",
    "Nous confirmons que les marchandises seront réexportées dans le délai indiqué.",
)
COMMENTS_CUSTOMS = (
    "Merci de préciser la méthode d'identification des marchandises placées sous le régime.",
    "Le plan des locaux ne fait pas apparaître la zone de stockage : merci de le compléter.",
    "Une visite des locaux est prévue la semaine prochaine ; merci de nous indiquer vos disponibilités.",
    "Le montant de la garantie paraît insuffisant au regard des droits en jeu.",
    "Dossier en cours d'instruction, un avis du service de contrôle a été demandé.",
    "Merci pour ces éléments, ils sont suffisants pour poursuivre l'instruction.",
)
COMPLEMENT_MESSAGES = (
    "Merci de joindre le descriptif des installations de stockage.",
    "Il manque le calcul du taux de rendement et la justification des conditions économiques.",
    "Veuillez préciser la tenue de la comptabilité matières et l'accès du service à vos écritures.",
)
REFUSAL_MESSAGES = (
    "Les conditions économiques ne sont pas remplies : les intérêts des producteurs de l'Union seraient lésés.",
    "La comptabilité présentée ne permet pas un contrôle efficace du régime.",
)


# --- identifiers -----------------------------------------------------------------------------------------------


def _luhn_complete(prefix: str) -> str:
    for digit in "0123456789":
        if luhn_ok(prefix + digit):
            return prefix + digit
    raise AssertionError(prefix)  # pragma: no cover


def make_siret(rng: random.Random, used: set[str]) -> str:
    """A SIRET whose SIREN and whole SIRET both pass the Luhn check, never La Poste's SIREN."""
    while True:
        siren = _luhn_complete(str(rng.randint(1, 9)) + "".join(rng.choices("0123456789", k=7)))
        if siren.startswith("356000000"):
            continue
        siret = _luhn_complete(siren + f"{rng.randint(1, 99):04d}")
        if siret not in used:
            used.add(siret)
            return validate_siret(siret)


# --- the generator --------------------------------------------------------------------------------------------


@dataclass
class OperatorRow:
    id: int
    siret: str
    name: str
    address: str
    postcode: str
    city: str
    eori: str
    admin_id: int = 0
    # Users who may file for it (right ≥ prepare), and every user with a right (for comments and history).
    filers: list[int] = field(default_factory=list)


@dataclass
class Counts:
    operators: int = 0
    users: int = 0
    habilitations: int = 0
    representations: int = 0
    dossiers: int = 0
    goods_lines: int = 0
    events: int = 0
    comments: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_procedure: dict[str, int] = field(default_factory=dict)


def _table(model) -> sa.Table:
    return model.__table__  # type: ignore[attr-defined]


def _chunks(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class Generator:
    def __init__(
        self,
        engine: sa.Engine,
        *,
        operators: int,
        dossiers: int,
        seed: int = 20261123,
        now: dt.datetime | None = None,
        log: Callable[[str], None] = print,
    ) -> None:
        self.engine = engine
        self.n_operators = operators
        self.n_dossiers = dossiers
        self.rng = random.Random(seed)
        self.now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        self.log = log
        self.counts = Counts()
        self.operators: list[OperatorRow] = []
        self.officers: dict[str, list[int]] = {}
        self.rep_filers: dict[int, list[int]] = {}  # representative operator id → its filing users
        self.mandates: dict[int, tuple[int, MandateScope]] = {}  # represented id → (representative id, scope)
        self._user_id = 0

    # --- people --------------------------------------------------------------------------------------------

    def _person(self) -> tuple[str, str]:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        return first, last

    def _user(self, rows: list[dict], **values) -> int:
        self._user_id += 1
        first, last = self._person()
        created = self.now - dt.timedelta(days=self.rng.uniform(30, 950))
        rows.append(
            {
                "id": self._user_id,
                "issuer": BENCH_ISSUER,
                "kind": AccountKind.PROFESSIONAL,
                "name": f"{first} {last}",
                "email": values.get("subject"),
                "siret": None,
                "customs_office": None,
                "operator_id": None,
                "is_admin": False,
                "created_at": created,
                "last_login_at": created + dt.timedelta(days=self.rng.uniform(0, 25)),
                **values,
            }
        )
        return self._user_id

    def people(self) -> None:
        rng = self.rng
        used: set[str] = set()
        operator_rows, user_rows, habilitation_rows = [], [], []
        for index in range(self.n_operators):
            city, postcode = rng.choice(CITIES)
            if index == 0:
                name = "Ateliers Durand Industrie SA"
            elif index == REPRESENTATIVE_INDEX:
                name = "Transit & Douane Services SAS"
            elif index in OTHER_REPRESENTATIVES:
                name = f"Commissionnaire {rng.choice(LAST_NAMES)} {rng.choice(SUFFIXES)}"
            else:
                name = f"{rng.choice(TRADES)} {rng.choice(LAST_NAMES)} {rng.choice(SUFFIXES)}"
            siret = make_siret(rng, used)
            row = OperatorRow(
                id=index + 1,
                siret=siret,
                name=name,
                address=f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
                postcode=postcode,
                city=city,
                eori="FR" + siret[:9],
            )
            self.operators.append(row)
            operator_rows.append(
                {
                    "id": row.id,
                    "siren": siret[:9],
                    "siret": siret,
                    "eori": row.eori,
                    "legal_name": name,
                    "address": row.address,
                    "postcode": postcode,
                    "city": city,
                    "country": "FR",
                    "established_in_union": True,
                    "created_at": self.now - dt.timedelta(days=rng.uniform(400, 1000)),
                }
            )
        granted_at = self.now - dt.timedelta(days=900)
        for index, op in enumerate(self.operators):
            prefix = f"op{index:04d}"
            op.admin_id = self._user(
                user_rows,
                subject=f"{prefix}-admin@bench.invalid",
                siret=op.siret,
                operator_id=op.id,
                is_admin=True,
            )
            op.filers.append(op.admin_id)
            # Larger operators have more collaborators; the representatives have a filing team.
            if index in (0, REPRESENTATIVE_INDEX):
                collaborators = 6
            elif index in OTHER_REPRESENTATIVES:
                collaborators = 3
            else:
                collaborators = rng.choice((0, 1, 1, 2, 2, 3, 4)) + (2 if index < 50 else 0)
            for number in range(1, collaborators + 1):
                user_id = self._user(
                    user_rows, subject=f"{prefix}-u{number}@bench.invalid", siret=op.siret, operator_id=op.id
                )
                if index in (0, REPRESENTATIVE_INDEX) and number == 1:
                    right = Right.SUBMIT  # the benchmarks' operator user and representative user
                elif rng.random() < 0.05:
                    continue  # a member without any right on SOPRANO
                else:
                    right = rng.choices((Right.CONSULT, Right.PREPARE, Right.SUBMIT), (25, 35, 40))[0]
                habilitation_rows.append(
                    {
                        "operator_id": op.id,
                        "user_id": user_id,
                        "teleservice": SOPRANO,
                        "right": int(right),
                        "granted_by_id": op.admin_id,
                        "granted_at": granted_at + dt.timedelta(days=rng.uniform(0, 300)),
                    }
                )
                if right >= Right.PREPARE:
                    op.filers.append(user_id)
        # External partners: a user of one operator habilitated by another (e.g. a logistics provider).
        for _ in range(max(1, self.n_operators // 7)):
            giver, partner = rng.sample(self.operators[6:], 2) if self.n_operators > 8 else self.operators[:2]
            habilitation_rows.append(
                {
                    "operator_id": giver.id,
                    "user_id": partner.admin_id,
                    "teleservice": SOPRANO,
                    "right": int(rng.choice((Right.CONSULT, Right.PREPARE))),
                    "granted_by_id": giver.admin_id,
                    "granted_at": granted_at + dt.timedelta(days=rng.uniform(0, 600)),
                }
            )
        for office, _share in OFFICES:
            self.officers[office] = [
                self._user(
                    user_rows,
                    issuer=OFFICER_ISSUER,
                    subject=f"agent-{office.lower()}-{k}@douane.bench.invalid",
                    kind=AccountKind.CUSTOMS_OFFICER,
                    customs_office=office,
                )
                for k in range(1, OFFICERS_PER_OFFICE + 1)
            ]
        # Mandates: the benchmarks' representative acts for 50 operators spread over every size (every 20th
        # operator), a fifth of them under a partial mandate; four smaller representatives, ten mandates each.
        representation_rows = []
        step = max(1, self.n_operators // REPRESENTED_COUNT)
        represented = [i for i in range(10, self.n_operators, step)][:REPRESENTED_COUNT]
        plans = [(REPRESENTATIVE_INDEX, represented)]
        others = [i for i in range(6, self.n_operators) if i not in represented]
        for rep in OTHER_REPRESENTATIVES:
            if rep < self.n_operators:
                chosen = rng.sample(others, min(10, len(others)))
                others = [i for i in others if i not in chosen]
                plans.append((rep, chosen))
        for rep_index, targets in plans:
            rep = self.operators[rep_index]
            self.rep_filers[rep.id] = rep.filers
            for number, target in enumerate(targets):
                scope = MandateScope.PARTIAL if number % 5 == 4 else MandateScope.FULL
                self.mandates[self.operators[target].id] = (rep.id, scope)
                representation_rows.append(
                    {
                        "representative_id": rep.id,
                        "represented_id": self.operators[target].id,
                        "scope": scope,
                        "valid_from": dt.date(2024, 1, 1),
                        "valid_until": None if number % 3 else dt.date(2028, 12, 31),
                        "created_by_id": rep.admin_id,
                        "created_at": self.now - dt.timedelta(days=rng.uniform(500, 800)),
                    }
                )
        # The first terms of use come with the schema (a migration publishes them): every user accepted them.
        with self.engine.connect() as conn:
            terms_id = conn.execute(
                sa.select(_table(TermsVersion).c.id).order_by(_table(TermsVersion).c.published_at.desc()).limit(1)
            ).scalar_one()
        acceptance_rows = [
            {"user_id": u["id"], "terms_version_id": terms_id, "accepted_at": u["created_at"]}
            for u in user_rows
            if u["kind"] is AccountKind.PROFESSIONAL
        ]
        with self.engine.begin() as conn:
            conn.execute(_table(Operator).insert(), operator_rows)
            for chunk in _chunks(user_rows, 5000):
                conn.execute(_table(User).insert(), chunk)
            conn.execute(_table(Habilitation).insert(), habilitation_rows)
            conn.execute(_table(Representation).insert(), representation_rows)
            for chunk in _chunks(acceptance_rows, 5000):
                conn.execute(_table(TermsAcceptance).insert(), chunk)
        self.counts.operators = len(operator_rows)
        self.counts.users = len(user_rows)
        self.counts.habilitations = len(habilitation_rows)
        self.counts.representations = len(representation_rows)

    # --- dossiers ------------------------------------------------------------------------------------------

    def _answers(self, procedure: Procedure, op: OperatorRow, office: str, status: S, signed: dt.datetime) -> dict:
        rng = self.rng
        first, last = self._person()
        answers: dict[str, Any] = {
            "applicant.name": op.name,
            "applicant.address": op.address,
            "applicant.postcode": op.postcode,
            "applicant.city": op.city,
            "applicant.country": "FR",
            "applicant.eori": op.eori,
            "applicant.siret": op.siret,
            "applicant.applicationType": rng.choices(("FIRST", "AMENDMENT", "RENEWAL"), (70, 15, 15))[0],
            "applicant.contactName": f"{first} {last}",
            "applicant.contactPhone": f"+33 {rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
            "applicant.contactEmail": f"{first.lower()}.{last.lower()}@example.fr",
            "applicant.customsOffice": office,
        }
        # A draft is partly filled in; a filed dossier has (almost) every answer.
        fill = rng.uniform(0.2, 0.9) if status is S.DRAFT else rng.uniform(0.85, 1.0)
        for spec in _SPECS[procedure]:
            if spec.path in answers or spec.prefilled or rng.random() > fill:
                continue
            value = self._value(spec, op, signed)
            if value is not None:
                answers[spec.path] = value
        return answers

    def _value(self, spec: form.FieldSpec, op: OperatorRow, signed: dt.datetime) -> Any:
        rng = self.rng
        kind = spec.kind
        K = form.FieldKind
        if spec.path == "validation.signatory":
            return " ".join(self._person())
        if spec.path == "validation.place":
            return op.city
        if spec.path == "validation.date":
            return signed.date().isoformat()
        if kind is K.TEXTAREA:
            return " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
        if kind is K.TEXT:
            return rng.choice(SENTENCES)[: min(spec.max_length, 120)]
        if kind is K.EMAIL:
            return f"douane@{op.name.split()[1].lower()}.example.fr"
        if kind is K.BOOLEAN:
            return rng.random() < 0.4
        if kind is K.INTEGER:
            return rng.choice((6, 12, 12, 18, 24, 36))
        if kind is K.DECIMAL:
            return str(Decimal(rng.randint(0, 500)) / 100)
        if kind is K.DATE:
            return (signed + dt.timedelta(days=rng.randint(90, 720))).date().isoformat()
        if kind is K.CODE:
            entries = catalogue.code_list(spec.code_list).entries  # type: ignore[arg-type]
            if spec.code_list == "countries":
                return "FR" if rng.random() < 0.8 else rng.choice(entries).code
            return rng.choice(entries).code
        if kind is K.CODES:
            entries = catalogue.code_list(spec.code_list).entries  # type: ignore[arg-type]
            return sorted({rng.choice(entries).code for _ in range(rng.randint(1, 3))})
        if kind is K.STORAGE_PLACES:
            return [
                {
                    "name": f"Entrepôt {rng.choice(LAST_NAMES)}",
                    "country": "FR",
                    "address": f"{rng.randint(1, 200)} {rng.choice(STREETS)}, {op.postcode} {op.city}",
                    "phone": f"+33 {rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00 00",
                    "fax": None,
                    "email": None,
                }
                for _ in range(rng.randint(1, 3))
            ]
        return None

    def _timeline(self, status: S, created: dt.datetime) -> list[tuple[str, S | None, S | None, str]]:
        """The workflow steps leading to `status` (kind, from, to, side), without times."""
        rng = self.rng
        steps: list[tuple[str, S | None, S | None, str]] = [("created", None, S.DRAFT, "applicant")]
        if status is S.DRAFT or (status is S.WITHDRAWN and rng.random() < 0.3):
            if status is S.WITHDRAWN:
                steps.append(("withdraw", S.DRAFT, S.WITHDRAWN, "applicant"))
            return steps
        steps.append(("submitted", S.DRAFT, S.SUBMITTED, "applicant"))
        if status is S.SUBMITTED:
            if rng.random() < 0.5:
                steps.append(("taken", None, None, "customs"))
            return steps
        steps.append(("taken", None, None, "customs"))
        complements = 1 if status is S.COMPLEMENT_REQUESTED else (1 if rng.random() < 0.35 else 0)
        for number in range(complements):
            steps.append(("request_complement", S.SUBMITTED, S.COMPLEMENT_REQUESTED, "customs"))
            if status is S.COMPLEMENT_REQUESTED and number == complements - 1:
                return steps
            steps.append(("resubmitted", S.COMPLEMENT_REQUESTED, S.SUBMITTED, "applicant"))
        if status is S.NOT_ACCEPTED:
            steps.append(("not_accept", S.SUBMITTED, S.NOT_ACCEPTED, "customs"))
            return steps
        if status is S.WITHDRAWN and rng.random() < 0.5:
            steps.append(("withdraw", S.SUBMITTED, S.WITHDRAWN, "applicant"))
            return steps
        steps.append(("accept", S.SUBMITTED, S.ACCEPTED, "customs"))
        if rng.random() < 0.05:
            steps.append(("deadline_extended", None, None, "customs"))
        if status is S.ACCEPTED:
            return steps
        if status is S.WITHDRAWN:
            steps.append(("withdraw", S.ACCEPTED, S.WITHDRAWN, "applicant"))
            return steps
        if status is S.GRANTED and rng.random() < 0.9:
            steps.append(("grant", S.ACCEPTED, S.GRANTED, "customs"))
            return steps
        steps.append(("notify_intended_refusal", S.ACCEPTED, S.HEARING, "customs"))
        if status is S.HEARING:
            return steps
        if status is S.GRANTED:
            steps.append(("grant", S.HEARING, S.GRANTED, "customs"))
        else:
            steps.append(("refuse", S.HEARING, S.REFUSED, "customs"))
        return steps

    def _age_days(self, status: S) -> float:
        """How long ago the dossier was created: pending ones are recent, decided ones spread over 2.5 years."""
        rng = self.rng
        if status is S.DRAFT:
            return rng.uniform(0.1, 150)
        if status in (S.SUBMITTED, S.COMPLEMENT_REQUESTED):
            return rng.uniform(3, 120)
        if status in (S.ACCEPTED, S.HEARING):
            return rng.uniform(30, 260)
        return rng.uniform(45, 900)

    def _message(self, kind: str) -> str:
        if kind == "request_complement":
            return self.rng.choice(COMPLEMENT_MESSAGES)
        if kind in ("notify_intended_refusal", "refuse", "not_accept"):
            return self.rng.choice(REFUSAL_MESSAGES)
        return ""

    def dossiers(self, chunk_size: int = 5000) -> None:
        rng = self.rng
        n = self.n_dossiers
        statuses, status_weights = zip(*STATUS_SHARES, strict=True)
        procedures, procedure_weights = zip(*PROCEDURE_SHARES, strict=True)
        offices, office_weights = zip(*OFFICES, strict=True)
        # Operator sizes follow a power law: the first operator is the largest.
        operator_weights = [(rank + 1) ** -0.5 for rank in range(len(self.operators))]
        plan = []
        for _ in range(n):
            status = rng.choices(statuses, status_weights)[0]
            created = self.now - dt.timedelta(days=self._age_days(status), seconds=rng.randint(0, 86399))
            plan.append((created, status))
        plan.sort(key=lambda p: p[0])  # ids and references follow creation order
        owners = rng.choices(self.operators, operator_weights, k=n)
        counters: dict[int, int] = {}
        table_dossier, table_goods, table_events = _table(Dossier), _table(GoodsLine), _table(DossierEvent)
        goods_id = event_id = 0
        started = time.perf_counter()
        for start in range(0, n, chunk_size):
            dossier_rows, goods_rows, event_rows = [], [], []
            for offset, (created, status) in enumerate(plan[start : start + chunk_size]):
                dossier_id = start + offset + 1
                op = owners[dossier_id - 1]
                procedure = rng.choices(procedures, procedure_weights)[0]
                office = rng.choices(offices, office_weights)[0]
                mandate = self.mandates.get(op.id)
                filed_by = mandate[0] if mandate and rng.random() < 0.6 else None
                filers = self.rep_filers[filed_by] if filed_by else op.filers
                officer_pool = self.officers[office]
                officer = rng.choice(officer_pool)
                steps = self._timeline(status, created)
                # Times: each step some days after the previous one, squeezed into the time since creation.
                gaps = [0.0] + [
                    rng.uniform(0.2, 1.5) if k == "taken" else rng.uniform(1, 25) for k, *_ in steps[1:]
                ]
                idle = rng.uniform(0, 60) if status not in (S.GRANTED, S.REFUSED, S.NOT_ACCEPTED) else 0
                span = (self.now - created).total_seconds() / 86400
                scale = min(1.0, span / (sum(gaps) + idle + 0.01))
                times, at = [], created
                for gap in gaps:
                    at = at + dt.timedelta(days=gap * scale)
                    times.append(at)
                row: dict[str, Any] = {
                    "id": dossier_id,
                    "reference": "",
                    "operator_id": op.id,
                    "filed_by_operator_id": filed_by,
                    "procedure": procedure.value,
                    "status": status,
                    "customs_office": office if status is not S.DRAFT or rng.random() < 0.7 else None,
                    "version": 1,
                    "created_by_id": rng.choice(filers),
                    "created_at": created,
                    "updated_by_id": 0,
                    "updated_at": created,
                    "submitted_at": None,
                    "accepted_at": None,
                    "decision_deadline": None,
                    "deadline_extension_reason": None,
                    "hearing_started_at": None,
                    "decided_at": None,
                    "assigned_officer_id": None,
                }
                row["updated_by_id"] = row["created_by_id"]
                year = created.year
                counters[year] = counters.get(year, 0) + 1
                row["reference"] = f"SOP-{year}-{counters[year]:06d}"
                history = []
                for (kind, source, target, side), at in zip(steps, times, strict=True):
                    actor = officer if side == "customs" else rng.choice(filers)
                    message = self._message(kind)
                    if kind in ("submitted", "resubmitted"):
                        row["submitted_at"] = at
                    elif kind == "accept":
                        row["accepted_at"] = at
                        row["decision_deadline"] = at.date() + dt.timedelta(days=120)
                    elif kind == "deadline_extended":
                        row["decision_deadline"] = row["decision_deadline"] + dt.timedelta(days=60)
                        row["deadline_extension_reason"] = "Expertise technique des échantillons en cours."
                        message = (
                            f"Délai de décision prolongé jusqu'au {row['decision_deadline']:%d/%m/%Y} : "
                            f"{row['deadline_extension_reason']}"
                        )
                    elif kind == "notify_intended_refusal":
                        row["hearing_started_at"] = at
                    elif kind == "taken":
                        row["assigned_officer_id"] = officer
                    if kind in ("grant", "refuse", "not_accept"):
                        row["decided_at"] = at
                    if target is not None:
                        row["updated_at"], row["updated_by_id"] = at, actor
                        row["version"] += 1
                    history.append((kind, source, target, actor, message, at))
                if status is S.DRAFT:
                    edits = rng.randint(0, 12)
                    row["version"] += edits
                    if edits:
                        row["updated_at"] = min(self.now, created + dt.timedelta(days=rng.uniform(0, 20) * scale))
                else:
                    # Comments between the submission and now (or the decision), from both sides.
                    first = times[1]
                    last = row["decided_at"] or self.now
                    for _ in range(rng.choices((0, 1, 2, 3, 4), (35, 30, 18, 10, 7))[0]):
                        at = first + (last - first) * rng.random()
                        customs = rng.random() < 0.45
                        history.append(
                            (
                                "comment",
                                None,
                                None,
                                officer if customs else rng.choice(filers),
                                rng.choice(COMMENTS_CUSTOMS if customs else COMMENTS_APPLICANT),
                                at,
                            )
                        )
                    history.sort(key=lambda h: h[5])
                signed = row["submitted_at"] or created
                row["data"] = self._answers(procedure, op, office, status, signed)
                dossier_rows.append(row)
                for kind, source, target, actor, message, at in history:
                    event_id += 1
                    event_rows.append(
                        {
                            "id": event_id,
                            "dossier_id": dossier_id,
                            "kind": kind,
                            "actor_id": actor,
                            "from_status": source.value if source else None,
                            "to_status": target.value if target else None,
                            "message": message,
                            "at": at,
                        }
                    )
                    self.counts.comments += kind == "comment"
                kinds = form.goods_kinds_for(procedure)
                for position in range(rng.randint(1, 5)):
                    goods_id += 1
                    cn, description, unit = rng.choice(GOODS)
                    kind = "GOODS" if position == 0 else rng.choice(kinds)
                    goods_rows.append(
                        {
                            "id": goods_id,
                            "dossier_id": dossier_id,
                            "kind": kind,
                            "position": position,
                            "cn_code": cn
                            if kind == "GOODS" or procedure is not Procedure.INWARD_PROCESSING
                            else cn[:4],
                            "description": description,
                            "quantity": Decimal(rng.randint(1, 500_000)) / 10,
                            "unit": unit,
                            "value": Decimal(rng.randint(10_000, 50_000_000)) / 100,
                        }
                    )
                self.counts.by_status[status.value] = self.counts.by_status.get(status.value, 0) + 1
                self.counts.by_procedure[procedure.value] = self.counts.by_procedure.get(procedure.value, 0) + 1
            with self.engine.begin() as conn:
                conn.execute(table_dossier.insert(), dossier_rows)
                conn.execute(table_goods.insert(), goods_rows)
                conn.execute(table_events.insert(), event_rows)
            self.counts.dossiers += len(dossier_rows)
            self.counts.goods_lines += len(goods_rows)
            self.counts.events += len(event_rows)
            done = start + len(dossier_rows)
            if done % 20000 < chunk_size or done == n:
                self.log(f"  {done:>7} dossiers ({time.perf_counter() - started:.0f} s)")
        with self.engine.begin() as conn:
            conn.execute(
                _table(DossierCounter).insert(),
                [{"year": y, "last": last} for y, last in sorted(counters.items())],
            )

    def finish(self) -> None:
        """PostgreSQL: move the sequences past the explicit ids, and analyse (as autovacuum would)."""
        if self.engine.dialect.name != "postgresql":
            return
        with self.engine.begin() as conn:
            for table in ("operator", "app_user", "dossier", "goods_line", "dossier_event"):
                _reset_sequence(conn, table)
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))


def _reset_sequence(conn: sa.Connection, table: str) -> None:
    conn.execute(
        sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our own table names
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )
    )


_SPECS = {p: tuple(form.field_specs(p).values()) for p in Procedure}


# --- resetting and checking ----------------------------------------------------------------------------------


def reset_database(settings: Settings) -> None:
    """An empty database at the latest migration."""
    url = settings.database_url
    check_disposable(url)
    if url.startswith("sqlite"):
        path = Path(sa.engine.make_url(settings.sync_database_url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        engine = create_sync_engine_for(settings.sync_database_url)
        with engine.begin() as conn:
            metadata.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        engine.dispose()
    upgrade(settings)


def existing_size(settings: Settings) -> tuple[int, int] | None:
    """(operators, dossiers) of an already generated database, or None when it is not one of ours."""
    url = settings.database_url
    if url.startswith("sqlite"):
        path = Path(sa.engine.make_url(settings.sync_database_url).database or "")
        if not path.exists():
            return None
    engine = create_sync_engine_for(settings.sync_database_url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                sa.select(sa.func.count())
                .select_from(_table(User))
                .where(_table(User).c.subject == "op0000-u1@bench.invalid")
            ).scalar()
            if not found:
                return None
            operators = conn.execute(sa.select(sa.func.count()).select_from(_table(Operator))).scalar()
            dossiers = conn.execute(sa.select(sa.func.count()).select_from(_table(Dossier))).scalar()
            return int(operators or 0), int(dossiers or 0)
    except sa.exc.DBAPIError:
        return None
    finally:
        engine.dispose()


def generate(settings: Settings, *, operators: int, dossiers: int, log: Callable[[str], None] = print) -> dict:
    """Reset the database and fill it; returns what was generated and how long it took."""
    started = time.perf_counter()
    reset_database(settings)
    engine = create_sync_engine_for(settings.sync_database_url)
    try:
        generator = Generator(engine, operators=operators, dossiers=dossiers, log=log)
        generator.people()
        log(
            f"  {generator.counts.operators} operators, {generator.counts.users} users, "
            f"{generator.counts.habilitations} habilitations, {generator.counts.representations} mandates"
        )
        generator.dossiers()
        generator.finish()
    finally:
        engine.dispose()
    seconds = time.perf_counter() - started
    counts = generator.counts
    return {
        "seconds": round(seconds, 1),
        "operators": counts.operators,
        "users": counts.users,
        "habilitations": counts.habilitations,
        "representations": counts.representations,
        "dossiers": counts.dossiers,
        "goods_lines": counts.goods_lines,
        "events": counts.events,
        "comments": counts.comments,
        "by_status": dict(sorted(counts.by_status.items())),
        "by_procedure": dict(sorted(counts.by_procedure.items())),
        "offices": [o for o, _ in OFFICES],
    }


def describe(settings: Settings) -> dict:
    """Row counts of an existing benchmark database (when generation was skipped)."""
    engine = create_sync_engine_for(settings.sync_database_url)
    try:
        with engine.connect() as conn:

            def count(model, *where) -> int:
                return int(
                    conn.execute(sa.select(sa.func.count()).select_from(_table(model)).where(*where)).scalar() or 0
                )

            by_status = dict(
                conn.execute(
                    sa.select(_table(Dossier).c.status, sa.func.count()).group_by(_table(Dossier).c.status)
                ).all()
            )
            by_procedure = dict(
                conn.execute(
                    sa.select(_table(Dossier).c.procedure, sa.func.count()).group_by(_table(Dossier).c.procedure)
                ).all()
            )
            return {
                "seconds": None,
                "operators": count(Operator),
                "users": count(User),
                "habilitations": count(Habilitation),
                "representations": count(Representation),
                "dossiers": count(Dossier),
                "goods_lines": count(GoodsLine),
                "events": count(DossierEvent),
                "comments": count(DossierEvent, _table(DossierEvent).c.kind == "comment"),
                "by_status": {
                    str(getattr(k, "value", k)): v for k, v in sorted(by_status.items(), key=lambda i: str(i[0]))
                },
                "by_procedure": dict(sorted(by_procedure.items())),
                "offices": [o for o, _ in OFFICES],
            }
    finally:
        engine.dispose()
