#!/usr/bin/env python3
"""suqiu-feed-12345 / suqiu-feed-12328 against a real hub and a platform
stand-in (a real HTTP server on 127.0.0.1, written for this test).

The platform's records are written in the platform's own field names, read
from the feed's shipped mapping (plugins/workorder/mappings/<platform>.toml),
so the test speaks the dialect the feed is configured for. Checked, each once:
a pushed work order, a polled one and a GB18030 CSV file drop become cases
with their Chinese text; a push without the token is refused 401 and stored
nowhere; a body over the limit is refused; a reminder and a withdrawal from
the platform change their case; the bureau's sign-for, return request,
extension request and result reach the stand-in; while the stand-in answers
503 the steps wait, then arrive once each.

Usage: hotline_feed_test.py BUILD_DIR PLATFORM [--quick]
Prints PASS/FAIL per check and "N passed, M failed"; exits 1 on any failure.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zmq  # noqa: E402

from conversation_test import Api, Hub, Session, add_user  # noqa: E402

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
TOKEN = "platform-shared-token"
PASSED, FAILED = [], []


def check(name, ok, detail=""):
    (PASSED if ok else FAILED).append(name)
    print(("PASS  " if ok else "FAIL  ") + name + ("" if ok else "   -- " + str(detail)[:400]), flush=True)
    return ok


def wait_until(pred, timeout=20.0, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(step)
    return pred()


def put_path(obj, dotted, value):
    parts = dotted.split(".")
    for p in parts[:-1]:
        obj = obj.setdefault(p, {})
    obj[parts[-1]] = value


class Dialect:
    """Writes records the way the platform does, from the feed's mapping."""

    def __init__(self, mapping):
        self.m = mapping
        self.to_platform = {v: k for k, v in mapping.get("fields", {}).items()}
        self.notice_field = {v: k for k, v in mapping.get("notice_fields", {}).items()}
        self.kind_value = {v: k for k, v in mapping.get("notice_kinds", {}).items()}
        self.type_code = {v: k for k, v in mapping.get("request_types", {}).items()}
        self.category_code = {v: k for k, v in mapping.get("categories", {}).items()}
        self.time_format = (mapping.get("time_formats") or ["%Y-%m-%d %H:%M:%S"])[0]

    def when(self, seconds_ago=0):
        return time.strftime(self.time_format, time.gmtime(time.time() + 8 * 3600 - seconds_ago))

    def order(self, external_id, subject, content, phone="13800138000", category="taxi"):
        intake = {"external_id": external_id, "received_at": self.when(600), "subject": subject,
                  "content": content, "caller.name": "李先生", "caller.phone": phone,
                  "request_type": "complaint", "category": category,
                  "location.address": "湛江开发区人民大道中"}
        rec = {}
        for field, value in intake.items():
            platform = self.to_platform.get(field)
            if platform is None:
                continue
            if field == "request_type":
                value = self.type_code.get(value, value)
            if field == "category":
                value = self.category_code.get(value, value)
            put_path(rec, platform, value)
        return rec

    def notice(self, external_id, notice_id, kind, note="请加快办理"):
        rec = {}
        if self.m.get("notice_type_field"):
            put_path(rec, self.m["notice_type_field"], self.kind_value[kind])
        for field, value in {"external_id": external_id, "notice_id": notice_id, "at": self.when(),
                             "note": note}.items():
            if field in self.notice_field:
                put_path(rec, self.notice_field[field], value)
            elif field == "external_id" and "external_id" in self.to_platform:
                put_path(rec, self.to_platform["external_id"], value)
        return rec

    def page(self, records, cursor):
        doc = {}
        items = self.m.get("items_path", "")
        if items:
            put_path(doc, items, records)
        else:
            doc = records
        if self.m.get("cursor_path") and isinstance(doc, dict):
            put_path(doc, self.m["cursor_path"], cursor)
        return doc


