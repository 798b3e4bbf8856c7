"""Checks request_schema with Python's jsonschema (the library Glance validates with).

Usage: python3 python_schema_check.py DIR, where DIR holds schemas.json ({set: schema})
and bodies.jsonl ({"set", "body", "valid"} a line: the crate's verdict). Prints
"N agreed" and exits 0 when every verdict matches, else lists the disagreements.
"""
import json
import os
import sys

import jsonschema

d = sys.argv[1]
with open(os.path.join(d, "schemas.json"), encoding="utf-8") as f:
    schemas = json.load(f)
validators = {}
for name, schema in schemas.items():
    jsonschema.Draft202012Validator.check_schema(schema)
    validators[name] = jsonschema.Draft202012Validator(schema)
bad = []
n = 0
with open(os.path.join(d, "bodies.jsonl"), encoding="utf-8") as f:
    for line in f:
        case = json.loads(line)
        doc = json.loads(case["body"])
        theirs = validators[case["set"]].is_valid(doc)
        n += 1
        if theirs != case["valid"]:
            bad.append((case["set"], case["valid"], theirs, case["body"][:300]))
for b in bad[:20]:
    print("DISAGREE set=%s crate=%s python=%s body=%r" % b)
if bad:
    print("%d of %d disagree" % (len(bad), n))
    sys.exit(1)
print("%d agreed" % n)
