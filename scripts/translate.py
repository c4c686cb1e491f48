"""Update the catalogues and fill the Russian one from locale/src/*.json, then compile.

Each area of the code keeps its Russian translations in its own JSON file (`locale/src/<area>.json`:
{"English msgid": "Русский перевод", "singular|plural": ["одна", "две", "пять"]}), so that people working on
different areas never edit the same lines. Run: .venv/bin/python scripts/translate.py  (or `make messages`).
Untranslated messages are listed; tests/ejournal/test_translations.py fails while any remain.
"""

import fcntl
import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PLURAL_RU = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
IGNORE = [".venv", ".tools", "staticfiles", "tests", "data", "bench", "scripts"]


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def main() -> int:
    with open("/tmp/ejournal-translate.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # several people (or agents) may run this at once
        ignore = [f"--ignore={d}" for d in IGNORE]
        manage("makemessages", "-l", "ru", "-l", "en", "--no-location", "--no-obsolete", "-v0", *ignore)
        known: dict = {}
        for f in sorted((ROOT / "locale" / "src").glob("*.json")):
            known.update(json.loads(f.read_text(encoding="utf-8")))
        po = polib.pofile(str(ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
        po.metadata.update({"Language": "ru", "Plural-Forms": PLURAL_RU, "Content-Type": "text/plain; charset=UTF-8"})
        missing = []
        for entry in po:
            key = f"{entry.msgid}|{entry.msgid_plural}" if entry.msgid_plural else entry.msgid
            value = known.get(key)
            if value is None:
                missing.append(key)
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = dict(enumerate(value))
            else:
                entry.msgstr = value
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgid = entry.previous_msgid_plural = None
        po.save()
        en = polib.pofile(str(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"))
        en.metadata.update({"Language": "en", "Plural-Forms": "nplurals=2; plural=(n != 1);"})
        en.save()
        manage("compilemessages", "-v0", "--ignore=.venv", "--ignore=.tools")
    for key in missing:
        print(f"untranslated: {key!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
