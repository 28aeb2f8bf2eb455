"""Checks of the addon that need no Odoo: manifest, XML, access rows, i18n."""

import ast
import csv
import re
from pathlib import Path

import polib
import pytest
from lxml import etree

ADDON = Path(__file__).resolve().parent.parent / "mercator_crm"
MANIFEST = ast.literal_eval((ADDON / "__manifest__.py").read_text())
XML_FILES = sorted(p for p in ADDON.rglob("*.xml") if "static" not in p.parts)


def _defined_models():
    """Models the addon defines with a table (``_name`` on a Model or a
    TransientModel; abstract models need no access rows)."""
    names = set()
    for folder in ("models", "wizard", "reports", "report"):
        for path in (ADDON / folder).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.ClassDef):
                    continue
                bases = {ast.unparse(base) for base in node.bases}
                if "models.AbstractModel" in bases:
                    continue
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and [ast.unparse(t) for t in stmt.targets] == ["_name"]
                        and isinstance(stmt.value, ast.Constant)
                    ):
                        names.add(stmt.value.value)
    return names


def test_manifest_keys():
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", MANIFEST["version"])
    assert MANIFEST["license"] == "LGPL-3"
    assert MANIFEST["application"] is True
    assert (ADDON / "static" / "description" / "icon.png").is_file()
    assert {"base", "mail", "contacts", "utm"} <= set(MANIFEST["depends"])


@pytest.mark.parametrize("key", ["data", "demo"])
def test_manifest_files_exist(key):
    missing = [f for f in MANIFEST.get(key, []) if not (ADDON / f).is_file()]
    assert not missing, f"{key} files missing: {missing}"


def test_every_data_file_is_loaded():
    listed = set(MANIFEST["data"]) | set(MANIFEST.get("demo", []))
    on_disk = {
        str(p.relative_to(ADDON))
        for p in [*XML_FILES, *ADDON.glob("security/*.csv")]
        if p.parts[-2] in ("data", "demo", "security", "views", "reports", "wizard")
    }
    assert not on_disk - listed, f"not in the manifest: {sorted(on_disk - listed)}"


def test_demo_only_under_demo_key():
    assert not [f for f in MANIFEST["data"] if f.startswith("demo/")]
    assert all(f.startswith("demo/") for f in MANIFEST.get("demo", []))


@pytest.mark.parametrize("path", XML_FILES, ids=lambda p: str(p.relative_to(ADDON)))
def test_xml_is_odoo_18(path):
    text = path.read_text()
    etree.fromstring(text.encode())
    assert "<tree" not in text, "Odoo 18 uses <list>"
    assert " attrs=" not in text and " states=" not in text, "Odoo 18 uses invisible="
    assert "t-raw" not in text, "use t-out"


# Spreadsheet dashboards are refreshed on each update, as Odoo's own
# (spreadsheet_dashboard_sale/data/dashboards.xml) are.
UPDATABLE_DATA = {"data/spreadsheet_dashboard_data.xml"}


def test_data_files_are_noupdate():
    for name in MANIFEST["data"]:
        if name in UPDATABLE_DATA:
            continue
        if name.startswith("data/") and name.endswith(".xml"):
            root = etree.parse(str(ADDON / name)).getroot()
            noupdate = root.get("noupdate") or "".join(
                d.get("noupdate", "") for d in root.iter("data")
            )
            assert noupdate in ("1", "True"), f"{name} should be noupdate"


def test_every_model_has_access_rows():
    with open(ADDON / "security" / "ir.model.access.csv") as f:
        rows = list(csv.DictReader(f))
    covered = {row["model_id:id"].split(".")[-1] for row in rows}
    missing = {
        m for m in _defined_models() if "model_" + m.replace(".", "_") not in covered
    }
    assert not missing, f"models without access rows: {missing}"
    assert not [r for r in rows if "portal" in r["group_id:id"]], "nothing for portal"


def test_python_has_no_debug_leftovers():
    for path in ADDON.rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"^\s*print\(", text, re.M), f"print() in {path}"
        assert "import pdb" not in text and "breakpoint()" not in text, path
        assert not re.search(r"except\s*:", text), f"bare except in {path}"


# The languages the addon is translated into, kept complete (bin/update-i18n
# merges new messages into each .po; translate them before committing).
LANGUAGES = {"fr": "French"}


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_translation_is_complete(lang):
    pot = polib.pofile(str(ADDON / "i18n" / "mercator_crm.pot"))
    po = polib.pofile(str(ADDON / "i18n" / f"{lang}.po"))
    translated = {
        (e.msgctxt, e.msgid) for e in po if e.msgstr and "fuzzy" not in e.flags
    }
    untranslated = [
        e.msgid for e in pot if e.msgid and (e.msgctxt, e.msgid) not in translated
    ]
    assert not untranslated, (
        f"{len(untranslated)} message(s) without {LANGUAGES[lang]}: {untranslated[:10]}"
    )


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_translation_placeholders_match(lang):
    po = polib.pofile(str(ADDON / "i18n" / f"{lang}.po"))
    pattern = re.compile(r"%\(\w+\)s|%s|%d|\{\{.*?\}\}")
    for entry in po:
        if entry.msgstr:
            assert sorted(pattern.findall(entry.msgid)) == sorted(
                pattern.findall(entry.msgstr)
            ), f"placeholders differ in {entry.msgid!r} ({lang})"
