#!/usr/bin/env python3
"""Verify a DataAccessAudit file log (access-log/1), as described in log-format.md.

Usage: verify_log.py DIR [--key-file FILE] [--require-key] [--json]
Prints the verdict: verified (keyed chain checked with its key), verified-unkeyed (chain intact, but unkeyed: it
detects accidents, not an editor), unverified (a key was not given: only sequence, segment order and headers were
checked) or broken (the first break).
Exit status: 0 verified or verified-unkeyed, 1 broken, 2 usage error, 3 unverified (or verified-unkeyed with
--require-key).
Streams the segments line by line: memory stays proportional to the longest line.
"""
import base64, hashlib, hmac, json, os, re, stat, sys
try:
    import fcntl
except ImportError:  # not Unix: the writer's lock cannot be probed, so a partial last line reads as truncated
    fcntl = None

UNKEYED_CAVEAT = "chain intact, but unkeyed: it detects accidents, not an editor"
LOCK_FILE = "writer.lock"


def writer_active(directory):
    """True when a writer holds the directory's lock (flock), so a partial last line is in progress, not cut off.

    The directory itself is asked first: the writer holds it too, so a writer whose writer.lock was deleted counts.
    A lock file that is not a regular file (a FIFO, a device, a directory) is held by no writer, since the writer
    refuses to start on one; it is not opened, because opening a FIFO blocks until something writes to it."""
    if fcntl is None:
        return False
    if lock_held(directory):
        return True
    path = os.path.join(directory, LOCK_FILE)
    try:
        if not_regular(path):
            return False
    except OSError:
        return False
    # O_NONBLOCK: a FIFO put in the lock's place after the check cannot block the open either. A lock file that
    # cannot be probed counts as held, as it always has; the directory, probed first, counts as free.
    return lock_held(path, os.O_NONBLOCK, undecided=True)


def lock_held(path, flags=0, undecided=False):
    """True when a shared, non-blocking flock on path fails because another holds it exclusively."""
    try:
        fd = os.open(path, os.O_RDONLY | flags)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except BlockingIOError:
        return True
    except OSError:
        return undecided
    finally:
        os.close(fd)


SEGMENT = re.compile(r"^segment-(\d{10})\.jsonl$")
SUFFIX = 76  # ,"chain":"<64 hex>"}
HEX = re.compile(rb'^,"chain":"([0-9a-f]{64})"\}$')


def read_keys(path):
    if os.path.isdir(path):
        raise ValueError(f"'{path}' is a directory; expected a key file (one 'id:base64' key a line)")
    keys = {}
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key_id, sep, b64 = line.partition(":")
            key_id = key_id.strip()
            if not sep or not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", key_id):
                raise ValueError(f"{path}:{number}: expected 'id:base64-key'")
            try:
                key = base64.b64decode(b64.strip(), validate=True)
            except ValueError:
                raise ValueError(f"{path}:{number}: the key of '{key_id}' is not base64")
            if len(key) < 32:
                raise ValueError(f"{path}:{number}: the key of '{key_id}' is shorter than 32 bytes")
            keys[key_id] = key
    if not keys:
        raise ValueError(f"{path}: holds no key; expected at least one line 'id:base64-key'")
    return keys


def link(key, previous, body):
    if key is None:
        return hashlib.sha256(previous + body).digest()
    return hmac.new(key, previous + body, hashlib.sha256).digest()


def split(line):
    """Returns (fields, body, chain) or None when the line is not a log line."""
    if len(line) < SUFFIX + 2 or not line.startswith(b"{"):
        return None
    m = HEX.match(line[-SUFFIX:])
    if not m:
        return None
    try:
        fields = json.loads(line)
    except ValueError:
        return None
    if not isinstance(fields, dict):
        return None
    return fields, line[:-SUFFIX] + b"}", bytes.fromhex(m.group(1).decode())


def not_regular(path):
    mode = os.stat(path).st_mode
    if stat.S_ISREG(mode):
        return None
    for test, kind in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a regular file"


def lines_of(path, offset=0):
    with open(path, "rb") as f:
        f.seek(offset)
        for raw in f:
            yield raw


class Broken(Exception):
    def __init__(self, kind, path, line, seq, message):
        super().__init__(message)
        self.kind, self.path, self.line, self.seq, self.message = kind, path, line, seq, message


def seq_appears_later(segments, index, offset, seq):
    for i in range(index, len(segments)):
        for raw in lines_of(segments[i], offset if i == index else 0):
            parts = split(raw.rstrip(b"\n"))
            if parts and parts[0].get("type") != "segment" and parts[0].get("seq") == seq:
                return True
    return False


