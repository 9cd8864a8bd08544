#!/usr/bin/python3
"""Validates fairaudit JSON reports against docs/schema/report.schema.json (JSON Schema draft
2020-12, python3-jsonschema). Usage: validate_json.py SCHEMA FILE...; files that are not JSON
reports (no schema_version at the top) are passed over. Exit 0 when every report is valid, 1
otherwise (each error printed with its path), 77 when jsonschema is not installed."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate_json: python3-jsonschema is not installed")
    sys.exit(77)

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
bad = checked = 0
for path in sys.argv[2:]:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (ValueError, UnicodeDecodeError, OSError):
        continue
    if not isinstance(doc, dict) or "schema_version" not in doc:
        continue
    checked += 1
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors[:10]:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path)
        print(f"{path}: {where or '.'}: {e.message[:300]}")
    bad += bool(errors)
print(f"validate_json: {checked} reports checked, {bad} invalid")
sys.exit(1 if bad else 0)
