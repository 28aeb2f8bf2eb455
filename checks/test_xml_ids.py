"""Each XML id of the addon is defined in one file only.

The same id in two data files is one record that both files write: the file
loaded last silently wins on every update, and a reader of the first file does
not see it. Within one file, a record may be written again further down to set
a link to a record defined after it (Odoo's pattern for forward references),
but never to set the same field twice. Needs no Odoo: lxml reads the files the
manifest loads (``data`` and ``demo``).
"""

import ast
import csv
from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

ADDON = Path(__file__).resolve().parent.parent / "mercator_crm"
MODULE = ADDON.name
MANIFEST = ast.literal_eval((ADDON / "__manifest__.py").read_text())
DATA_FILES = [*MANIFEST["data"], *MANIFEST.get("demo", [])]
TAGS = ("record", "template", "menuitem")
# Written twice on purpose: a database upgraded from before the offers already
# has the offer when the quote is created; a new one gets the offer after it.
SET_TWICE_ON_PURPOSE = {"demo_offer_02_quote", "demo_offer_07_quote"}


def _own_id(xml_id):
    """The id without this module's prefix; None for another module's record
    (which a file may extend)."""
    module, dot, name = xml_id.rpartition(".")
    if not dot:
        return xml_id
    return name if module == MODULE else None


def _definitions():
    """{xml id: [(file, line, set of fields written)]} over the data files."""
    found = defaultdict(list)
    for name in DATA_FILES:
        path = ADDON / name
        if path.suffix == ".csv":
            with path.open(newline="") as rows:
                for line, row in enumerate(csv.DictReader(rows), start=2):
                    if xml_id := _own_id(row["id"]):
                        found[xml_id].append((name, line, set(row) - {"id"}))
            continue
        for node in etree.parse(str(path)).iter(*TAGS):
            if node.get("id") and (xml_id := _own_id(node.get("id"))):
                fields = {f.get("name") for f in node.iterchildren("field")}
                found[xml_id].append((name, node.sourceline, fields))
    return found


DEFINITIONS = _definitions()


def test_data_files_define_ids():
    assert len(DEFINITIONS) > 50, "the check reads the addon's data files"


def test_no_xml_id_in_two_files():
    spread = {
        xml_id: sorted({f"{name}:{line}" for name, line, _fields in places})
        for xml_id, places in DEFINITIONS.items()
        if len({name for name, _line, _fields in places}) > 1
    }
    assert not spread, f"XML ids defined in several files: {spread}"


@pytest.mark.parametrize(
    "xml_id",
    sorted(
        xml_id
        for xml_id, places in DEFINITIONS.items()
        if len(places) > 1 and xml_id not in SET_TWICE_ON_PURPOSE
    ),
)
def test_a_record_written_again_sets_other_fields(xml_id):
    seen = {}
    for name, line, fields in DEFINITIONS[xml_id]:
        twice = {field: seen[field] for field in fields if field in seen}
        assert not twice, (
            f"{xml_id} sets {sorted(twice)} again at {name}:{line} "
            f"(first set at {sorted(set(twice.values()))})"
        )
        seen.update(dict.fromkeys(fields, f"{name}:{line}"))