def verify(directory, keys):
    names = sorted(n for n in os.listdir(directory) if SEGMENT.match(n))
    segments = [os.path.join(directory, n) for n in names]
    for path in segments:
        # A FIFO would block the open below; a device or directory holds no records.
        kind = not_regular(path)
        if kind:
            raise OSError(f"'{path}' is {kind}, not a log segment file; move it out of the log directory.")
    state = {"last_seq": 0, "prev": bytes(32), "records": 0, "events": 0, "first": 0,
             "unchecked": [], "unkeyed": False, "in_progress": 0, "segments": len(segments), "removed": 0}
    anchor = None
    covered = False
    for index, path in enumerate(segments):
        number = int(SEGMENT.match(names[index]).group(1))
        last_segment = index == len(segments) - 1
        key = None
        checking = True
        offset = 0
        count = 0
        for count, raw in enumerate(lines_of(path), 1):
            offset += len(raw)
            expected = state["last_seq"] + 1
            if not raw.endswith(b"\n"):
                if last_segment and writer_active(directory):
                    state["in_progress"] = len(raw)
                    break
                raise Broken("truncated", path, count, expected, "the line has no line end")
            line = raw[:-1]
            parts = split(line)
            if parts is None:
                raise Broken("modified", path, count, expected, "not a log line")
            fields, body, chain = parts
            if count == 1:
                if fields.get("schema") != "access-log/1" or fields.get("type") != "segment":
                    raise Broken("modified", path, 1, expected, "the first line is not a segment header")
                if fields.get("segment") != number:
                    raise Broken("reordered", path, 1, expected, "segment number differs from the file name")
                key_id = fields.get("keyId")
                if fields.get("alg") != ("sha256" if key_id is None else "hmac-sha256"):
                    raise Broken("modified", path, 1, expected, "alg does not match keyId")
                if key_id is not None:
                    if key_id in keys:
                        key = keys[key_id]
                    else:
                        # Without the key, check what needs none: sequence numbers, segment order, headers.
                        checking = False
                        if key_id not in state["unchecked"]:
                            state["unchecked"].append(key_id)
                elif keys:
                    raise Broken("forged-without-key", path, 1, expected, "unkeyed segment, but keys were given")
                else:
                    state["unkeyed"] = True
                prev_seq = fields.get("prevSeq")
                prev_chain = bytes.fromhex(fields.get("prevChain", ""))
                if anchor is None:
                    anchor = (prev_seq, prev_chain)
                    covered = prev_seq == 0 and prev_chain == bytes(32)
                    state["last_seq"], state["prev"] = prev_seq, prev_chain
                elif prev_seq > state["last_seq"]:
                    raise Broken("deleted", path, 1, expected, "records before this segment are missing")
                elif prev_seq < state["last_seq"]:
                    raise Broken("inserted", path, 1, expected, "records were added before this segment")
                elif prev_chain != state["prev"]:
                    raise Broken("modified", path, 1, expected, "prevChain differs from the previous segment's last chain")
                if checking and link(key, prev_chain, body) != chain:
                    if key is not None and link(None, prev_chain, body) == chain:
                        raise Broken("forged-without-key", path, 1, expected, "header chain is plain SHA-256")
                    # An edited header leaves the next record linking to its chain value; a wrong key links nothing.
                    if key is not None and not next_links(path, offset, key, chain, prev_seq + 1):
                        raise Broken("wrong-key", path, 1, expected,
                                     f"the key for id \"{key_id}\" does not match this log (wrong key, or the header was forged)")
                    raise Broken("modified", path, 1, expected, "header chain mismatch")
                state["prev"] = chain
                continue
            if fields.get("type") == "segment" and fields.get("schema") == "access-log/1":
                raise Broken("inserted", path, count, expected, "a segment header in the middle of a segment")
            seq = fields.get("seq")
            if not isinstance(seq, int):
                raise Broken("modified", path, count, expected, "no seq")
            if seq == expected and (not checking or link(key, state["prev"], body) == chain):
                state["last_seq"], state["prev"] = seq, chain
                state["records"] += 1
                state["first"] = state["first"] or seq
                if fields.get("schema") == "access-event/1":
                    state["events"] += 1
                elif fields.get("type") == "removal" and fields.get("upToSeq") == anchor[0] \
                        and bytes.fromhex(fields.get("upToChain", "")) == anchor[1]:
                    covered = True
                continue
            if not checking:
                if seq < expected:
                    raise Broken("inserted", path, count, expected, f"sequence {seq} appears again")
                if seq_appears_later(segments, index, offset, expected):
                    raise Broken("reordered", path, count, expected, "lines were moved")
                raise Broken("deleted", path, count, expected, f"records {expected} to {seq - 1} are missing")
            raise classify(segments, index, path, count, offset, key, state, seq, expected, body, chain)
        if count == 0:
            if last_segment and writer_active(directory):
                continue
            raise Broken("truncated", path, 1, state["last_seq"] + 1, "the segment file is empty")
    if anchor is not None and not covered:
        raise Broken("deleted", segments[0], 1, 1, "records before the first segment were removed without a removal record")
    if anchor is not None:
        state["removed"] = anchor[0]
    return state


