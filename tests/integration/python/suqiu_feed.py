"""A minimal Suqiu feed client in Python, written from docs/protocol.md alone.

Uses Debian's python3-zmq (run with /usr/bin/python3). It registers with the
hub's ingest socket (HELLO/WELCOME), sends intakes pipelined, and collects
ACK/NACK by correlation id. It keeps no outbox: it is an interoperability
check of the wire protocol, not a production plugin.
"""
import json
import time
import uuid

import zmq

SIGNATURE = b"SUQIU1"


def encode(msg_type, header, body=None):
    frames = [SIGNATURE, msg_type.encode("ascii"),
              json.dumps(header, ensure_ascii=False).encode("utf-8")]
    if body is not None:
        frames.append(body if isinstance(body, bytes) else body.encode("utf-8"))
    return frames


def decode(frames):
    """Returns (type, header, body) or raises ValueError naming the problem."""
    if len(frames) < 3:
        raise ValueError("E_PROTOCOL: %d frames" % len(frames))
    if frames[0] != SIGNATURE:
        raise ValueError("E_VERSION: %r" % frames[0])
    header = json.loads(frames[2].decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError("E_NOT_OBJECT")
    body = frames[3] if len(frames) > 3 else None
    return frames[1].decode("ascii"), header, body


class FeedClient:
    def __init__(self, endpoint, plugin="python-interop", version="1.0.0",
                 sources=("12345",), context=None):
        self.context = context or zmq.Context.instance()
        self.socket = self.context.socket(zmq.DEALER)
        self.socket.setsockopt(zmq.LINGER, 500)
        self.socket.connect(endpoint)
        self.plugin = plugin
        self.version = version
        self.sources = list(sources)
        self.instance = uuid.uuid4().hex
        self.welcome = None
        self.outcomes = {}     # cid -> ("ACK"|"NACK", header)
        self.errors = []       # ERROR headers
        self.results = []      # (rid, result) received
        self._next_cid = 0

    def send(self, msg_type, header, body=None):
        self.socket.send_multipart(encode(msg_type, header, body))

    def send_raw(self, frames):
        self.socket.send_multipart(frames)

    def register(self, timeout=5.0):
        self.send("HELLO", {"plugin": self.plugin, "version": self.version,
                            "instance": self.instance, "capabilities": ["intake"],
                            "sources": self.sources})
        deadline = time.monotonic() + timeout
        while self.welcome is None:
            if not self.pump(deadline - time.monotonic()):
                raise TimeoutError("no WELCOME from the hub")
        return self.welcome

    def submit(self, record):
        self._next_cid += 1
        cid = "py-%d" % self._next_cid
        body = record if isinstance(record, (bytes, str)) else json.dumps(record, ensure_ascii=False)
        self.send("INTAKE", {"cid": cid}, body)
        return cid

    def pump(self, timeout):
        """Handles what arrives within `timeout` seconds; False when nothing did."""
        if timeout <= 0 or not self.socket.poll(int(timeout * 1000)):
            return False
        while True:
            try:
                frames = self.socket.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return True
            msg_type, header, body = decode(frames)
            if msg_type == "WELCOME":
                self.welcome = header
            elif msg_type in ("ACK", "NACK"):
                self.outcomes[header["cid"]] = (msg_type, header)
            elif msg_type == "ERROR":
                self.errors.append(header)
            elif msg_type == "HEARTBEAT":
                pass
            elif msg_type == "RESULT":
                self.results.append((header["rid"], json.loads(body.decode("utf-8"))))
                self.send("RESULT_ACK", {"rid": header["rid"], "status": "delivered"})

    def wait_for(self, cids, timeout=10.0):
        deadline = time.monotonic() + timeout
        while not all(c in self.outcomes for c in cids):
            left = deadline - time.monotonic()
            if left <= 0:
                missing = [c for c in cids if c not in self.outcomes]
                raise TimeoutError("no ACK/NACK for %d intakes, e.g. %s" % (len(missing), missing[:3]))
            self.pump(left)
        return [self.outcomes[c] for c in cids]

    def wait_for_error(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while not self.errors:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no ERROR from the hub")
            self.pump(left)
        return self.errors.pop(0)

    def close(self):
        self.send("BYE", {"reason": "done"})
        self.socket.close()
