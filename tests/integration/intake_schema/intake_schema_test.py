#!/usr/bin/python3
"""docs/intake-record.schema.json and the hub agree on what an intake record is.

1. The schema is a valid draft 2020-12 schema.
2. Every record of data/samples/intakes.jsonl passes it, and the hub takes
   them all; data/samples/bad-intakes.jsonl gives the verdicts its README
   names, from the schema and from the hub.
3. A table of bad records: each is refused by the schema (or, for bytes that
   are not a JSON text, by a strict JSON reader) and by the hub, and the hub's
   code and field are among those the schema's errors point at.
4. A table of good edge records: each passes the schema and the hub takes it.

The hub's verdicts come from `suqiu ingest --data TMP FILE`, which names every
refused line on stderr as `ORIGIN:LINE: rejected CODE [FIELD]: reason`.

Two things standard validators do not do are added here, as the schema asks:
`x-max-bytes` (the hub's limits are UTF-8 bytes; `maxLength` counts
characters) and `format: date-time` (RFC 3339, with a day that exists in its
month). JSON Schema patterns are ECMA-262, whose `$` is the end of the text;
Python's `re` also lets `$` match before a final newline, so a trailing `$` is
read as `\\Z`.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import jsonschema
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError
except ImportError:  # pragma: no cover
    sys.exit("intake_schema_test: python3-jsonschema is missing (scripts/install-deps installs it)")

MAX_RECORD_BYTES = 1 << 20  # hub/core/intake_record.h kMaxIntakeBytes

# ---------------------------------------------------------------------------
# The schema, with the two additions described above.

TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)"
    r"(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])\Z")


def is_rfc3339(text):
    if not isinstance(text, str):
        return True
    m = TIME.match(text)
    if not m:
        return False
    try:
        datetime.date(int(m.group(1)) or 1, int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    return True


def max_bytes(validator, limit, instance, schema):
    if isinstance(instance, str) and len(instance.encode("utf-8")) > limit:
        yield ValidationError(f"is longer than {limit} bytes")


def ecma_pattern(validator, pattern, instance, schema):
    if not isinstance(instance, str):
        return
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    if not re.search(pattern, instance):
        yield ValidationError(f"{instance[:40]!r} does not match {pattern!r}")


def make_validator(schema):
    Draft202012Validator.check_schema(schema)
    Validator = jsonschema.validators.extend(
        Draft202012Validator, {"x-max-bytes": max_bytes, "pattern": ecma_pattern})
    checker = FormatChecker(formats=())
    checker.checks("date-time")(is_rfc3339)
    return Validator(schema, format_checker=checker)


# ---------------------------------------------------------------------------
# What the schema says about one line: None when it passes, else the set of
# (code, field) its errors point at, in the hub's notation.


def field_of(path):
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + part)
    return out


def strict_json(data):
    """(record, None), or (None, code) for bytes the hub cannot read as JSON."""
    if len(data) > MAX_RECORD_BYTES:
        return None, "E_TOO_LARGE"
    try:
        text = data.decode("utf-8")  # strict: no overlong forms, no surrogates
    except UnicodeDecodeError:
        return None, "E_BAD_UTF8"

    def refuse(token):
        raise ValueError(f"{token} is not JSON")

    def number(token):
        value = float(token)
        if value in (float("inf"), float("-inf")):
            raise ValueError("number out of range")
        return value

    try:
        record = json.loads(text, parse_constant=refuse, parse_float=number)
        # A lone surrogate escape ("\ud800") is not a character.
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        return None, "E_NOT_JSON"
    return record, None


def schema_verdict(validator, schema, data):
    record, code = strict_json(data)
    if code:
        return {(code, "")}
    errors = list(validator.iter_errors(record))
    if not errors:
        return None
    required = schema["required"]
    verdict = set()
    for e in errors:
        path = list(e.absolute_path)
        if e.validator == "type" and path == [] and not isinstance(record, dict):
            verdict.add(("E_NOT_OBJECT", ""))
        elif e.validator == "required":
            for key in e.validator_value:
                if isinstance(e.instance, dict) and e.instance.get(key) is None:
                    verdict.add(("E_FIELD_MISSING", field_of(path + [key])))
        elif len(path) == 1 and path[0] in required and e.instance is None:
            verdict.add(("E_FIELD_MISSING", path[0]))
        else:
            verdict.add(("E_FIELD_INVALID", field_of(path)))
    return verdict


# ---------------------------------------------------------------------------
# What the hub says about every line of a file.

REJECTED = re.compile(r"^(?P<origin>[^:\n]*):(?P<line>\d+): \S+ (?P<code>E_[A-Z0-9_]+)"
                      r"(?: \[(?P<field>.*?)\])?: ")


def hub_verdicts(suqiu, lines, config=None):
    """{line number: (code, field)} of the refused lines, and the tally."""
    with tempfile.TemporaryDirectory(prefix="suqiu-intake-schema-") as tmp:
        path = os.path.join(tmp, "records.jsonl")
        with open(path, "wb") as f:
            for data in lines:
                assert b"\n" not in data and data.strip(), data[:80]
                f.write(data + b"\n")
        cmd = [suqiu, "ingest", "--data", os.path.join(tmp, "data"), path, "--json"]
        if config:
            cfg = os.path.join(tmp, "hub.toml")
            with open(cfg, "w", encoding="utf-8") as f:
                f.write(config)
            cmd += ["--config", cfg]
        env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
        env["LANG"] = "en_US.UTF-8"
        run = subprocess.run(cmd, capture_output=True, env=env, timeout=150)
    stderr = run.stderr.decode("utf-8", "replace")
    if run.returncode not in (0, 1):
        sys.exit(f"suqiu ingest exited {run.returncode}:\n{stderr}")
    tally = json.loads(run.stdout.decode("utf-8").strip().splitlines()[-1])
    refused = {}
    for text in stderr.splitlines():
        m = REJECTED.match(text)
        if m:
            refused[int(m.group("line"))] = (m.group("code"), m.group("field") or "")
    if len(refused) != tally["rejected"]:
        sys.exit(f"could not read every rejection from stderr ({len(refused)} of "
                 f"{tally['rejected']}):\n{stderr}")
    if (run.returncode == 1) != (tally["rejected"] > 0):
        sys.exit(f"suqiu ingest exited {run.returncode} with {tally}")
    return refused, tally


# ---------------------------------------------------------------------------
# The tables.

_serial = [0]


def base(**changes):
    """A valid 12345 record with a fresh external_id, changed by `changes`
    (a value of DROP removes the key)."""
    _serial[0] += 1
    r = {
        "source": "12345",
        "external_id": f"SCHEMA-TEST-{_serial[0]:04d}",
        "received_at": "2026-11-27T09:15:00+08:00",
        "request_type": "complaint",
        "caller": {"name": "测试", "phone": "13800000000", "anonymous": False},
        "subject": "出租车拒载",
        "content": f"测试记录{_serial[0]}：出租车司机拒载，请核实处理。",
    }
    for key, value in changes.items():
        if value is DROP:
            r.pop(key, None)
        else:
            r[key] = value
    return r


DROP = object()


def enc(value):
    if isinstance(value, bytes):
        return value
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def with_caller(**c):
    caller = {"name": "测试", "phone": "13800000000", "anonymous": False}
    caller.update(c)
    return base(caller=caller)


def with_location(**l):
    loc = {"address": "湛江开发区人民大道中", "lat": 21.2, "lon": 110.4}
    loc.update(l)
    return base(location=loc)


def att(**a):
    entry = {"name": "photo.jpg", "sha256": "0" * 64, "uri": "https://example.invalid/p.jpg",
             "mime": "image/jpeg"}
    entry.update(a)
    return entry


GOOD_SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
T = "2026-11-27T09:15:00+08:00"

# (what, record or raw bytes, hub code, hub field)
BAD = [
    ("a JSON array", [], "E_NOT_OBJECT", ""),
    ("a JSON string", '出租车拒载', "E_NOT_OBJECT", ""),
    ("JSON null", None, "E_NOT_OBJECT", ""),
    ("a CSV line", "12345,GD-1,2026-11-27 09:15,出租车拒载".encode(), "E_NOT_JSON", ""),
    ("a cut-off object", b'{"source":"12345","external_id":"X-1",', "E_NOT_JSON", ""),
    ("NaN as a value", b'{"source":"12345","external_id":"X-2","received_at":"' + T.encode()
        + b'","content":"a","location":{"lat":NaN}}', "E_NOT_JSON", ""),
    ("a number beyond a double", b'{"source":"12345","external_id":"X-3","received_at":"'
        + T.encode() + b'","content":"a","location":{"lat":1e400}}', "E_NOT_JSON", ""),
    ("a lone surrogate escape", b'{"source":"12345","external_id":"X-4","received_at":"'
        + T.encode() + b'","content":"\\ud800"}', "E_NOT_JSON", ""),
    ("a byte 0xFF", enc(base(content="拒载")).replace("拒载".encode(), b"\xff"), "E_BAD_UTF8", ""),
    ("an overlong '/'", enc(base(content="拒载")).replace("拒载".encode(), b"\xc0\xaf"),
        "E_BAD_UTF8", ""),
    ("an encoded surrogate", enc(base(content="拒载")).replace("拒载".encode(), b"\xed\xa0\x80"),
        "E_BAD_UTF8", ""),
    ("GBK text", enc(base(content="拒载")).replace("拒载".encode(), "拒载".encode("gbk")),
        "E_BAD_UTF8", ""),
    ("a record over 1 MiB", base(content="a" * (MAX_RECORD_BYTES + 10)), "E_TOO_LARGE", ""),

    ("no source", base(source=DROP), "E_FIELD_MISSING", "source"),
    ("source null", base(source=None), "E_FIELD_MISSING", "source"),
    ("no external_id", base(external_id=DROP), "E_FIELD_MISSING", "external_id"),
    ("no received_at", base(received_at=DROP), "E_FIELD_MISSING", "received_at"),
    ("no content", base(content=DROP), "E_FIELD_MISSING", "content"),
    ("content null", base(content=None), "E_FIELD_MISSING", "content"),
    ("no content, bad phone too: content is checked first",
        dict(with_caller(phone="12"), content=None), "E_FIELD_MISSING", "content"),

    ("source empty", base(source=""), "E_FIELD_INVALID", "source"),
    ("source in capitals", base(source="WALKIN"), "E_FIELD_INVALID", "source"),
    ("source a number", base(source=12345), "E_FIELD_INVALID", "source"),
    ("source unknown", base(source="wechat"), "E_FIELD_INVALID", "source"),
    ("source of 65 characters", base(source="a" * 65), "E_FIELD_INVALID", "source"),
    ("external_id empty", base(external_id=""), "E_FIELD_INVALID", "external_id"),
    ("external_id a number", base(external_id=17), "E_FIELD_INVALID", "external_id"),
    ("external_id of 129 bytes", base(external_id="x" * 129), "E_FIELD_INVALID", "external_id"),
    ("external_id of 43 Chinese characters (129 bytes)", base(external_id="号" * 43),
        "E_FIELD_INVALID", "external_id"),

    ("received_at with a space", base(received_at="2026-11-27 09:15:00+08:00"),
        "E_FIELD_INVALID", "received_at"),
    ("received_at without an offset", base(received_at="2026-11-27T09:15:00"),
        "E_FIELD_INVALID", "received_at"),
    ("received_at without seconds", base(received_at="2026-11-27T09:15+08:00"),
        "E_FIELD_INVALID", "received_at"),
    ("received_at with +0800", base(received_at="2026-11-27T09:15:00+0800"),
        "E_FIELD_INVALID", "received_at"),
    ("received_at a date only", base(received_at="2026-11-27"), "E_FIELD_INVALID", "received_at"),
    ("received_at on 30 February", base(received_at="2026-02-30T09:15:00+08:00"),
        "E_FIELD_INVALID", "received_at"),
    ("received_at at 24:00", base(received_at="2026-11-27T24:00:00+08:00"),
        "E_FIELD_INVALID", "received_at"),
    ("received_at with an empty fraction", base(received_at="2026-11-27T09:15:00.+08:00"),
        "E_FIELD_INVALID", "received_at"),
    ("received_at with a newline after it", base(received_at=T + "\n"),
        "E_FIELD_INVALID", "received_at"),
    ("received_at as epoch seconds", base(received_at=1795742100), "E_FIELD_INVALID", "received_at"),
    ("the README's bad time", base(received_at="2026-13-45 25:00"), "E_FIELD_INVALID", "received_at"),

    ("content only white space", base(content=" \t\r\n "), "E_FIELD_INVALID", "content"),
    ("content empty", base(content=""), "E_FIELD_INVALID", "content"),
    ("content an array", base(content=["拒载"]), "E_FIELD_INVALID", "content"),
    ("content of 65537 bytes", base(content="a" * 65537), "E_FIELD_INVALID", "content"),
    ("content of 21846 Chinese characters (65538 bytes)", base(content="载" * 21846),
        "E_FIELD_INVALID", "content"),

    ("request_type in Chinese", base(request_type="投诉"), "E_FIELD_INVALID", "request_type"),
    ("request_type capitalised", base(request_type="Complaint"), "E_FIELD_INVALID", "request_type"),
    ("request_type empty", base(request_type=""), "E_FIELD_INVALID", "request_type"),
    ("request_type a number", base(request_type=1), "E_FIELD_INVALID", "request_type"),
    ("category unknown", base(category="taxis"), "E_FIELD_INVALID", "category"),
    ("category in capitals", base(category="TAXI"), "E_FIELD_INVALID", "category"),
    ("category in Chinese", base(category="巡游出租汽车"), "E_FIELD_INVALID", "category"),
    ("category a number", base(category=3), "E_FIELD_INVALID", "category"),
    ("a section code as category", base(category="urban"), "E_FIELD_INVALID", "category"),
    ("subject of 513 bytes", base(subject="s" * 513), "E_FIELD_INVALID", "subject"),
    ("subject a number", base(subject=5), "E_FIELD_INVALID", "subject"),

    ("caller a string", base(caller="李先生"), "E_FIELD_INVALID", "caller"),
    ("caller.name of 129 bytes", with_caller(name="n" * 129), "E_FIELD_INVALID", "caller.name"),
    ("caller.phone with two digits", with_caller(phone="12"), "E_FIELD_INVALID", "caller.phone"),
    ("caller.phone with a letter", with_caller(phone="138-0013-800a"),
        "E_FIELD_INVALID", "caller.phone"),
    ("caller.phone with a slash", with_caller(phone="0759/3381234"),
        "E_FIELD_INVALID", "caller.phone"),
    ("caller.phone in full-width digits", with_caller(phone="１３８００１３８０００"),
        "E_FIELD_INVALID", "caller.phone"),
    ("caller.phone of 33 characters", with_caller(phone="1" * 33), "E_FIELD_INVALID", "caller.phone"),
    ("caller.phone a number", with_caller(phone=13800138000), "E_FIELD_INVALID", "caller.phone"),
    ("caller.anonymous a string", with_caller(anonymous="yes"),
        "E_FIELD_INVALID", "caller.anonymous"),
    ("caller.confidential 1", with_caller(confidential=1), "E_FIELD_INVALID", "caller.confidential"),

    ("location an array", base(location=[21.2, 110.4]), "E_FIELD_INVALID", "location"),
    ("location.address of 513 bytes", with_location(address="a" * 513),
        "E_FIELD_INVALID", "location.address"),
    ("location.lat 90.5", with_location(lat=90.5), "E_FIELD_INVALID", "location.lat"),
    ("location.lat a string", with_location(lat="21.2"), "E_FIELD_INVALID", "location.lat"),
    ("location.lon -180.5", with_location(lon=-180.5), "E_FIELD_INVALID", "location.lon"),
    ("location.lon true", with_location(lon=True), "E_FIELD_INVALID", "location.lon"),

    ("deadline in words", base(deadline="五个工作日"), "E_FIELD_INVALID", "deadline"),
    ("deadline a date only", base(deadline="2026-12-03"), "E_FIELD_INVALID", "deadline"),
    ("urgent a string", base(urgent="true"), "E_FIELD_INVALID", "urgent"),
    ("urgent 1", base(urgent=1), "E_FIELD_INVALID", "urgent"),

    ("attachments an object", base(attachments=att()), "E_FIELD_INVALID", "attachments"),
    ("101 attachments", base(attachments=[att() for _ in range(101)]),
        "E_FIELD_INVALID", "attachments"),
    ("an attachment a string", base(attachments=["photo.jpg"]), "E_FIELD_INVALID", "attachments[0]"),
    ("attachment sha256 of 63 digits", base(attachments=[att(sha256="a" * 63)]),
        "E_FIELD_INVALID", "attachments[0].sha256"),
    ("attachment sha256 not hexadecimal", base(attachments=[att(sha256="g" * 64)]),
        "E_FIELD_INVALID", "attachments[0].sha256"),
    ("attachment sha256 of 65 digits", base(attachments=[att(sha256="a" * 65)]),
        "E_FIELD_INVALID", "attachments[0].sha256"),
    ("the second attachment's sha256", base(attachments=[att(), att(sha256="sha256:" + "0" * 57)]),
        "E_FIELD_INVALID", "attachments[1].sha256"),
    ("attachment name a number", base(attachments=[att(name=7)]), "E_FIELD_INVALID",
        "attachments[0].name"),
    ("attachment uri of 2049 bytes", base(attachments=[att(uri="u" * 2049)]),
        "E_FIELD_INVALID", "attachments[0].uri"),
    ("attachment mime of 129 bytes", base(attachments=[att(mime="m" * 129)]),
        "E_FIELD_INVALID", "attachments[0].mime"),
    ("upstream a string", base(upstream="GD-ZJ-1"), "E_FIELD_INVALID", "upstream"),
    ("upstream an array", base(upstream=[]), "E_FIELD_INVALID", "upstream"),
]

NULLS = {k: None for k in ("request_type", "category", "subject", "caller", "location",
                           "deadline", "urgent", "attachments", "upstream")}

GOOD = [
    ("a minimal walk-in", {"source": "walkin", "external_id": "CT-EDGE-1",
                           "received_at": "2026-11-27T10:05:00+08:00", "content": "来访反映公交站牌被撞坏"}),
    ("every optional member null", dict(base(), **NULLS)),
    ("every source: 12328", base(source="12328")),
    ("every source: reportbox", base(source="reportbox")),
    ("every source: open311", base(source="open311")),
    ("received_at in UTC (Z)", base(received_at="2026-11-27T01:15:00Z")),
    ("lower-case t and z", base(received_at="2026-11-27t01:15:00z")),
    ("fractional seconds", base(received_at="2026-11-27T09:15:00.123456+08:00")),
    ("a leap second", base(received_at="2016-12-31T23:59:60Z")),
    ("a negative offset", base(received_at="2026-11-26T20:15:00-05:00")),
    ("29 February of a leap year", base(received_at="2028-02-29T09:15:00+08:00")),
    ("a deadline in another offset", base(deadline="2026-12-03T10:00:00Z")),
    ("a deadline before receipt", base(deadline="2026-11-01T18:00:00+08:00")),
    ("content of one character", base(content="a")),
    ("content of 65536 bytes", base(content="a" * 65536)),
    ("content of 21845 Chinese characters (65535 bytes)", base(content="载" * 21845)),
    ("external_id of 128 bytes", base(external_id="E" * 128)),
    ("external_id of one space", base(external_id=" ")),
    ("subject of 512 bytes", base(subject="题" * 170 + "ab")),
    ("subject empty", base(subject="")),
    ("category empty: the classifier decides", base(category="")),
    ("every category: taxi", base(category="taxi")),
    ("every category: other", base(category="other")),
    ("every category: illegal_operation", base(category="illegal_operation")),
    ("request_type praise", base(request_type="praise", content="表扬5路公交车驾驶员拾金不昧")),
    ("no request_type", base(request_type=DROP)),
    ("caller empty", base(caller={})),
    ("caller.phone empty", with_caller(phone="")),
    ("caller.phone of three digits", with_caller(phone="110")),
    ("caller.phone with +, brackets, spaces and dashes", with_caller(phone="+86 (759) 338-1234")),
    ("caller.phone of 32 characters", with_caller(phone="1" * 32)),
    ("caller anonymous with a name", with_caller(anonymous=True, name="王先生")),
    ("caller confidential", with_caller(confidential=True, phone="", name="")),
    ("caller.name of 128 bytes", with_caller(name="n" * 128)),
    ("lat and lon at their limits", with_location(lat=-90, lon=180)),
    ("lat and lon as integers", with_location(lat=21, lon=110)),
    ("a location with only an address", base(location={"address": "霞山汽车站"})),
    ("a location empty", base(location={})),
    ("attachments empty", base(attachments=[])),
    ("100 attachments", base(attachments=[att() for _ in range(100)])),
    ("an attachment that is an empty object", base(attachments=[{}])),
    ("a sha256 in capitals", base(attachments=[att(sha256=GOOD_SHA.upper())])),
    ("a sha256 empty", base(attachments=[att(sha256="")])),
    ("a sha256 of '…' (let through by the hub)", base(attachments=[att(sha256="…")])),
    ("attachment uri of 2048 bytes", base(attachments=[att(uri="u" * 2048)])),
    ("upstream nested", base(upstream={"platform": "12345", "order": {"no": "GD-1", "level": 2},
                                       "tags": ["a", None, 1.5]})),
    ("upstream empty", base(upstream={})),
    ("urgent true", base(urgent=True)),
    ("unknown members, section among them", base(section="urban", x_extra={"a": 1}, priority=3)),
]


# ---------------------------------------------------------------------------


def read_lines(path):
    with open(path, "rb") as f:
        return [line.rstrip(b"\r\n") for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--suqiu", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()

    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    validator = make_validator(schema)
    failures = []

    def fail(message):
        failures.append(message)
        print("FAIL", message)

    # -- the samples ---------------------------------------------------------
    samples = read_lines(os.path.join(args.samples, "intakes.jsonl"))
    if len(samples) < 100:
        fail(f"intakes.jsonl has only {len(samples)} records")
    for n, data in enumerate(samples, 1):
        verdict = schema_verdict(validator, schema, data)
        if verdict:
            fail(f"intakes.jsonl:{n}: the schema refuses a sample: {sorted(verdict)}")
    refused, tally = hub_verdicts(args.suqiu, samples)
    if refused or tally["accepted"] + tally["duplicates"] != len(samples):
        fail(f"intakes.jsonl through the hub: {tally}, refused {refused}")
    print(f"intakes.jsonl: {len(samples)} records pass the schema; hub {tally}")

    # bad-intakes.jsonl, as data/samples/README.md describes it.
    bad_expected = {2: ("E_FIELD_MISSING", "content"), 4: ("E_FIELD_INVALID", "received_at"),
                    5: ("E_NOT_JSON", "")}
    bad_samples = read_lines(os.path.join(args.samples, "bad-intakes.jsonl"))
    refused, tally = hub_verdicts(args.suqiu, bad_samples)
    for n, data in enumerate(bad_samples, 1):
        verdict = schema_verdict(validator, schema, data)
        want = bad_expected.get(n)
        if want is None and verdict:
            fail(f"bad-intakes.jsonl:{n}: the schema refuses a valid line: {sorted(verdict)}")
        if want is not None and (not verdict or want not in verdict):
            fail(f"bad-intakes.jsonl:{n}: the schema says {verdict}, expected {want}")
        if refused.get(n) != want:
            fail(f"bad-intakes.jsonl:{n}: the hub says {refused.get(n)}, expected {want}")
    print(f"bad-intakes.jsonl: {len(bad_samples)} lines; hub {tally}")

    # -- the tables ----------------------------------------------------------
    table = [(what, enc(rec), (code, field)) for what, rec, code, field in BAD]
    table += [(what, enc(rec), None) for what, rec in GOOD]
    refused, tally = hub_verdicts(args.suqiu, [data for _, data, _ in table])
    for n, (what, data, want) in enumerate(table, 1):
        verdict = schema_verdict(validator, schema, data)
        hub = refused.get(n)
        if want is None:
            if verdict:
                fail(f"good '{what}': the schema refuses it: {sorted(verdict)}")
            if hub:
                fail(f"good '{what}': the hub refuses it: {hub}")
        else:
            if hub != want:
                fail(f"bad '{what}': the hub says {hub}, the table {want}")
            if not verdict:
                fail(f"bad '{what}': the schema accepts it")
            elif hub and hub not in verdict:
                fail(f"bad '{what}': the hub says {hub}, the schema {sorted(verdict)}")
    if tally["accepted"] + tally["duplicates"] != len(GOOD) or tally["duplicates"]:
        fail(f"table through the hub: {tally} for {len(GOOD)} good records")
    print(f"table: {len(BAD)} bad and {len(GOOD)} good records; hub {tally}")

    # -- a configured source -------------------------------------------------
    configured = [enc(base(source="wechat")), enc(base(source="WeChat"))]
    refused, tally = hub_verdicts(args.suqiu, configured, config='[hub]\nsources = ["wechat"]\n')
    if 1 in refused or refused.get(2) != ("E_FIELD_INVALID", "source"):
        fail(f"[hub] sources = [\"wechat\"]: the hub says {refused}")

    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
