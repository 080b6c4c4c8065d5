#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (fuzz/corpus/<target>/) from the repository's
fixtures and a few hand-made lines. Run from the repository root, then minimise each with
`cargo fuzz cmin <target> fuzz/corpus/<target>` (README: Fuzzing). Inputs stay under 4 KiB."""
import gzip, hashlib, io, os, struct, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX = 4096

def read(p):
    with open(os.path.join(ROOT, p), 'rb') as f:
        return f.read()

FIXTURES = ['tests/fixtures/golden/agent-work-stream.jsonl', 'tests/fixtures/golden/agent-metrics.jsonl',
            'tests/fixtures/golden/agent-alerts.jsonl', 'tests/fixtures/golden/agent-errors.jsonl',
            'tests/fixtures/golden/agent-sessions/A1.jsonl', 'tests/e2e/fixtures/telemetry.jsonl',
            'tests/e2e/fixtures/malformed.jsonl']
lines = []
for p in FIXTURES:
    lines += [l for l in read(p).split(b'\n') if l.strip()]
HAND = [
    rb'{"timestamp":"2026-02-09T10:00:00Z","attempt_id":"T-1:a1","event_type":"tool_call","data":{"tool_name":"shell","params":"{\"command\":[\"bash\",\"-lc\",\"cargo test\"]}","usage":{"cost_usd":"12.5","prompt_tokens":1e3}},"sequence_num":-0}',
    rb'{"event_type":"error","attempt_id":"x","data":{"error":"rate limit \u00e9\ud83d\ude00","category":"RATE_LIMIT"},"data":null}',
    rb'{"metrics":{"attempt_id":"T-2:a1","success":"true","duration_ms":1.5e3,"cost_usd":0.1,"executor":"codex","model":"gpt-5"}}',
    rb'{"type":"error_loop","attempt_id":"T-2:a1","timestamp":1770000000000,"message":"\"x\"\\"}',
    rb'{"event_type":"x","event_type":"y","timestamp":"2026-02-09T10:00:00+01:00"}',
    rb'{"data":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}',
    b'{"event_type":"git_commit","data":{"diff_stat":" a.rs | 2 +-\\n b/c.rs | 10 ++++\\n"},"attempt_id":"t:a"}',
    b'[1,2]', b'{"metrics":7}', b'{"a":1} x', b'{"event_type":"tool_call","data":{"tool_name":"\x01"}}',
]
lines += HAND

def put(target, data):
    d = os.path.join(ROOT, 'fuzz', 'corpus', target)
    os.makedirs(d, exist_ok=True)
    data = data[:MAX]
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), 'wb') as f:
        f.write(data)

# parse_line: one line each
for l in lines:
    put('parse_line', l)

def zip_bytes(entries, stream=False, zip64=False, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    class NoSeek(io.RawIOBase):
        def writable(self): return True
        def write(self, b): return buf.write(b)
    target = NoSeek() if stream else buf
    with zipfile.ZipFile(target, 'w', compression=method) as z:
        for name, data in entries:
            with z.open(zipfile.ZipInfo(name), 'w', force_zip64=zip64) as f:
                f.write(data)
    return buf.getvalue()

files = [read(p) for p in FIXTURES]
small = b'\n'.join(lines[:6]) + b'\n'
raw_inputs = [
    small, b'\xef\xbb\xbf' + small.replace(b'\n', b'\r\n'), files[0], files[1] + files[2], files[6][:1500],
    gzip.compress(small), gzip.compress(small) + gzip.compress(files[2]) + b'\0\0\0',
    zip_bytes([('a.jsonl', small)]), zip_bytes([('a.jsonl', small), ('b.txt', b'x')], stream=True),
    zip_bytes([('d/a.jsonl', files[2])], zip64=True), zip_bytes([('a.jsonl.gz', gzip.compress(small))], method=zipfile.ZIP_STORED),
    b'\x89PNG\r\n\x1a\n\0\0', b'\xff\xfe{\0"\0', b'hello\nworld\n',
]
# feed_chunking: [chunk seed u16][mode][damage][at u16][payload]
for i, data in enumerate(raw_inputs):
    put('feed_chunking', struct.pack('<HBBH', 7 * i + 1, 0, 0, 0) + data)
for mode in (2, 3, 4, 5, 0x13, 0x24, 0x35, 0x80 | 2, 0x40 | 3):
    put('feed_chunking', struct.pack('<HBBH', mode, mode, 0, 700) + small)
put('feed_chunking', struct.pack('<HBBH', 3, 2, 1, 90) + small)
put('feed_chunking', struct.pack('<HBBH', 5, 4, 2, 120) + small)

# end_to_end: [48 parameter bytes][chunk seed u16][mode][damage][at u16][payload]
params = [bytes(48), bytes(range(128, 176)), bytes((i * 37) % 256 for i in range(48)), bytes([255] * 48)]
payloads = [files[0] + files[1] + files[2] + files[3], files[5], files[4] + files[1], small]
for i, (p, data) in enumerate(zip(params, payloads)):
    put('end_to_end', p + struct.pack('<HBBH', i + 1, 0, 0, 0) + data)
put('end_to_end', params[2] + struct.pack('<HBBH', 9, 2, 0, 0) + files[5])
put('end_to_end', params[1] + struct.pack('<HBBH', 9, 0x14, 0, 1200) + files[0] + files[1])