def next_links(path, offset, key, chain, expected):
    for raw in lines_of(path, offset):
        if not raw.endswith(b"\n"):
            return False
        parts = split(raw[:-1])
        return bool(parts) and parts[0].get("seq") == expected and link(key, chain, parts[1]) == parts[2]
    return False


def status_of(state):
    if state["segments"] == 0 or state["unchecked"]:
        return "unverified"
    return "verified-unkeyed" if state["unkeyed"] else "verified"


def classify(segments, index, path, line, offset, key, state, seq, expected, body, chain):
    prev = state["prev"]
    nxt = None
    for raw in lines_of(path, offset):
        if raw.endswith(b"\n"):
            parts = split(raw[:-1])
            if parts and parts[0].get("seq") == expected and link(key, prev, parts[1]) == parts[2]:
                nxt = parts[2]
        break
    if seq == expected:
        if key is not None and link(None, prev, body) == chain:
            return Broken("forged-without-key", path, line, expected, "chain recomputed without the key")
        if nxt is not None:
            return Broken("inserted", path, line, expected, "the next line follows the one before this")
        return Broken("modified", path, line, expected, "content does not match its chain value")
    if nxt is not None:
        if seq == expected + 1 and link(key, nxt, body) == chain:
            return Broken("reordered", path, line, expected, "lines were swapped")
        return Broken("inserted", path, line, expected, "the next line follows the one before this")
    if seq > expected:
        at = body.rfind(b',"seq":')
        if at >= 0 and link(key, prev, body[:at + 7] + str(expected).encode() + b"}") == chain:
            return Broken("modified", path, line, expected, "the sequence number was changed")
        if seq_appears_later(segments, index, offset, expected):
            return Broken("reordered", path, line, expected, "lines were moved")
        return Broken("deleted", path, line, expected, f"records {expected} to {seq - 1} are missing")
    return Broken("inserted", path, line, expected, f"sequence {seq} appears again")


USAGE = "usage: verify_log.py DIR [--key-file FILE] [--require-key] [--json]"


def main(argv):
    args = argv[1:]
    as_json = "--json" in args
    require_key = "--require-key" in args
    args = [a for a in args if a not in ("--json", "--require-key")]
    keys = {}
    if "--key-file" in args:
        i = args.index("--key-file")
        if i + 1 >= len(args):
            print(USAGE, file=sys.stderr)
            return 2
        try:
            keys = read_keys(args[i + 1])
        except (OSError, ValueError) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        del args[i:i + 2]
    if len(args) != 1 or not os.path.isdir(args[0]):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        state = verify(args[0], keys)
    except OSError as e:
        print(f"error: '{args[0]}': cannot read the log: {e}", file=sys.stderr)
        return 2
    except Broken as b:
        if as_json:
            print(json.dumps({"status": "broken", "intact": False, "kind": b.kind, "segment": b.path, "line": b.line, "sequence": b.seq, "message": b.message}))
        else:
            print(f"broken: {b.kind} at {b.path}:{b.line} (sequence {b.seq}): {b.message}")
        return 1
    status = status_of(state)
    if as_json:
        print(json.dumps({"status": status, "intact": status != "unverified", "events": state["events"], "lastSequence": state["last_seq"],
                          "lastChain": state["prev"].hex(), "uncheckedKeyIds": state["unchecked"], "inProgressBytes": state["in_progress"]}))
    else:
        figures = f"{state['records']} records ({state['events']} events), last sequence {state['last_seq']}, chain {state['prev'].hex()}"
        if state["in_progress"]:
            figures += f"; in progress: a writer is appending a line ({state['in_progress']} bytes so far)"
        if status == "verified":
            print(f"verified: {figures}")
        elif status == "verified-unkeyed":
            print(f"verified-unkeyed: {figures}; {UNKEYED_CAVEAT}")
        else:
            ids = ", ".join(f'"{k}"' for k in state["unchecked"])
            print(f"unverified: {figures}; sequence numbers, segment order and headers hold, but the chain itself was not checked: no key was given for {ids}")
    if status == "unverified" or (status == "verified-unkeyed" and require_key):
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
