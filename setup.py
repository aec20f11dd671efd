"""What pyproject.toml cannot say: the top-level alembic/ folder (the migrations, where the design card puts them)
is shipped inside the package, as backend/migration_scripts, so an installed portal can migrate its database
(backend/migrations.py finds it there, or in the checkout). Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

SCRIPTS = "backend.migration_scripts"

setup(
    packages=[*find_namespace_packages(include=["backend*", "ui*"]), SCRIPTS, f"{SCRIPTS}.versions"],
    package_dir={SCRIPTS: "alembic"},
)
