//! The line parser's fast path (src/ingest/fastjson.rs) against serde_json: wherever the fast path
//! reads a line, serde_json reads it too, to the very same fields (compared in full, floats by
//! their bits through `{:?}`); wherever either fails, the line's result is serde_json's. Run over
//! every line of the demo data and the fixtures, over hand-made edge cases, and over thousands of
//! seeded mutations of real lines (bytes replaced, inserted, cut).

use spyglass::demo::{generate, DemoConfig, MemorySink};
use spyglass::ingest::parse::{fast_path, parse_line, parse_line_reference};

/// Checks one line; returns whether the fast path read it.
fn check(line: &str) -> bool {
    let reference = parse_line_reference(line);
    let fast = fast_path(line);
    if let Some(f) = &fast {
        match &reference {
            Ok(r) => assert_eq!(format!("{f:?}"), format!("{r:?}"), "fast path and serde_json differ on {line:?}"),
            Err(e) => panic!("the fast path read a line serde_json rejects ({e:?}): {line:?}"),
        }
    }
    // what the ingest uses is serde_json's verdict either way
    assert_eq!(format!("{:?}", parse_line(line)), format!("{reference:?}"), "{line:?}");
    fast.is_some() && line.starts_with('{')
}

fn demo_lines() -> Vec<String> {
    let mut sink = MemorySink::default();
    generate(&DemoConfig { sessions: 80, seed: 5, ..Default::default() }, &mut sink).unwrap();
    let mut lines: Vec<String> = sink
        .files
        .values()
        .flat_map(|b| String::from_utf8_lossy(b).lines().map(str::to_string).collect::<Vec<_>>())
        .collect();
    for f in [
        "tests/fixtures/golden/agent-work-stream.jsonl",
        "tests/fixtures/golden/agent-metrics.jsonl",
        "tests/fixtures/golden/agent-alerts.jsonl",
        "tests/fixtures/golden/agent-errors.jsonl",
        "tests/e2e/fixtures/telemetry.jsonl",
        "tests/e2e/fixtures/malformed.jsonl",
        "tests/fixtures/real_bosun/agent-work-stream.jsonl",
        "tests/fixtures/real_bosun/agent-metrics.jsonl",
        "tests/fixtures/real_bosun/agent-alerts.jsonl",
    ] {
        lines.extend(std::fs::read_to_string(f).unwrap().lines().map(str::to_string));
    }
    lines.retain(|l| !l.trim().is_empty());
    lines
}

#[test]
fn every_real_line_reads_the_same_and_most_by_the_fast_path() {
    let lines = demo_lines();
    let valid: Vec<&String> = lines.iter().filter(|l| parse_line_reference(l.trim()).is_ok()).collect();
    let fast = valid.iter().filter(|l| check(l.trim())).count();
    assert!(valid.len() > 2000, "{} lines", valid.len());
    // the demo writes escapes and floats on purpose; the fast path reads them all
    assert_eq!(
        fast,
        valid.len(),
        "lines the fast path gave up on: {:?}",
        valid.iter().filter(|l| fast_path(l.trim()).is_none()).take(3).collect::<Vec<_>>()
    );
    for l in &lines {
        check(l.trim());
    }
}

