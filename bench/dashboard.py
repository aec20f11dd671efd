"""The dashboard query, in-process, for an operator user, a representative acting across its 50 operators and a
customs officer: the real GraphQL `dashboard` field through `backend.api.schema.schema.execute` with a real Context
(the actor loaded from the database, as `backend/api/context.py` builds it), beside hand-written baselines.

Variants, run interleaved request by request so that they see the same caches:
- `graphql_list`: the dashboard with the dossier's list columns (reference, procedure, status, dates, office) and
  its operator;
- `graphql_home`: the same plus what the home page shows per row (current deadline and whether it is overdue, the
  actions the user may take, who changed it last);
- `baseline_list` / `baseline_home`: the same answers built by hand on the same SQL (`load_access` and
  `dashboards.dashboard`; for "home", one batched query for the names instead of one per row);
- `lean_list` / `lean_home`: hand-written SQL of the same meaning that reads only the columns shown and both
  counts in one statement.

Each variant's JSON is compared with GraphQL's once per actor and bucket, so the baselines answer the same thing.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from backend.api.context import Context, Portal
from backend.api.ids import encode_id
from backend.api.schema import schema
from backend.config import Settings
from backend.db import Database, create_sync_engine_for, utcnow
from backend.dossiers import catalogue, dashboards
from backend.dossiers.deadlines import current_deadline
from backend.dossiers.models import Dossier, DossierStatus
from backend.dossiers.workflow import Side, available
from backend.identity.actor import Actor
from backend.identity.models import Operator, Right, User
from backend.identity.policy import Access, load_access
from backend.identity.policy.dossiers import visible_dossiers
from bench.common import TARGETS, StatementCounter, percentile, summary_ms

Bucket = dashboards.Bucket

LIST_FIELDS = (
    "id reference procedureCode procedureLabel authorisationType status statusLabel customsOffice "
    "createdAt updatedAt submittedAt"
)
HOME_FIELDS = LIST_FIELDS + " deadline { kind label due overdue extended } availableActions updatedBy"
OPERATOR_FIELDS = "id legalName siret city"


def dashboard_query(dossier_fields: str) -> str:
    return (
        "query Dashboard($bucket: DashboardBucket!, $first: Int!) {\n"
        "  dashboard(bucket: $bucket, first: $first) {\n"
        "    totalCount counts { todo waiting } hasNextPage endCursor\n"
        f"    items {{ dossier {{ {dossier_fields} }} operator {{ {OPERATOR_FIELDS} }} }}\n"
        "  }\n"
        "}"
    )


QUERIES = {"list": dashboard_query(LIST_FIELDS), "home": dashboard_query(HOME_FIELDS)}


# --- the JSON, by hand ----------------------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _authorisation_type(procedure: catalogue.Procedure, warehouse_type: str | None) -> str:
    return catalogue.authorisation_type(procedure, {"specific.warehouseType": warehouse_type})


def _actions(access: Access, status: DossierStatus, operator_id: int) -> list[str]:
    if access.is_officer:
        return [t.action.value for t in available(status, Side.CUSTOMS)]
    right = access.right_on(operator_id)
    if right is None or right < Right.SUBMIT:
        return []
    return [t.action.value for t in available(status, Side.APPLICANT)]


def _deadline(row, settings: Settings, now) -> dict | None:
    found = current_deadline(row, settings, now)
    if found is None:
        return None
    return {
        "kind": found.kind,
        "label": found.label,
        "due": found.due.isoformat(),
        "overdue": found.overdue,
        "extended": found.extended,
    }


def _dossier_json(d, warehouse_type: str | None) -> dict[str, Any]:
    procedure = catalogue.Procedure(d.procedure)
    return {
        "id": encode_id("Dossier", d.id),
        "reference": d.reference,
        "procedureCode": procedure.value,
        "procedureLabel": catalogue.PROCEDURES[procedure].label,
        "authorisationType": _authorisation_type(procedure, warehouse_type),
        "status": d.status.name,
        "statusLabel": d.status.label,
        "customsOffice": d.customs_office,
        "createdAt": _iso(d.created_at),
        "updatedAt": _iso(d.updated_at),
        "submittedAt": _iso(d.submitted_at),
    }


def _operator_json(o) -> dict[str, Any]:
    return {"id": encode_id("Operator", o.id), "legalName": o.legal_name, "siret": o.siret, "city": o.city}


def _page_json(items: list[dict], total: int, todo: int, waiting: int, has_next: bool, cursor: str | None) -> str:
    return json.dumps(
        {
            "data": {
                "dashboard": {
                    "totalCount": total,
                    "counts": {"todo": todo, "waiting": waiting},
                    "hasNextPage": has_next,
                    "endCursor": cursor,
                    "items": items,
                }
            }
        }
    )


# --- the variants ---------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, portal: Portal) -> None:
        self.portal = portal
        self.settings = portal.settings

    async def graphql(self, actor: Actor, shape: str, bucket: Bucket, first: int) -> str:
        context = Context(portal=self.portal, actor=actor)
        result = await schema.execute(
            QUERIES[shape], variable_values={"bucket": bucket.name, "first": first}, context_value=context
        )
        if result.errors:
            raise RuntimeError(f"GraphQL errors: {result.errors}")
        return json.dumps({"data": result.data})

    async def baseline(self, actor: Actor, shape: str, bucket: Bucket, first: int) -> str:
        """The same SQL as the resolver (policy, then dashboards.dashboard); the JSON built by hand."""
        async with self.portal.db.session() as session:
            access = await load_access(session, actor)
            page = await dashboards.dashboard(session, access, bucket=bucket, first=first)
            names: dict[int, str] = {}
            if shape == "home":
                ids = {d.updated_by_id for d, _ in page.rows}
                if ids:
                    users = (await session.exec(select(User).where(User.id.in_(ids)))).all()
                    names = {u.id: u.display_name for u in users}
        now = utcnow()
        items = []
        for d, o in page.rows:
            dossier = _dossier_json(d, d.data.get("specific.warehouseType"))
            if shape == "home":
                dossier["deadline"] = _deadline(d, self.settings, now)
                dossier["availableActions"] = _actions(access, d.status, d.operator_id)
                dossier["updatedBy"] = names.get(d.updated_by_id, "")
            items.append({"dossier": dossier, "operator": _operator_json(o)})
        return _page_json(
            items,
            page.total,
            page.counts[Bucket.TODO],
            page.counts[Bucket.WAITING],
            page.has_next,
            page.end_cursor,
        )

    async def lean(self, actor: Actor, shape: str, bucket: Bucket, first: int) -> str:
        """Hand-written SQL: both counts in one statement, only the columns shown (no JSON column, no ORM)."""
        now = utcnow()
        async with self.portal.db.session() as session:
            access = await load_access(session, actor)
            visible = visible_dossiers(access)
            todo = dashboards.bucket_condition(access, Bucket.TODO, now, self.settings)
            waiting = dashboards.bucket_condition(access, Bucket.WAITING, now, self.settings)
            counts = (
                await session.execute(
                    sa.select(sa.func.count().filter(todo), sa.func.count().filter(waiting))
                    .select_from(Dossier)
                    .where(visible)
                )
            ).one()
            dc, oc, uc = Dossier.__table__.c, Operator.__table__.c, User.__table__.c  # type: ignore[attr-defined]
            columns = [
                dc.id,
                dc.reference,
                dc.procedure,
                dc.status,
                dc.customs_office,
                dc.created_at,
                dc.updated_at,
                dc.submitted_at,
                Dossier.data["specific.warehouseType"].as_string().label("warehouse_type"),
                oc.id.label("op_id"),
                oc.legal_name,
                oc.siret,
                oc.city,
            ]
            query = sa.select(*columns).join_from(Dossier, Operator, oc.id == dc.operator_id)
            if shape == "home":
                columns = [
                    dc.operator_id,
                    dc.accepted_at,
                    dc.decision_deadline,
                    dc.deadline_extension_reason,
                    dc.hearing_started_at,
                    dc.complement_requested_at,
                    uc.name.label("u_name"),
                    uc.email.label("u_email"),
                    uc.subject.label("u_subject"),
                ]
                query = query.add_columns(*columns).join(User, uc.id == dc.updated_by_id)
            condition = todo if bucket is Bucket.TODO else waiting
            rows = (
                await session.execute(
                    query.where(visible, condition).order_by(dc.updated_at.desc(), dc.id.desc()).limit(first + 1)
                )
            ).all()
        has_next = len(rows) > first
        rows = rows[:first]
        items = []
        for r in rows:
            dossier = _dossier_json(r, r.warehouse_type)
            if shape == "home":
                dossier["deadline"] = _deadline(r, self.settings, now)
                dossier["availableActions"] = _actions(access, r.status, r.operator_id)
                dossier["updatedBy"] = r.u_name or r.u_email or r.u_subject
            operator = SimpleNamespace(id=r.op_id, legal_name=r.legal_name, siret=r.siret, city=r.city)
            items.append({"dossier": dossier, "operator": _operator_json(operator)})
        cursor = None
        if rows and has_next:
            cursor = dashboards._encode(
                dashboards.Sort.UPDATED_DESC, SimpleNamespace(updated_at=rows[-1].updated_at, id=rows[-1].id)
            )  # type: ignore[arg-type]
        todo_count, waiting_count = counts
        total = todo_count if bucket is Bucket.TODO else waiting_count
        return _page_json(items, total, todo_count, waiting_count, has_next, cursor)


VARIANTS = ("graphql_list", "baseline_list", "lean_list", "graphql_home", "baseline_home", "lean_home")


def _runner(bench: Bench, variant: str) -> Callable[[Actor, Bucket, int], Awaitable[str]]:
    kind, shape = variant.split("_")
    method = getattr(bench, kind)
    return lambda actor, bucket, first: method(actor, shape, bucket, first)


def classify(statement: str) -> str:
    """What a statement is for, in the dashboard's requests."""
    text = " ".join(statement.split()).lower()
    if any(f"from {t}" in text for t in ("terms_version", "terms_acceptance", "habilitation", "representation")):
        return "access"
    if text.startswith("select count("):
        return "counts"
    if "from dossier join operator" in text:
        return "page"
    if "from app_user" in text:
        return "user names"
    if text.startswith("select dossier.id") and "where dossier.id =" in text:
        return "dossier re-read (deadline)"
    return "other"


