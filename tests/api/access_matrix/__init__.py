"""THE ACCESS MATRIX: every actor kind of the demo data × every operation of the API × own / other operator, with the
expected outcome written out as a table, executed over real HTTP against the live portal.

The parts: `world.py` (actors, operators, fixture dossiers, outcomes), `operations.py` (the GraphQL documents and
the builders of their variables), `runner.py` (one row: prepare, send, undo, check), `conftest.py` (logged-in actors,
the world of a module), one `test_<domain>_matrix.py` per domain (its table), and `test_coverage.py` (no operation
or actor without rows).

How to read a row: `(actor, operation, target, expected)`.
- actor: a key of ACTORS (a logged-in demo account, a fresh account, an API token, or nobody);
- operation: a key of OPERATIONS (a GraphQL document and the builder of its variables);
- target: what the operation is aimed at — an operator key (DURAND, MARTIN, CHOCOLAT, VERRERIE, RHONE, NEW, MISSING),
  a mandate "REPRESENTED<REPRESENTATIVE", a dossier key of DOSSIERS (DURAND, DURAND+SUBMITTED, VERRERIE<MARTIN, …),
  a node "Type:key", an alias pair "OWN|OTHER", or `_` when there is none;
- expected: ALLOW (data is there), NULL (data is null, no error: "not found" for a nullable lookup), `sees(...)`
  (ALLOW, and the list shows exactly these operators), `shows(...)` (ALLOW, and of the DOSSIERS exactly these are
  listed), `reads(field=…)` (ALLOW, and the object answered has these values: a per-reader field such as
  canSave), an error code (NOT_FOUND, FORBIDDEN, PROFESSIONAL_ONLY, TERMS_NOT_ACCEPTED, UNAUTHENTICATED, …), or
  `fields(a=…, b=…)` for several aliased root fields; for private declarations also `holds(...)` (ALLOW, and of the
  DECLARATIONS exactly these are listed), `says(CODE, "words")` (that error, its French message saying them) and
  `invalid(a, b, …)` (INVALID, every problem at once: extensions.fields names exactly a, b, …).

Dossiers (issue 4): lookups read the fixture dossiers of DOSSIERS, made once for the module (each with one goods line
and one attachment); a mutation row works on a fresh copy of the target's dossier made for the row only, and every
dossier a row made (createDossier included) is deleted after it, so the fixture dossiers never change (the demo-state
check compares them too). The processing rows also aim at LATER_DOSSIERS (accepted ones), made only as such copies.

Private declarations (test_declarations_matrix.py): targets are keys of DECLARATIONS, made through the domain
service; a mutation row works on a fresh copy, and every declaration a row made is deleted after it.

To extend (later issues: authorisations…): add an entry to OPERATIONS and a `test_<domain>_matrix.py` with its
table (listed in test_coverage.py). A builder receives a
`Row` context: it resolves targets to global ids, may create what the row needs (`await row.insert(...)`) and must
register the undoing of anything it or the operation changes (`row.cleanup(...)`), so that row order never matters.
After every row, the demo state (rights, administrators, mandates, tokens, terms acceptances, chosen operators) is
compared with the state before the first row.

Rows marked `# ISSUE:` state the issue's rule where the code currently disagrees (see the report of the change).
"""
