#!/usr/bin/python3
"""Interoperability test: a Python client written from docs/protocol.md talks
to a Suqiu hub (or to the SDK tests' fake hub) over the ingest socket.

  /usr/bin/python3 interop_test.py --hub tcp://127.0.0.1:7450
  /usr/bin/python3 interop_test.py --spawn path/to/suqiu_fake_hub

With --spawn the program is started and its first stdout line is taken as the
ingest endpoint. Exit status 0 when every check passed; the last line is JSON.
"""
import argparse
import json
import subprocess
import sys
import time

import zmq

from suqiu_feed import FeedClient, SIGNATURE


def record(external_id, content=True):
    r = {"source": "12345", "external_id": external_id,
         "received_at": "2026-11-26T09:15:00+08:00", "request_type": "complaint",
         "caller": {"name": "李先生", "phone": "13800138000", "anonymous": False},
         "subject": "出租车拒载",
         "location": {"address": "湛江开发区人民大道中", "lat": 21.2, "lon": 110.4},
         "upstream": {"order": external_id}}
    if content:
        r["content"] = "在开发区大道乘坐出租车时司机拒载，请核实处理。"
    return r


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print("ok   " + what)


def run(endpoint, count):
    run_id = "PY-%d" % int(time.time() * 1000)
    client = FeedClient(endpoint)
    welcome = client.register()
    check(isinstance(welcome.get("hub"), str) and welcome["hub"], "WELCOME names the hub instance")
    check(welcome.get("heartbeat_ms", 0) > 0 and welcome.get("liveness", 0) > 0,
          "WELCOME gives heartbeat_ms and liveness")

    # Pipelined: all sent before any ack is read.
    cids = [client.submit(record("%s-%05d" % (run_id, i))) for i in range(count)]
    outcomes = client.wait_for(cids)
    acks = [h for t, h in outcomes if t == "ACK"]
    check(len(acks) == count, "%d intakes acked" % count)
    check(all(isinstance(h["case_id"], int) and h["case_number"] for h in acks),
          "every ACK carries case_id and case_number")
    check(not any(h["duplicate"] for h in acks), "no fresh intake is a duplicate")

    again = client.submit(record("%s-%05d" % (run_id, 0)))
    (kind, header), = client.wait_for([again])
    check(kind == "ACK" and header["duplicate"] is True and header["case_id"] == acks[0]["case_id"],
          "a resent intake is acked again with its existing case (duplicate:true)")

    bad = client.submit(record(run_id + "-bad", content=False))
    (kind, header), = client.wait_for([bad])
    check(kind == "NACK" and header["code"] == "E_FIELD_MISSING" and header["field"] == "content",
          "an intake without content is NACKed E_FIELD_MISSING naming 'content'")

    not_json = client.submit(b"{not json")
    (kind, header), = client.wait_for([not_json])
    check(kind == "NACK" and header["code"] == "E_NOT_JSON", "a body that is not JSON is NACKed E_NOT_JSON")

    client.send_raw([b"SUQIU9", b"HELLO", b"{}"])
    err = client.wait_for_error()
    check(err["code"] == "E_VERSION", "a wrong signature is answered ERROR E_VERSION")

    client.send_raw([SIGNATURE, b"INTAKE"])
    err = client.wait_for_error()
    check(err["code"] == "E_PROTOCOL", "a truncated message is answered ERROR E_PROTOCOL")

    # An unregistered peer is told so.
    stranger = FeedClient(endpoint, context=client.context)
    cid = stranger.submit(record(run_id + "-stranger"))
    err = stranger.wait_for_error()
    check(err["code"] == "E_NOT_REGISTERED", "an intake before HELLO is answered E_NOT_REGISTERED")
    stranger.socket.close(0)

    client.send("HEARTBEAT", {})
    client.close()
    return {"acked": len(acks), "hub": welcome["hub"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--hub", help="ingest endpoint of a running hub")
    group.add_argument("--spawn", nargs=argparse.REMAINDER, help="start this hub program first")
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()

    proc = None
    endpoint = args.hub
    if args.spawn:
        proc = subprocess.Popen(args.spawn, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        endpoint = proc.stdout.readline().strip()
    try:
        summary = run(endpoint, args.count)
        summary["ok"] = True
        print(json.dumps(summary))
        return 0
    except (AssertionError, TimeoutError, ValueError, KeyError) as e:
        print("FAIL " + str(e))
        print(json.dumps({"ok": False, "error": str(e)}))
        return 1
    finally:
        if proc:
            proc.stdin.close()
            proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
