"""`soprano`: serve the portal, migrate the database, load demo data, create API tokens."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from backend.config import ConfigurationError, get_settings
from backend.logs import configure_logging, logging_config

DEV_PROVIDER_MISSING = (
    "sans OIDC_ISSUER, « soprano serve » démarre le fournisseur d'identité de développement, mais son paquet "
    "(oidc-provider-mock) n'est pas installé : installez l'extra de développement (« pip install "
    "'soprano-portal[dev]' » ; dans le dépôt, « make run » le fait), ou indiquez un vrai fournisseur par OIDC_ISSUER."
)


def _dev_provider():
    try:
        from backend.auth.devprovider import start_dev_provider
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] in ("oidc_provider_mock", "flask", "werkzeug"):
            raise ConfigurationError(DEV_PROVIDER_MISSING) from None
        raise
    return start_dev_provider


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    provider = None
    if settings.uses_dev_provider:
        if not settings.is_dev:
            raise ConfigurationError("OIDC_ISSUER est obligatoire avec ENV=prod.")
        provider = _dev_provider()(port=settings.dev_oidc_port)
        # Workers (and this process) read the issuer from the environment like any configured provider.
        os.environ["OIDC_ISSUER"] = provider.issuer
        get_settings.cache_clear()
        print(f"Fournisseur d'identité de développement : {provider.issuer} (comptes de démonstration)")
    from backend.migrations import upgrade

    if get_settings().is_dev:
        upgrade(get_settings())
        _load_demo_quietly()
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"Portail : http://{host}:{port}")
    try:
        uvicorn.run(
            "backend.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=args.workers,
            proxy_headers=True,
            # Applied by every worker: LOG_LEVEL, LOG_FORMAT and the request id in each line.
            log_config=logging_config(settings),
            log_level=settings.log_level.lower(),
            ws="websockets-sansio",
        )
    finally:
        if provider:
            provider.stop()
    return 0


def _load_demo_quietly() -> None:
    from backend.assistance.demo import load_demo_assistance
    from backend.declarations.demo import load_demo_declarations
    from backend.demo import load_demo
    from backend.dossiers.demo import load_demo_dossiers

    settings = get_settings()

    async def run() -> None:
        from backend.db import Database

        db = Database(settings)
        async with db.session() as session:
            users = await load_demo(session, settings, settings.oidc_issuer or "")
            await load_demo_dossiers(session, users)
            await load_demo_declarations(session, users, settings)
            await load_demo_assistance(session, users)
        await db.dispose()

    asyncio.run(run())


def _db_upgrade(args: argparse.Namespace) -> int:
    from backend.migrations import upgrade

    upgrade(get_settings(), args.revision)
    print("Base de données à jour.")
    return 0


def _demo_load(args: argparse.Namespace) -> int:
    settings = get_settings()
    if not settings.oidc_issuer and not settings.is_dev:
        raise ConfigurationError("OIDC_ISSUER est obligatoire avec ENV=prod.")
    from backend.migrations import ensure_migrated

    ensure_migrated(settings)
    if not settings.oidc_issuer:
        # The demo users belong to the development provider, whose issuer is its loopback URL.
        os.environ["OIDC_ISSUER"] = f"http://127.0.0.1:{settings.dev_oidc_port}"
        get_settings.cache_clear()
    _load_demo_quietly()
    print("Données de démonstration chargées.")
    return 0


def _token_create(args: argparse.Namespace) -> int:
    from sqlmodel import select

    from backend.db import Database
    from backend.identity.identifiers import IdentifierError, validate_siret
    from backend.identity.models import Right, User
    from backend.identity.operators import operator_by_siret
    from backend.identity.tokens import TokenError, create_token

    settings = get_settings()
    operator = None
    if args.operator:
        try:
            operator = validate_siret(args.operator, "--operator")
        except IdentifierError as error:
            print(f"Erreur : {error.message}", file=sys.stderr)
            return 2

    async def run() -> int:
        db = Database(settings)
        try:
            async with db.session() as session:
                users = (await session.exec(select(User).where(User.subject == args.user))).all()
                if not users:
                    print(
                        f"Erreur : aucun utilisateur « {args.user} » (il doit s'être connecté une fois, "
                        "ou « soprano demo load »).",
                        file=sys.stderr,
                    )
                    return 2
                if len(users) > 1:
                    print(
                        f"Erreur : « {args.user} » est connu de plusieurs fournisseurs d'identité.",
                        file=sys.stderr,
                    )
                    return 2
                operator_id = None
                if operator:
                    found = await operator_by_siret(session, operator)
                    if found is None:
                        print(f"Erreur : aucun opérateur de SIRET {operator}.", file=sys.stderr)
                        return 2
                    operator_id = found.id
                try:
                    token, raw = await create_token(
                        session,
                        users[0],
                        name=args.name,
                        operator_id=operator_id,
                        right=Right[args.right.upper()] if args.right else None,
                        days=args.expires,
                    )
                except TokenError as error:
                    for _field, message in error.problems:
                        print(f"Erreur : {message}", file=sys.stderr)
                    return 2
        finally:
            await db.dispose()
        print(raw)
        print(
            f"Jeton n°{token.id} pour {args.user}, valable jusqu'au {token.expires_at:%d/%m/%Y}. "
            "Il ne sera plus affiché : conservez-le.",
            file=sys.stderr,
        )
        return 0

    return asyncio.run(run())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="soprano", description="Portail SOPRANO – régimes particuliers")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="servir le portail")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=_serve)

    db = sub.add_parser("db", help="base de données").add_subparsers(dest="db_command", required=True)
    up = db.add_parser("upgrade", help="appliquer les migrations")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=_db_upgrade)

    demo = sub.add_parser("demo", help="données de démonstration").add_subparsers(
        dest="demo_command", required=True
    )
    demo.add_parser("load", help="charger les comptes de démonstration").set_defaults(func=_demo_load)

    token = sub.add_parser("token", help="jetons d'accès API").add_subparsers(dest="token_command", required=True)
    create = token.add_parser("create", help="créer un jeton (affiché une seule fois)")
    create.add_argument("--user", required=True, help="identifiant (sub) de l'utilisateur")
    create.add_argument("--operator", help="SIRET de l'opérateur auquel limiter le jeton")
    create.add_argument("--expires", type=int, default=90, metavar="JOURS", help="durée de validité (défaut 90)")
    create.add_argument("--name", default="", help="libellé du jeton")
    create.add_argument("--right", choices=["consult", "prepare", "submit"], help="droit maximal du jeton")
    create.set_defaults(func=_token_create)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        configure_logging(get_settings())
        return args.func(args)
    except ConfigurationError as error:
        print(f"Erreur de configuration : {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