# --- query plans ----------------------------------------------------------------------------------------------


def _plan(conn: sa.Connection, statement: str, parameters: Any) -> list[str]:
    if conn.dialect.name == "sqlite":
        return [str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()]
    return [str(r[0]) for r in conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).all()]


def explain(settings: Settings, statements: list[tuple[str, Any]]) -> list[dict]:
    """The plan of each dashboard statement (counts and page): SQLite's EXPLAIN QUERY PLAN, PostgreSQL's
    EXPLAIN (ANALYZE, BUFFERS)."""
    engine = create_sync_engine_for(settings.sync_database_url)
    plans = []
    try:
        with engine.connect() as conn:
            for statement, parameters in statements:
                kind = classify(statement)
                if kind in ("counts", "page"):
                    plans.append(
                        {
                            "statement": kind,
                            "sql": " ".join(statement.split())[:400],
                            "plan": _plan(conn, statement, parameters),
                        }
                    )
    finally:
        engine.dispose()
    return plans


# What the figures suggest, measured on the benchmark database and removed afterwards: NOT part of the product.
WHATIF_INDEXES = {
    "ix_bench_whatif_office": "CREATE INDEX ix_bench_whatif_office ON dossier (customs_office, status, updated_at, id)",
    "ix_bench_whatif_operator": (
        "CREATE INDEX ix_bench_whatif_operator ON dossier (operator_id, status, updated_at, filed_by_operator_id, id)"
    ),
}