class Platform:
    """The stand-in: serves pages to poll, takes the bureau's steps."""

    def __init__(self, dialect):
        self.dialect = dialect
        self.pages = {}          # cursor -> (records, next cursor)
        self.steps = []          # (step id, body) of accepted steps
        self.refused = 0         # steps answered 503
        self.fail_until = 0.0
        self.lock = threading.Lock()
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if not self.path.startswith("/poll"):
                    self.send_error(404)
                    return
                cursor = ""
                if "cursor=" in self.path:
                    cursor = self.path.split("cursor=", 1)[1].split("&")[0]
                with platform.lock:
                    records, nxt = platform.pages.get(cursor, ([], cursor))
                body = json.dumps(platform.dialect.page(records, nxt), ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with platform.lock:
                    if time.monotonic() < platform.fail_until:
                        platform.refused += 1
                        self.send_response(503)
                        self.end_headers()
                        return
                    platform.steps.append((self.headers.get("X-Suqiu-Step-Id"), json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def step_kinds(self):
        kinds = {v: k for k, v in self.dialect.m.get("step_kinds", {}).items()}
        kind_field = self.dialect.m.get("step_fields", {}).get("kind", "kind")
        with self.lock:
            return [(sid, kinds.get(str(b.get(kind_field)), b.get(kind_field))) for sid, b in self.steps]


def push(port, payload, token=TOKEN, raw=None):
    data = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    req = urllib.request.Request("http://127.0.0.1:%d/workorders" % port, data=data, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    if token:
        req.add_header("X-Suqiu-Token", token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except (ConnectionError, urllib.error.URLError) as e:
        return -1, str(e)


def main():
    build, platform_name = sys.argv[1], sys.argv[2]
    hub_exe = os.path.join(build, "hub", "server", "suqiu-hub")
    cli = os.path.join(build, "hub", "cli", "suqiu")
    feed_exe = os.path.join(build, "plugins", "hotline", "suqiu-feed-" + platform_name)
    with open(os.path.join(SOURCE_DIR, "plugins", "workorder", "mappings", platform_name + ".toml"), "rb") as f:
        mapping = tomllib.load(f)["mapping"]
    dialect = Dialect(mapping)
    source = mapping["source"]
    tmp = tempfile.mkdtemp(prefix="suqiu-hotline-")
    data, drop, state = (os.path.join(tmp, d) for d in ("data", "drop", "state"))
    os.makedirs(drop)
    for name, role, section in (("wang", "operator", None), ("liu", "liaison", "urban"), ("chen", "leader", None)):
        add_user(cli, data, name, role, section)
    hub = Hub(hub_exe, data, os.path.join(tmp, "hub.log"))
    if not check("the hub starts", hub.start()):
        return 1
    stand_in = Platform(dialect)
    config = os.path.join(tmp, "feed.toml")
    with open(config, "w") as f:
        f.write('[feed]\npush_token = "%s"\npoll_every_ms = 300\nmax_body_bytes = 1048576\n' % TOKEN)
    feed_log = open(os.path.join(tmp, "feed.log"), "wb")
    feed = subprocess.Popen([feed_exe, "--hub", hub.ingest, "--config", config, "--listen", "127.0.0.1:0",
                             "--poll", "http://127.0.0.1:%d/poll" % stand_in.port,
                             "--steps", "http://127.0.0.1:%d/steps" % stand_in.port,
                             "--dir", drop, "--state", state],
                            stdout=subprocess.PIPE, stderr=feed_log)
    line = feed.stdout.readline().decode()  # "listening PORT", before anything else on stdout
    port = int(line.split()[1]) if line.startswith("listening") else 0
    check("the feed listens for pushes", port > 0, line)

    ctx = zmq.Context()
    api = Api(ctx, hub.api)
    wang, liu, chen = Session(api, "wang", "operator"), Session(api, "liu", "liaison"), Session(api, "chen", "leader")
    for s in (wang, liu, chen):
        s.login()

    def case_by_external(external_id):
        rep = wang.req("case.list", {"source": source, "limit": 200})
        for c in rep.get("data", {}).get("items", []):
            if c.get("external_id") == external_id:
                return wang.get(c["id"])
        return None

    tag = str(int(time.time()))
    # -- a pushed work order
    pushed = dialect.order("PUSH-" + tag, "出租车拒载", "乘客在湛江开发区人民大道中打车，出租车司机以交班为由拒载。")
    status, body = push(port, pushed)
    check("a pushed work order is taken (200)", status == 200, body)
    got = wait_until(lambda: case_by_external("PUSH-" + tag))
    check("the pushed work order is a case with its Chinese text",
          got and "拒载" in got["case"].get("content", ""), got)

    # -- refusals: no token, a wrong one, a body over the limit
    status, _ = push(port, dialect.order("NOAUTH-" + tag, "无令牌", "不应入库"), token=None)
    check("a push without the token is refused 401", status == 401, status)
    status, _ = push(port, dialect.order("BADAUTH-" + tag, "错误令牌", "不应入库"), token="guess")
    check("a push with a wrong token is refused 401", status == 401, status)
    status, _ = push(port, None, raw=b"{" + b" " * (4 << 20) + b"}")
    check("a body over the limit is refused", status in (413, 400, -1), status)
    time.sleep(1)
    check("the refused pushes are stored nowhere",
          case_by_external("NOAUTH-" + tag) is None and case_by_external("BADAUTH-" + tag) is None)

    # -- a polled work order
    with stand_in.lock:
        stand_in.pages[""] = ([dialect.order("POLL-" + tag, "公交车晚点", "18路公交车早高峰严重晚点，站台等候四十分钟。",
                                             category="bus")], "c1")
    got = wait_until(lambda: case_by_external("POLL-" + tag))
    check("a polled work order is a case with its Chinese text",
          got and "晚点" in got["case"].get("content", ""), got)
    check("the poll cursor is kept on disk", wait_until(
        lambda: os.path.exists(os.path.join(state, "poll.cursor")) and open(os.path.join(state, "poll.cursor")).read() == "c1", 5))

    # -- a GB18030 CSV file dropped in the folder
    record = dialect.order("CSV-" + tag, "网约车绕路", "网约车司机故意绕路，多收车费二十元。", category="ride_hailing")
    flat = {k: v for k, v in record.items() if not isinstance(v, dict)}
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(flat.keys()), lineterminator="\r\n")
    w.writeheader()
    w.writerow(flat)
    with open(os.path.join(drop, "export.csv.part"), "wb") as f:
        f.write(out.getvalue().encode("gb18030"))
    os.rename(os.path.join(drop, "export.csv.part"), os.path.join(drop, "export.csv"))
    got = wait_until(lambda: case_by_external("CSV-" + tag))
    check("a GB18030 CSV drop is a case with its Chinese text", got and "绕路" in got["case"].get("content", ""), got)
    check("the dropped file moves to done/", wait_until(lambda: os.path.exists(os.path.join(drop, "done", "export.csv")), 5))

    # -- notices from the platform: a reminder, a withdrawal
    case_id = case_by_external("PUSH-" + tag)["case"]["id"]
    status, body = push(port, dialect.notice("PUSH-" + tag, "CB-" + tag, "reminder"))
    check("a reminder is taken (200)", status == 200, body)
    got = wait_until(lambda: (lambda c: c if c and c["case"].get("escalation") in ("reminder", "supervision") else None)(wang.get(case_id)))
    check("the reminder marks the case 催办", got is not None, wang.get(case_id))
    polled_id = case_by_external("POLL-" + tag)["case"]["id"]
    push(port, dialect.notice("POLL-" + tag, "CD-" + tag, "withdrawn", note="市民已撤诉"))
    got = wait_until(lambda: (lambda c: c if c and c["case"]["status"] == "closed" else None)(wang.get(polled_id)))
    check("the withdrawal closes the case", got is not None, wang.get(polled_id))

    # -- the bureau's steps back
    wang.act(case_id, "dispatch", section="urban")
    liu.act(case_id, "sign_for", note="收到")
    liu.act(case_id, "extend_request", days=3, reason="需调取监控")
    chen.act(case_id, "extend_approve", approve=True)
    csv_id = case_by_external("CSV-" + tag)["case"]["id"]
    wang.act(csv_id, "transfer", to="市场监管局", reason="非本局职责")
    got = wait_until(lambda: {"signed_for", "extension_request", "return_request"} <= {k for _, k in stand_in.step_kinds()})
    check("sign-for, extension request and return request reach the platform", got, stand_in.step_kinds())

    # -- the platform answers 503 for a while: the result waits, then arrives once
    with stand_in.lock:
        stand_in.fail_until = time.monotonic() + float(os.environ.get("SUQIU_HOTLINE_OUTAGE_S", "40"))
    liu.act(case_id, "reply", result="已约谈驾驶员", reply="您反映的出租车拒载问题已查实处理。")
    wang.act(case_id, "approve_close")
    refused = wait_until(lambda: stand_in.refused > 0, 10)
    check("the result meets the outage (503)", refused)
    got = wait_until(lambda: "closed" in {k for _, k in stand_in.step_kinds()}, 120, 1.0)
    check("the result arrives once the platform is back", got, stand_in.step_kinds())
    time.sleep(2)
    ids = [sid for sid, _ in stand_in.step_kinds()]
    check("each step arrived once", len(ids) == len(set(ids)) and len(ids) == 4, stand_in.step_kinds())

    feed.terminate()
    feed.wait(20)
    hub.stop()
    stand_in.server.shutdown()
    print("%d passed, %d failed" % (len(PASSED), len(FAILED)))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
