#!/usr/bin/env python3
"""Verify an audit log's Merkle tree and signed checkpoint, or one inclusion proof, with the log's public key only.

The format is in log-format.md ("The tree and checkpoints"). Standard library plus `cryptography` for Ed25519
(Debian: python3-cryptography).

  python3 verify_tree.py LOG_DIR --public-key VKEY [--public-key VKEY...] [--since CHECKPOINT]
                         [--witness-key VKEY... [--min-cosignatures N]] [--json]
  python3 verify_tree.py --check-proof PROOF --public-key VKEY [--json]

VKEY is a C2SP verifier key (name+hash+base64) or a file holding one a line; only a key whose name is a checkpoint's
origin counts for it. With --since, the log's own checkpoint must be at least as large (else the log was rolled back)
and the log must extend it. With --witness-key, the checkpoint the verification rests on (--since's, else the log's
own) must carry N (default 1) valid cosignatures by those witnesses. PROOF is an inclusion proof, or a consistency
proof carrying both checkpoints (access-report prove --since FILE).
Exit 0 intact/verified, 1 not, 2 usage (also a witness's cosigner key given as --public-key, a PROOF or --since file
that cannot be read or is not such a proof or signed note, or a consistency proof without both checkpoints), 3 intact
but not witnessed by N.
"""
import base64
import hashlib
import itertools
import json
import os
import re
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

SEGMENT = re.compile(r"^segment-(\d{10})\.jsonl$")


class Problem(Exception):
    pass


class Usage(Exception):
    """Input that cannot be checked (exit 2), not a verdict on the log."""


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


# ---- signed notes (c2sp.org/signed-note, tlog-checkpoint, tlog-cosignature) ----

def key_id(name, key_bytes):
    return struct.unpack(">I", hashlib.sha256(name.encode() + b"\n" + key_bytes).digest()[:4])[0]


def valid_name(name):
    return name != "" and "+" not in name and not any(c.isspace() for c in name)


def parse_vkey(text):
    parts = text.strip().split("+", 2)
    if len(parts) != 3 or not valid_name(parts[0]) or len(parts[1]) != 8:
        raise Problem("not a verifier key: " + text)
    data = base64.b64decode(parts[2], validate=True)
    if len(data) != 33 or data[0] not in (1, 4) or key_id(parts[0], data) != int(parts[1], 16):
        raise Problem("not an Ed25519 verifier key, or its key id does not match: " + text)
    return {"name": parts[0], "id": int(parts[1], 16), "type": data[0], "key": Ed25519PublicKey.from_public_bytes(data[1:]), "text": text.strip()}


def read_vkeys(values):
    keys = []
    for value in values:
        if os.path.isfile(value):
            with open(value, encoding="utf-8") as f:
                keys += [parse_vkey(l) for l in f.read().splitlines() if l.strip() and not l.strip().startswith("#")]
        else:
            keys.append(parse_vkey(value))
    return keys


def b64(text):
    """The bytes of base64 text as .NET's Convert.FromBase64String reads it (spaces, tabs and line breaks ignored), or None."""
    try:
        return base64.b64decode(re.sub(r"[ \t\r\n]", "", text), validate=True)
    except ValueError:
        return None


