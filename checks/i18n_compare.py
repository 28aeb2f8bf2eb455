"""Compare the messages of two .pot files; exit 1 when they differ.

Usage: python checks/i18n_compare.py EXPORTED.pot COMMITTED.pot
Only the (msgctxt, msgid) pairs count: comments, order and headers do not.
"""

import sys

import polib


def messages(path):
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(path) if entry.msgid}


def main(exported_path, committed_path):
    exported, committed = messages(exported_path), messages(committed_path)
    missing, stale = exported - committed, committed - exported
    for _ctxt, msgid in sorted(missing, key=str)[:40]:
        print(f"not in the committed .pot: {msgid[:120]!r}")
    for _ctxt, msgid in sorted(stale, key=str)[:40]:
        print(f"no longer in the addon: {msgid[:120]!r}")
    if missing or stale:
        print(f"{len(missing)} new, {len(stale)} stale message(s): run bin/update-i18n")
        return 1
    print(f"{len(exported)} messages, .pot current")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
