// Writes a large bosun event stream for load tests: node gen-large.mjs OUT.jsonl SIZE_MB
import fs from 'node:fs';
const [out, mb] = [process.argv[2], Number(process.argv[3] || 200)];
const target = mb * 1e6;
const fd = fs.openSync(out, 'w');
const types = ['tool_call', 'tool_result', 'agent_output', 'usage', 'error'];
const tools = ['shell', 'read_file', 'edit_file', 'grep', 'write_file'];
const execs = [['CODEX', 'gpt-5-codex'], ['CLAUDE', 'claude-sonnet-4'], ['COPILOT', 'gpt-4.1']];
const pad = 'x'.repeat(180);
let written = 0, t = Date.parse('2026-02-01T00:00:00Z'), n = 0;
while (written < target) {
  const lines = [];
  for (let k = 0; k < 2000; k++, n++) {
    const a = Math.floor(n / 60);
    const [executor, model] = execs[a % 3];
    const type = n % 60 === 0 ? 'session_start' : n % 60 === 59 ? 'session_end' : types[n % 5];
    const data = type === 'error' ? { error_message: `boom ${n % 17}`, error_category: ['build', 'test_failure', 'timeout'][n % 3] }
      : type === 'session_end' ? { completion_status: n % 7 ? 'success' : 'failed' }
      : type === 'usage' ? { prompt_tokens: 1000 + (n % 500), completion_tokens: 200, cost_usd: 0.01 }
      : { tool_name: tools[n % 5], output: pad };
    t += 1500;
    lines.push(JSON.stringify({ timestamp: new Date(t).toISOString(), attempt_id: `att-${a}`, task_id: `task-${a % 997}`, task_title: `Task number ${a % 997}`, executor, model, event_type: type, sequence_num: n % 60, data }));
  }
  const buf = Buffer.from(lines.join('\n') + '\n');
  fs.writeSync(fd, buf);
  written += buf.length;
}
fs.closeSync(fd);
console.log(`wrote ${out}: ${(written / 1e6).toFixed(0)} MB, ${n} lines`);