def _timed(conn: sa.Connection, statements: list[tuple[str, Any]], repeat: int) -> dict[str, float]:
    """Median ms of each statement, summed by kind (the two counts together)."""
    out: dict[str, float] = {}
    for statement, parameters in statements:
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            conn.exec_driver_sql(statement, parameters).all()
            samples.append(time.perf_counter() - started)
        kind = classify(statement)
        out[kind] = round(out.get(kind, 0.0) + percentile(samples, 50) * 1000, 3)
    return out


def _drop_whatif(conn: sa.Connection) -> None:
    for name in WHATIF_INDEXES:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    if conn.dialect.name == "sqlite":
        for table in ("sqlite_stat1", "sqlite_stat4"):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
    conn.commit()


def whatif(settings: Settings, cases: dict[str, list[tuple[str, Any]]], repeat: int = 30) -> dict:
    """The dashboard's count and page statements (as the GraphQL request sent them), timed through a synchronous
    connection without and then with two composite indexes; the indexes are dropped at the end."""
    engine = create_sync_engine_for(settings.sync_database_url)
    result: dict[str, Any] = {"indexes": list(WHATIF_INDEXES.values()), "repeat": repeat, "cases": {}}
    try:
        with engine.connect() as conn:
            _drop_whatif(conn)
            before = {case: _timed(conn, statements, repeat) for case, statements in cases.items()}
            started = time.perf_counter()
            for ddl in WHATIF_INDEXES.values():
                conn.exec_driver_sql(ddl)
            conn.commit()
            result["build_seconds"] = round(time.perf_counter() - started, 2)
            after = {case: _timed(conn, statements, repeat) for case, statements in cases.items()}
            for case, statements in cases.items():
                page = next((st for st in statements if classify(st[0]) == "page"), None)
                result["cases"][case] = {
                    "without_ms": before[case],
                    "with_ms": after[case],
                    "page_plan_with": _plan(conn, *page) if page else [],
                }
            if conn.dialect.name == "sqlite":
                # The portal never runs ANALYZE on SQLite: without statistics the planner may keep a worse index.
                # Measured once more with them, then the statistics are removed again.
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
                for case, statements in cases.items():
                    page = next((st for st in statements if classify(st[0]) == "page"), None)
                    result["cases"][case]["with_analyze_ms"] = _timed(conn, statements, repeat)
                    result["cases"][case]["page_plan_with_analyze"] = _plan(conn, *page) if page else []
    finally:
        with engine.connect() as conn:
            _drop_whatif(conn)
        engine.dispose()
    return result