#[test]
fn edge_cases() {
    let base = |v: &str| {
        format!(
            r#"{{"timestamp":"2026-02-09T10:00:00Z","attempt_id":"A1","event_type":"tool_call","data":{{"tool_name":"shell","x":{v},"usage":{{"cost_usd":{v},"prompt_tokens":{v}}}}},"sequence_num":{v},"task_title":{v}}}"#
        )
    };
    let values = [
        "0",
        "-0",
        "-0.0",
        "1",
        "-1",
        "01",
        "1.",
        ".5",
        "1e5",
        "1E+5",
        "1e-5",
        "0.1e-3",
        "1e400",
        "-1e400",
        "1.7976931348623157e308",
        "4.9e-324",
        "2.2250738585072011e-308",
        "123456789012345678",
        "9999999999999999999",
        "18446744073709551615",
        "18446744073709551616",
        "123456789012345678901234",
        "-9223372036854775808",
        "-9223372036854775809",
        "0.1",
        "0.30000000000000004",
        "3.141592653589793238462643383279",
        "1e",
        "1e+",
        "-",
        "--1",
        "+1",
        "NaN",
        "Infinity",
        "true",
        "false",
        "null",
        "tru",
        "nul",
        "True",
        r#""""#,
        r#""a\"b""#,
        r#""\\""#,
        r#""\/""#,
        r#""\b\f\n\r\t""#,
        r#""\u0041\u00e9\u4e2d""#,
        r#""\u0000""#,
        r#""\ud83d\ude00""#,
        r#""\ud800""#,
        r#""\udc00x""#,
        r#""\u12""#,
        r#""\u12G4""#,
        r#""\u+123""#,
        r#""\x41""#,
        r#""\'""#,
        "\"a\u{1}b\"",
        "\"tab\there\"",
        "\"é中😀\"",
        "[]",
        "[1,2]",
        "[1,]",
        "[,1]",
        "[\"a\",\"b\"]",
        "[\"a\",1]",
        "{}",
        r#"{"a":1}"#,
        r#"{"a":1,}"#,
        r#"{"a" 1}"#,
        r#"{1:2}"#,
        r#"{"a":[{"b":[]}]}"#,
        " [ 1 , 2 ] ",
        "\t{ \"a\" : \"b\" }\r",
    ];
    let mut fast = 0;
    for v in values {
        fast += usize::from(check(&base(v)));
    }
    assert!(fast >= 40, "{fast} read by the fast path");
    // structure around the values
    for line in [
        "{}",
        "{ }",
        r#"{"a":1} "#,
        r#"{"a":1} x"#,
        r#"{"a":1}}"#,
        r#"{"a":1"#,
        r#"{"a""#,
        r#"{"a":"#,
        r#"{"a"}"#,
        r#"{,"a":1}"#,
        r#"{"a":1,,"b":2}"#,
        r#"{"a\u0041":1}"#,
        r#"{"\ud800":1}"#,
        r#"{"event_type":"x","event_type":"y"}"#,
        r#"{"data":{"data":{"data":{}}}}"#,
        r#"{"data":[[[[[[[[[[]]]]]]]]]]}"#,
        r#"{"data":{"usage":{"usage":1}},"metrics":{"success":"true"}}"#,
    ] {
        check(line);
    }
    let deep = format!("{{\"data\":{}{}}}", "[".repeat(110), "]".repeat(110));
    check(&deep);
}

#[test]
fn mutations_of_real_lines() {
    let lines = demo_lines();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let pieces = [
        "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "\u{1}", "\\u", "\\ud800", "\\u0041", "0", "-", ".", "e", "E",
        "+", "t", "n", "1e400", "\\\"", "é", "😀", "null", "[]", "{}",
    ];
    let (mut n, mut fast) = (0, 0);
    for _ in 0..40_000 {
        let line = &lines[next(lines.len())];
        let mut bytes = line.trim().as_bytes().to_vec();
        for _ in 0..1 + next(2) {
            let at = next(bytes.len() + 1);
            match next(3) {
                0 => bytes.truncate(at.max(1)),
                1 => {
                    let p = pieces[next(pieces.len())].as_bytes();
                    bytes.splice(at..at, p.iter().copied());
                }
                _ => {
                    let p = pieces[next(pieces.len())].as_bytes();
                    let end = (at + 1).min(bytes.len());
                    bytes.splice(at.min(end)..end, p.iter().copied());
                }
            }
        }
        let Ok(text) = String::from_utf8(bytes) else { continue };
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        n += 1;
        fast += usize::from(check(text));
    }
    assert!(n > 30_000 && fast > n / 10, "{n} mutated lines, {fast} read by the fast path");
}

