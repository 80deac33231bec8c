"""Imports run down the journey, never up (../shared/DESIGN.md, "Layout"): each module's imports,
at the top of the file and inside functions alike, are read from its source (ast), and one
that points at a higher layer, or sideways at another app of the same layer, fails here.
Tests and migrations are left out: tests may use any app's factories."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rencontres"

# Groups of modules, by the longest prefix that names them.
GROUPS = {
    # What every app uses: settings' helpers, team roles, the audit log, rate limits, storage,
    # PDF, dates. It imports no app (its models reach Edition through their keys).
    "project": ["rencontres"],
    # Privacy's rules that every app reads: its models (consent records, erasure requests),
    # the consents' wording, the registry of personal fields, who sees the sensitive ones,
    # what the logs may hold. They import only the project package (the registry names other
    # apps' models by label, the models point at a registration by name).
    "privacy rules": [
        "rencontres.privacy.models",
        "rencontres.privacy.consents",
        "rencontres.privacy.registry",
        "rencontres.privacy.visibility",
        "rencontres.privacy.logs",
    ],
    # The outbox: registration, networking and the back-office queue e-mails through it; it
    # imports only the project package and the privacy rules (an erased address is never sent to).
    "mail": ["rencontres.mail"],
    "editions": ["rencontres.editions"],
    # Registering and what it costs are read as one group: the form shows the price and books
    # the extras under the edition's lock, the e-mails and the private page say what is owed
    # (rencontres.fees.pricing), while the grid prices registrations' categories and
    # organisations (rencontres.registration.models). The invoices build on both, above.
    "registration": ["rencontres.registration", "rencontres.fees"],
    "networking": ["rencontres.networking"],
    "onsite": ["rencontres.onsite"],
    # Who pays and the invoices: above registration, beside networking and onsite (the fee
    # grid's lines reach it as arguments, never as an import).
    "invoicing": ["rencontres.invoicing"],
    "backoffice": ["rencontres.backoffice"],
    # After the event: the surveys ask the present people (onsite) and show their results with
    # the back-office's charts and exports.
    "followup": ["rencontres.followup"],
    # The rest of privacy: the export, the erasure and the purge reach every app's data
    # (the back-office's invitation lists too), and its pages and signals act on them.
    "privacy": ["rencontres.privacy"],
    # The API reads and writes through the services and forms of every app, the back-office's
    # included; nothing but the site's URLs imports it.
    "api": ["rencontres.api"],
    # The site put together: the root URLconf, the site-wide views (the health check reads the
    # outbox), settings and the WSGI entry point.
    "site": ["rencontres.urls", "rencontres.views", "rencontres.settings", "rencontres.wsgi"],
}

# Bottom first. A group imports its own modules and those of the layers below; groups of one
# layer do not import each other.
ORDER = [
    ["project"],
    ["privacy rules"],
    ["mail"],
    ["editions"],
    ["registration"],
    ["networking", "onsite", "invoicing"],
    ["backoffice"],
    ["followup"],
    ["privacy", "api"],
    ["site"],
]

LAYER = {group: rank for rank, groups in enumerate(ORDER) for group in groups}


def group_of(module):
    """The group of a dotted module name (None outside the package)."""
    matches = [
        (len(prefix), group)
        for group, prefixes in GROUPS.items()
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    return max(matches)[1] if matches else None


def is_module(dotted):
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(tree, module, is_package):
    """(line, dotted name) of every import in the tree, wherever it stands."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".") if is_package else module.split(".")[:-1]
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module
            for alias in node.names:
                # `from rencontres import roles` imports the module rencontres.roles.
                name = f"{base}.{alias.name}"
                yield node.lineno, name if is_module(name) else base


def upward_imports(source, module, is_package=False):
    """The imports of `module` that point above its layer or sideways, as messages."""
    here = group_of(module)
    found = []
    for line, name in imported_modules(ast.parse(source), module, is_package):
        there = group_of(name)
        if there is None or there == here:
            continue
        message = f"{module}:{line} ({here}) imports {name} ({there})"
        if LAYER[there] >= LAYER[here] and message not in found:
            found.append(message)
    return found


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        parts = list(relative.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        yield path, ".".join(parts), is_package


def test_no_import_points_up_the_journey():
    found = []
    for path, module, is_package in modules():
        found += upward_imports(path.read_text(), module, is_package)
    assert found == []


def test_every_group_is_in_the_order_once_and_names_modules_that_exist():
    assert sorted(LAYER) == sorted(GROUPS)
    assert sum(len(groups) for groups in ORDER) == len(GROUPS)
    for prefixes in GROUPS.values():
        for prefix in prefixes:
            assert is_module(prefix), prefix


@pytest.mark.parametrize(
    "module, source",
    [
        ("rencontres.registration.services.places", "from rencontres.backoffice import views"),
        ("rencontres.editions.views", "def f():\n    from rencontres.registration import models"),
        ("rencontres.onsite.services", "import rencontres.networking.services"),
        ("rencontres.roles", "from .editions.models import Edition"),
        ("rencontres.privacy.visibility", "from rencontres.privacy.services import erase"),
        ("rencontres.mail.services", "from ..registration.models import Registration"),
    ],
)
def test_it_catches_an_import_up_or_sideways(module, source):
    assert upward_imports(source, module) != []


@pytest.mark.parametrize(
    "module, source",
    [
        ("rencontres.backoffice.views", "from rencontres.registration.models import Registration"),
        ("rencontres.registration.forms", "from rencontres.privacy.consents import Consent"),
        ("rencontres.privacy.services.erasure", "from rencontres.backoffice import models"),
        ("rencontres.onsite.views", "from rencontres import audit, roles"),
        ("rencontres.urls", "from .backoffice.security import AdminLockoutAuthenticationForm"),
    ],
)
def test_it_lets_an_import_down_pass(module, source):
    assert upward_imports(source, module) == []