# --- the benchmark --------------------------------------------------------------------------------------------


async def _actor(db: Database, subject: str, *, acting_for_own: bool) -> Actor:
    async with db.session() as session:
        user = (await session.exec(select(User).where(User.subject == subject))).one()
    return Actor(user=user, via="session", acting_operator_id=user.operator_id if acting_for_own else None)


async def _visible_count(db: Database, actor: Actor) -> int:
    async with db.session() as session:
        access = await load_access(session, actor)
        return (
            await session.exec(select(sa.func.count()).select_from(Dossier).where(visible_dossiers(access)))
        ).one()


def _normalised(text: str) -> Any:
    return json.loads(text)


async def run_async(settings: Settings, *, requests: int, first: int, warmup: int, with_whatif: bool, log) -> dict:
    db = Database(settings)  # no hub: a query publishes nothing
    portal = Portal(settings=settings, db=db, issuer=settings.oidc_issuer or "")
    bench = Bench(portal)
    counter = StatementCounter(db.engine.sync_engine, classify)
    actors = {
        "operator": ("Utilisateur d'un opérateur (son propre opérateur)", TARGETS.operator_user, True),
        "representative": (
            "Utilisateur d'un représentant, pour ses 50 opérateurs représentés",
            TARGETS.representative_user,
            False,
        ),
        "officer": (f"Agent des douanes du bureau {TARGETS.office}", TARGETS.officer, False),
    }
    results: dict[str, Any] = {"requests": requests, "first": first, "warmup": warmup, "actors": {}}
    cases: dict[str, list[tuple[str, Any]]] = {}
    try:
        for key, (label, subject, own) in actors.items():
            actor = await _actor(db, subject, acting_for_own=own)
            async with db.session() as session:
                access = await load_access(session, actor)
            visible = await _visible_count(db, actor)
            entry: dict[str, Any] = {
                "label": label,
                "subject": subject,
                "operators_acted_for": len(access.actionable()),
                "visible_dossiers": visible,
                "buckets": {},
            }
            log(f"  {key}: {visible} visible dossiers, {len(access.actionable())} operator(s)")
            for bucket in (Bucket.TODO, Bucket.WAITING):
                runners = {v: _runner(bench, v) for v in VARIANTS}
                # Same answer everywhere (JSON compared with GraphQL's), and the SQL of one GraphQL request.
                counter.recording = []
                reference = {"list": _normalised(await runners["graphql_list"](actor, bucket, first))}
                recorded, counter.recording = counter.recording, None
                cases[f"{key}/{bucket.value}"] = [st for st in recorded if classify(st[0]) in ("counts", "page")]
                reference["home"] = _normalised(await runners["graphql_home"](actor, bucket, first))
                same = {}
                for variant in VARIANTS:
                    shape = variant.split("_")[1]
                    same[variant] = _normalised(await runners[variant](actor, bucket, first)) == reference[shape]
                for _ in range(warmup):
                    for variant in VARIANTS:
                        await runners[variant](actor, bucket, first)
                times: dict[str, list[float]] = {v: [] for v in VARIANTS}
                cpu: dict[str, list[float]] = {v: [] for v in VARIANTS}
                sql: dict[str, list[float]] = {v: [] for v in VARIANTS}
                connects: dict[str, int] = dict.fromkeys(VARIANTS, 0)
                kinds: dict[str, dict[str, list[float]]] = {v: {} for v in VARIANTS}
                statements: dict[str, list[int]] = {v: [] for v in VARIANTS}
                for _ in range(requests):
                    for variant in VARIANTS:
                        before, sql_before, connects_before = counter.count, counter.seconds, counter.connects
                        kinds_before = {k: list(v) for k, v in counter.by_kind.items()}
                        started, cpu_started = time.perf_counter(), time.process_time()
                        await runners[variant](actor, bucket, first)
                        times[variant].append(time.perf_counter() - started)
                        cpu[variant].append(time.process_time() - cpu_started)
                        statements[variant].append(counter.count - before)
                        sql[variant].append(counter.seconds - sql_before)
                        connects[variant] += counter.connects - connects_before
                        for kind, (n, seconds) in counter.by_kind.items():
                            n0, s0 = kinds_before.get(kind, (0, 0.0))
                            if n > n0:
                                total = kinds[variant].setdefault(kind, [0, 0.0])
                                total[0] += n - n0
                                total[1] += seconds - s0
                page = reference["list"]["data"]["dashboard"]
                bucket_entry = {
                    "total": page["totalCount"],
                    "counts": page["counts"],
                    "items": len(page["items"]),
                    "variants": {
                        v: {
                            **summary_ms(times[v]),
                            # CPU of this process (aiosqlite's threads included, so SQLite's own work too):
                            # less sensitive than wall time to other work on the machine.
                            "cpu_mean_ms": round(sum(cpu[v]) / len(cpu[v]) * 1000, 3),
                            "statements": round(sum(statements[v]) / len(statements[v]), 2),
                            "new_connections": round(connects[v] / requests, 2),
                            # Time inside the driver (execute + fetch), per request, and its share by purpose.
                            "sql_p50_ms": round(percentile([x * 1000 for x in sql[v]], 50), 3),
                            "sql_mean_ms": round(sum(sql[v]) / len(sql[v]) * 1000, 3),
                            "sql_by_kind": {
                                k: {
                                    "statements": round(n / requests, 2),
                                    "mean_ms": round(seconds / requests * 1000, 3),
                                }
                                for k, (n, seconds) in sorted(kinds[v].items())
                            },
                            "same_json_as_graphql": same[v],
                        }
                        for v in VARIANTS
                    },
                    "plans": explain(settings, recorded),
                }
                entry["buckets"][bucket.value] = bucket_entry
                g, b = bucket_entry["variants"]["graphql_home"], bucket_entry["variants"]["baseline_home"]
                log(
                    f"    {bucket.value}: total {page['totalCount']}; graphql_home p50 {g['p50_ms']} ms "
                    f"({g['statements']} stmts), baseline_home p50 {b['p50_ms']} ms ({b['statements']} stmts)"
                )
            results["actors"][key] = entry
    finally:
        counter.close()
        await db.dispose()
    if with_whatif:
        log("  what-if: the same count and page statements with two composite indexes (dropped afterwards)…")
        results["whatif"] = await asyncio.to_thread(whatif, settings, cases)
    return results


def run(
    settings: Settings, *, requests: int = 200, first: int = 20, warmup: int = 10, whatif: bool = True, log=print
) -> dict:
    return asyncio.run(
        run_async(settings, requests=requests, first=first, warmup=warmup, with_whatif=whatif, log=log)
    )