#[test]
fn tool_params_given_as_a_json_string() {
    // bosun's Codex writer gives a call's arguments as JSON text in a string; its content is read
    // the same whichever reader read the line (the fast path reads every one of these lines)
    let line = |params: &str| {
        format!(
            r#"{{"timestamp":"2026-02-09T10:00:00Z","attempt_id":"A1","event_type":"tool_call","data":{{"tool_name":"shell","tool_params":{params}}}}}"#
        )
    };
    // nesting: skipped (any depth, as serde_json skips it), or read (over its 128 levels: not read)
    let deep = |key: &str| format!("\"{{\\\"{key}\\\":{}{}}}\"", "[".repeat(200), "]".repeat(200));
    let cases: Vec<(String, Option<&str>, Vec<&str>)> = vec![
        (r#""{\"command\":[\"bash\",\"-lc\",\"cargo test\"],\"workdir\":\"/w\"}""#.into(), Some("cargo test"), vec![]),
        (r#""{\"command\":[\"/bin/bash\",\"-c\",\"npm test\"]}""#.into(), Some("npm test"), vec![]),
        (r#""{\"command\":[\"git\",\"status\"]}""#.into(), Some("git status"), vec![]),
        (r#""{\"cmd\":\"ls -la\"}""#.into(), Some("ls -la"), vec![]),
        (r#"" { \"command\" : \"echo \\u00e9 \\\"q\\\"\" } ""#.into(), Some("echo é \"q\""), vec![]),
        (r#""{\"command\":\"echo \\ud83d\\ude00\"}""#.into(), Some("echo 😀"), vec![]),
        (r#""{\"command\":\"a\",\"command\":\"b\"}""#.into(), Some("b"), vec![]),
        (r#""{\"file_path\":\"src/a.rs\"}""#.into(), None, vec![]),
        (r#""{\"command\":5}""#.into(), Some("5"), vec![]),
        (r#""{\"command\":true}""#.into(), None, vec!["data.tool_params.command"]),
        (r#""{\"command\":[\"bash\",1]}""#.into(), None, vec!["data.tool_params.command"]),
        (r#""""#.into(), None, vec![]),
        (r#""   ""#.into(), None, vec![]),
        (r#""not json""#.into(), None, vec!["data.tool_params"]),
        (r#""[\"bash\",\"-lc\",\"ls\"]""#.into(), None, vec!["data.tool_params"]),
        (r#""{\"command\":\"ls\"} x""#.into(), None, vec!["data.tool_params"]),
        (r#""{\"command\":""#.into(), None, vec!["data.tool_params"]),
        (r#""{\"command\":\"\\ud800\"}""#.into(), None, vec!["data.tool_params"]),
        (deep("x"), None, vec![]),
        (deep("command"), None, vec!["data.tool_params"]),
    ];
    for (params, command, warnings) in cases {
        let l = line(&params);
        assert!(check(&l), "the fast path reads {l:?}");
        let top = parse_line(&l).unwrap();
        let d = top.data.unwrap();
        assert_eq!(d.command.as_deref(), command, "{params}");
        assert_eq!(d.warnings, warnings, "{params}");
    }
}

#[test]
fn mutations_of_string_tool_params() {
    // the arguments' JSON text mutated, then written as a JSON string: both readers agree, nothing panics
    let args = [
        r#"{"command":["bash","-lc","cargo test -- --nocapture"],"workdir":"/work/repo","timeout_ms":120000}"#,
        r#"{"path":"src/a b.rs","content":"fn main() {}\n"}"#,
        r#"{"cmd":"echo \"hi\" \u00e9"}"#,
    ];
    let pieces = [
        "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "\\u", "\\ud800", "\\u0041", "0", "-", "1e400", "null", "[]",
        "{}", "é", "😀", "\\\"",
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    for _ in 0..5000 {
        let mut text = args[next(args.len())].to_string();
        for _ in 0..1 + next(2) {
            let mut at = next(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match next(3) {
                0 => text.truncate(at),
                _ => text.insert_str(at, pieces[next(pieces.len())]),
            }
        }
        let quoted = serde_json::to_string(&text).unwrap();
        let line = format!(
            r#"{{"timestamp":"2026-02-09T10:00:00Z","attempt_id":"A1","event_type":"tool_call","data":{{"tool_name":"shell","tool_params":{quoted}}}}}"#
        );
        assert!(check(&line), "{line:?}");
    }
}