def parse_note(data):
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    if any((ord(c) < 0x20 and c != "\n") or 0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise Problem("malformed note: control character or lone surrogate")
    split = text.rfind("\n\n")
    if split < 0:
        raise Problem("malformed note: no blank line before the signatures")
    body, sigs = text[:split + 1], text[split + 2:]
    if not sigs.endswith("\n"):
        raise Problem("malformed note: no signature line")
    signatures = []
    for line in sigs[:-1].split("\n"):
        if not line.startswith("\u2014 "):
            raise Problem("malformed note: not a signature line: " + line)
        name, _, encoded = line[2:].partition(" ")
        raw = b64(encoded) if encoded else None
        if not valid_name(name) or raw is None or len(raw) < 5:
            raise Problem("malformed note: bad signature line: " + line)
        if len(signatures) == 100:
            raise Problem("malformed note: more than 100 signatures")
        signatures.append((name, struct.unpack(">I", raw[:4])[0], raw[4:]))
    return body, signatures


def verify_note(data, keys):
    """Returns (text, names of the keys whose signatures verified); raises Problem like SignedNote.Verify."""
    text, signatures = parse_note(data)
    verified = []
    for key in keys:
        matching = [s for s in signatures if s[0] == key["name"] and s[1] == key["id"]]
        if not matching:
            continue
        for _, _, sig in matching:
            message = text.encode()
            if key["type"] == 4:
                if len(sig) != 72:
                    raise Problem("the cosignature of %s is malformed" % key["text"])
                message = b"cosignature/v1\ntime %d\n" % struct.unpack(">Q", sig[:8])[0] + message
                sig = sig[8:]
            try:
                key["key"].verify(sig, message)
            except InvalidSignature:
                raise Problem("the signature of key %s+%08x does not verify" % (key["name"], key["id"]))
        verified.append(key["text"])
    if not verified:
        raise Problem("the note is signed by no key given")
    return text, verified


def parse_checkpoint(text):
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or not re.fullmatch(r"0|[1-9][0-9]{0,18}", lines[1]):
        raise Problem("not a checkpoint")
    root = base64.b64decode(lines[2], validate=True)
    if len(root) != 32:
        raise Problem("not a checkpoint root hash")
    return lines[0], int(lines[1]), root


def open_checkpoint(data, keys):
    """Returns (origin, size, root, signers) of a signed checkpoint, like Checkpoint.Open: only a key whose name is
    the checkpoint's origin counts, so another log's key given beside the log's cannot sign for it."""
    text, _ = parse_note(data)
    origin, size, root = parse_checkpoint(text)
    own = [k for k in keys if k["name"] == origin]
    if not own:
        raise Problem("the checkpoint is of '%s' but no key given is named so (given: %s): only a key whose name is a checkpoint's origin signs for that log"
                      % (origin, ", ".join(k["text"] for k in keys)))
    return origin, size, root, verify_note(data, own)[1]


# ---- the tree (RFC 9162) ----

class Frontier:
    def __init__(self):
        self.stack = []  # (level, hash), largest first
        self.size = 0

    def append(self, h):
        level = 0
        while self.stack and self.stack[-1][0] == level:
            h = node_hash(self.stack.pop()[1], h)
            level += 1
        self.stack.append((level, h))
        self.size += 1

    def root(self):
        if not self.stack:
            return hashlib.sha256(b"").digest()
        r = self.stack[-1][1]
        for _, h in reversed(self.stack[:-1]):
            r = node_hash(h, r)
        return r


def seq_of(line):
    """A record line's integer seq, or None."""
    try:
        seq = json.loads(line).get("seq")
    except (ValueError, AttributeError):
        return None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def segment_paths(directory):
    return [p for _, p in sorted((int(m.group(1)), os.path.join(directory, n)) for n in os.listdir(directory) for m in [SEGMENT.match(n)] if m)]


def first_held(directory):
    """The leaf index of the first record the log holds: its first segment's prevSeq, 0 unless retention removed the
    oldest segments."""
    for path in segment_paths(directory)[:1]:
        with open(path, "rb") as f:
            line = f.readline()
        if line.endswith(b"\n"):
            try:
                prev = json.loads(line).get("prevSeq")
            except (ValueError, AttributeError):
                return 0
            return prev if isinstance(prev, int) and not isinstance(prev, bool) and prev > 0 else 0
    return 0


REMOVAL = b'{"schema":"access-log/1","type":"removal"'


def records(directory, index=0):
    """The record lines of the log in order, from leaf `index` (the first record the log holds): every complete line
    of every segment but its header. Leaf i is the record with seq i + 1: a record out of place is a broken log
    (deleted, inserted or reordered records), as in LogRecords."""
    for path in segment_paths(directory):
        with open(path, "rb") as f:
            data = f.read()
        lines = data.split(b"\n")
        complete = lines[:-1]  # the last element is what follows the last '\n': empty, or a line not yet complete
        for number, line in enumerate(complete[1:], start=2):
            seq = seq_of(line)
            if seq != index + 1:
                raise Problem("record %d is out of sequence: line %d of '%s', its place in the log, holds %s; records were deleted, inserted or reordered"
                              % (index + 1, number, path, "no record with a sequence number" if seq is None else "the record with seq %d" % seq))
            yield line
            index += 1
        if lines[-1]:
            return


# ---- the tiles (c2sp.org/tlog-tiles) ----

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT


def tile_path(level, index, width):
    digits = str(index)
    digits = digits.zfill((len(digits) + 2) // 3 * 3)
    groups = [digits[i:i + 3] for i in range(0, len(digits), 3)]
    name = "/".join(["x" + g for g in groups[:-1]] + [groups[-1]])
    return "tile/%d/%s%s" % (level, name, ".p/%d" % width if width < TILE_WIDTH else "")


def fold(hashes):
    while len(hashes) > 1:
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


class TileCheck:
    """Checks the stored tiles of the checkpoint's tree against the hashes of the records, as verify --public-key does:
    each tile the tree of that size has, the full tile or else the widest partial one, must begin with the hashes of
    the records (leaf hashes at level 0, roots of full tiles above). Fed the leaf hashes of the first `size` records."""

    def __init__(self, tree, size):
        self.tree, self.size = tree, size
        self.pending = []  # per tile level: the hashes of the tile being filled
        self.full = []     # per tile level: the number of full tiles so far
        self.problem = None

    def add(self, level, h):
        if level == len(self.pending):
            self.pending.append([])
            self.full.append(0)
        hashes = self.pending[level]
        hashes.append(h)
        if len(hashes) == TILE_WIDTH:
            self.compare(level, self.full[level], hashes)
            self.pending[level] = []
            self.full[level] += 1
            self.add(level + 1, fold(hashes))

    def finish(self):
        for level, hashes in enumerate(self.pending):
            if hashes:
                self.compare(level, self.full[level], hashes)
        return self.problem

    def compare(self, level, index, hashes):
        if self.problem:
            return
        needed = len(hashes)
        full = os.path.join(self.tree, tile_path(level, index, TILE_WIDTH))
        data = None
        if os.path.isfile(full):
            with open(full, "rb") as f:
                data = f.read()
        elif os.path.isdir(full + ".p"):
            widest = max([int(n) for n in os.listdir(full + ".p") if n.isdigit()], default=0)
            if widest >= needed:
                with open(os.path.join(full + ".p", str(widest)), "rb") as f:
                    data = f.read()
        name = tile_path(level, index, TILE_WIDTH)
        if data is None or len(data) < needed * 32 or len(data) % 32:
            self.problem = "its tile %s is missing or shorter than %d hashes" % (name, needed)
        elif data[:needed * 32] != b"".join(hashes):
            self.problem = "its tile %s does not hold the hashes of the records, so proofs made from it would not verify" % name


def verify_inclusion(index, size, leaf, path, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_hash, second_hash, path):
    """RFC 9162 section 2.1.4.2."""
    if first < 0 or second < first:
        return False
    if first == second:
        return not path and first_hash == second_hash
    if first == 0:
        return not path
    if not path:
        return False
    if first & (first - 1) == 0:
        path = [first_hash] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_hash and sr == second_hash


def removed_leaves(directory, size, removed, has_tiles):
    """The leaf hashes of the records retention removed (the first `removed`), from the level-0 tiles, which keep
    them: only when a removal record the checkpoint signs accounts for them, as for the chain. The records kept are then checked
    against the signed root as before."""
    if removed == 0:
        return []
    records_gone = "records 1 to %d are no longer in the log" % removed
    if removed > size:
        raise Problem("%s (removed by retention), but the log's checkpoint covers only %d: no checkpoint signs the records kept. Sign one (the writer's checkpoints, or 'access-report checkpoint') before retention removes more." % (records_gone, size))
    signed = itertools.islice(records(directory, removed), max(0, size - removed))  # a later record anyone could add
    if not any(line.startswith(REMOVAL) and json.loads(line).get("upToSeq") == removed for line in signed):
        raise Problem("%s, and no removal record under the checkpoint accounts for them: the oldest segments were deleted, not removed by retention." % records_gone)
    if not has_tiles:
        raise Problem("%s (removed by retention), and the tree's tiles, which keep their hashes, are missing ('%s'): the tree cannot be recomputed without them." % (records_gone, os.path.join(directory, "tree", "tile")))
    leaves = []
    tree = os.path.join(directory, "tree")
    for index in range(0, removed, TILE_WIDTH):
        needed = min(TILE_WIDTH, removed - index)
        full = os.path.join(tree, tile_path(0, index // TILE_WIDTH, TILE_WIDTH))
        data = None
        if os.path.isfile(full):
            with open(full, "rb") as f:
                data = f.read()
        elif os.path.isdir(full + ".p"):
            widest = max([int(n) for n in os.listdir(full + ".p") if n.isdigit()], default=0)
            if widest >= needed:
                with open(os.path.join(full + ".p", str(widest)), "rb") as f:
                    data = f.read()
        if data is None or len(data) < needed * 32:
            raise Problem("%s (removed by retention), and the hash of record %d, which the tree's tiles keep, cannot be read: its tile %s is missing or too short." % (records_gone, index + 1, tile_path(0, index // TILE_WIDTH, TILE_WIDTH)))
        leaves.extend(data[i * 32:(i + 1) * 32] for i in range(needed))
    return leaves


def verify_log(directory, keys, since=None):
    path = os.path.join(directory, "tree", "checkpoint")
    if not os.path.isfile(path):
        raise Problem("the log has no signed checkpoint (tree/checkpoint)")
    with open(path, "rb") as f:
        origin, size, root, signers = open_checkpoint(f.read(), keys)
    older = None
    if since is not None:
        try:
            with open(since, "rb") as f:
                kept = f.read().decode("utf-8-sig", errors="replace")
            parse_note(kept)
        except (OSError, Problem) as e:
            raise Usage("--since '%s': not a readable signed checkpoint: %s" % (since, e))
        older = open_checkpoint(kept, keys)[:3]
        if older[0] != origin:
            raise Problem("the checkpoint kept earlier is of '%s', the log's of '%s'" % (older[0], origin))
        if older[1] > size:
            raise Problem("the log's checkpoint covers %d records, fewer than the %d of the checkpoint kept earlier: the log was rolled back (an older checkpoint put back in place of the newer, or records cut and a smaller tree signed)" % (size, older[1]))
    targets = {size} | ({older[1]} if older else set())
    roots = {0: hashlib.sha256(b"").digest()}
    frontier = Frontier()
    tiles = TileCheck(os.path.join(directory, "tree"), size) if os.path.isdir(os.path.join(directory, "tree", "tile")) else None
    removed = first_held(directory)
    for leaf in removed_leaves(directory, size, removed, tiles is not None):
        if tiles and frontier.size < size:
            tiles.add(0, leaf)
        frontier.append(leaf)
        if frontier.size in targets:
            roots[frontier.size] = frontier.root()
    for line in records(directory, removed):
        leaf = leaf_hash(line)
        if tiles and frontier.size < size:
            tiles.add(0, leaf)
        frontier.append(leaf)
        if frontier.size in targets:
            roots[frontier.size] = frontier.root()
    count = frontier.size
    result = {"treeSize": size, "records": count, "origin": origin, "signers": signers, "removedUpToSeq": removed}
    if older and count < older[1]:
        raise Problem("the log holds %d records but the older checkpoint covers %d: records were deleted or cut from its end" % (count, older[1]), result)
    if older and roots[older[1]] != older[2]:
        raise Problem("the log's first %d records are not those of the older checkpoint: the past was rewritten" % older[1], result)
    if count < size:
        raise Problem("the log holds %d records but its signed checkpoint covers %d: records were deleted or cut from its end" % (count, size), result)
    if roots[size] != root:
        raise Problem("the log's records do not hash to the root its checkpoint signs: a record was changed, inserted, deleted or reordered", result)
    if tiles and tiles.finish():
        raise Problem("the records are those its checkpoint signs, but %s" % tiles.problem, result)
    return result


def cosigners(data, witness_keys):
    """The witness keys (type 4) whose tlog-cosignature on the note verifies, like SignedNote.Cosigners."""
    text, signatures = parse_note(data)
    found = []
    for key in witness_keys:
        for name, kid, sig in signatures:
            if name != key["name"] or kid != key["id"] or len(sig) != 72:
                continue
            message = b"cosignature/v1\ntime %d\n" % struct.unpack(">Q", sig[:8])[0] + text.encode()
            try:
                key["key"].verify(sig[8:], message)
            except InvalidSignature:
                continue
            found.append(key)
            break
    return found


# ---- proof files, read as access-report check-proof reads them (ProofJson): a file that is not a proof exits 2 ----

class Members(list):
    """A JSON object's members in order (json's object_pairs_hook), so that one given twice can be refused."""


def no_constant(name):
    raise ValueError("%s is not JSON" % name)


def too_deep(value, limit=64):
    """Whether the value's arrays and objects nest more than 64 deep, which System.Text.Json refuses."""
    children = [v for _, v in value] if isinstance(value, Members) else value if isinstance(value, list) else None
    return children is not None and (limit == 0 or any(too_deep(c, limit - 1) for c in children))


def text(value):
    """The string, or None for another value or a string holding a lone surrogate (escaped in the JSON)."""
    return value if isinstance(value, str) and not re.search("[\ud800-\udfff]", value) else None


def read_proof(path):
    """The top-level members of a proof file; Usage unless it is a JSON object giving each member once."""
    try:
        with open(path, "rb") as f:
            data = f.read().decode("utf-8-sig", errors="replace")  # as File.ReadAllText: a BOM dropped
        root = json.loads(data, object_pairs_hook=Members, parse_constant=no_constant,
                          parse_int=lambda digits: int(digits) if len(digits) < 30 else float("inf"))
    except (OSError, ValueError, RecursionError) as e:
        raise Usage("PROOF '%s': not JSON: %s" % (path, e))
    if not isinstance(root, Members) or too_deep(root):
        raise Usage("PROOF '%s': expected a JSON object (nested at most 64 deep), a proof" % path)
    proof = {}
    for name, value in root:
        if name in proof:
            raise Usage("PROOF '%s': \"%s\": given twice; expected once" % (path, name))
        proof[name] = value
    return proof


def member(proof, name, expected, check):
    """The member's value made by check (None when it is not what was expected); Usage when missing or not so."""
    if name not in proof:
        raise Usage("\"%s\": missing; expected %s" % (name, expected))
    value = check(proof[name])
    if value is None:
        raise Usage("\"%s\": expected %s, got %s" % (name, expected, json.dumps(proof[name])[:40]))
    return value


def whole(maximum):
    return lambda v: v if type(v) is int and 0 <= v <= maximum else None


def hashes(v):
    decoded = [b64(h) if text(h) is not None else None for h in v] if type(v) is list else [None]
    return decoded if all(h is not None and len(h) == 32 for h in decoded) else None


def note(v):
    try:
        return v if text(v) is not None and parse_note(v) else None
    except Problem:
        return None


PATH, NOTE, MAX = "an array of base64 SHA-256 hashes", "a signed checkpoint note", 2 ** 63 - 1


def check_consistency(proof, keys):
    """An access-log-consistency/1 proof carrying both signed checkpoints, like ConsistencyProof.Verify."""
    first, second = member(proof, "from", "a whole number from 0 to %d" % MAX, whole(MAX)), member(proof, "to", "a whole number from 0 to %d" % MAX, whole(MAX))
    path = member(proof, "path", PATH, hashes)
    notes = [member(proof, name, NOTE, note) for name in ("checkpoint", "fromCheckpoint") if name in proof]
    if len(notes) < 2:
        raise Usage("the consistency proof from %s to %s does not carry both checkpoints (\"checkpoint\" and \"fromCheckpoint\"): "
                    "it was made for a witness, which holds the older one; make one with prove --log DIR --since FILE" % (first, second))
    origin, size, root, signers = open_checkpoint(notes[0], keys)
    old_origin, old_size, old_root, _ = open_checkpoint(notes[1], keys)
    if old_origin != origin:
        raise Problem("the checkpoints are of two logs: '%s' and '%s'" % (old_origin, origin))
    if first != old_size or second != size or not verify_consistency(old_size, size, old_root, root, path):
        raise Problem("the proof does not show that the checkpoint at %d records extends the one at %d" % (size, old_size))
    return {"from": old_size, "to": size, "origin": origin, "signers": signers}


def check_proof(path, keys):
    proof = read_proof(path)
    if proof.get("schema") == "access-log-consistency/1":
        return check_consistency(proof, keys)
    member(proof, "schema", '"access-log-inclusion/1"', lambda v: v if v == "access-log-inclusion/1" else None)
    record = member(proof, "record", "the record's line (a string)", text)
    index = member(proof, "index", "a whole number from 0 to %d" % (MAX - 1), whole(MAX - 1))
    hashes_ = member(proof, "path", PATH, hashes)
    origin, size, root, signers = open_checkpoint(member(proof, "checkpoint", NOTE, note), keys)
    if not verify_inclusion(index, size, leaf_hash(record.encode("utf-8")), hashes_, root):
        raise Problem("the record is not at index %d of the tree of %d records that the checkpoint signs" % (index, size))
    seq = seq_of(record)
    if seq != index + 1:
        raise Problem("the record is at index %d of the signed tree, the place of the record with seq %d, but its seq is %s: the tree was signed over a log whose records were deleted, inserted or reordered"
                      % (index, index + 1, "missing" if seq is None else seq))
    return {"index": index, "treeSize": size, "origin": origin, "signers": signers}


def main(argv):
    args, keys, witnesses, since, proof, minimum, as_json, i = [], [], [], None, None, None, False, 0
    while i < len(argv):
        a = argv[i]
        if a in ("--public-key", "--since", "--check-proof", "--witness-key", "--min-cosignatures") and i + 1 < len(argv):
            if a == "--public-key":
                keys.append(argv[i + 1])
            elif a == "--witness-key":
                witnesses.append(argv[i + 1])
            elif a == "--min-cosignatures":
                minimum = argv[i + 1]
            elif a == "--since":
                since = argv[i + 1]
            else:
                proof = argv[i + 1]
            i += 2
            continue
        if a == "--json":
            as_json = True
        elif a.startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        else:
            args.append(a)
        i += 1
    if not keys or (proof is None) == (len(args) != 1) or (minimum is not None and not witnesses) or (witnesses and proof):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        vkeys = read_vkeys(keys)
        for key in vkeys:
            # A mistake in the keys, not a verdict on the log (exit 2), as FileLogTree.Verify and InclusionProof.Verify.
            if key["type"] == 4:
                raise Problem("--public-key %s is a witness's cosigner key, not a log's key: a log signs its checkpoints with a signing key" % key["text"])
        wkeys = []
        for key in read_vkeys(witnesses):
            if key["type"] != 4:
                raise Problem("--witness-key %s is a signing key; expected a witness's cosigner key" % key["text"])
            if key not in wkeys:
                wkeys.append(key)
        required = int(minimum) if minimum is not None else 1
        if wkeys and not 1 <= required <= len(wkeys):
            raise Problem("--min-cosignatures %d: expected from 1 to the number of distinct witness keys given (%d)" % (required, len(wkeys)))
    except (Problem, ValueError, OSError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    try:
        result = check_proof(proof, vkeys) if proof else verify_log(args[0], vkeys, since)
        result["intact"] = True
    except Usage as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    except (Problem, ValueError, KeyError, UnicodeDecodeError) as e:
        extra = e.args[1] if isinstance(e, Problem) and len(e.args) > 1 else {}
        message = e.args[0] if e.args else str(e)
        print(json.dumps(dict(extra, intact=False, problem=str(message))) if as_json else "broken: %s" % message)
        return 1
    code = 0
    if wkeys:
        with open(since or os.path.join(args[0], "tree", "checkpoint"), "rb") as f:
            found = cosigners(f.read(), wkeys)
        result["cosigners"] = [k["name"] for k in found]
        result["witnessed"] = len(found) >= required
        code = 0 if result["witnessed"] else 3
    print(json.dumps(result) if as_json else "intact: %s" % json.dumps(result))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
