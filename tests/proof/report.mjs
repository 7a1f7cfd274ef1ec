// report.mjs: docs/proof.md from the results tests/proof/run collected in
// build/proof: each SECURITY.md row with the tests that prove it and their
// results, then the figures the long tests wrote (crash cycles, soak, fuzzing).
// A test proves a row when its name carries "[S<n>]" (Criterion: a comment
// "/* [S<n>] */" just above Test(...)) or when tests/proof/map.tsv names it.
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join, relative, basename } from 'node:path';
import { execFileSync } from 'node:child_process';
import os from 'node:os';

const root = new URL('../..', import.meta.url).pathname;
const out = join(root, 'build/proof');

function tsv(path) {
  return readFileSync(path, 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
}

const rows = tsv(join(root, 'tests/proof/rows.tsv'))
  .map(([n, section, text]) => ({ n: Number(n), section, text, tests: [] }));
const byRow = new Map(rows.map((r) => [r.n, r]));
const notes = new Map(existsSync(join(root, 'tests/proof/notes.tsv'))
  ? tsv(join(root, 'tests/proof/notes.tsv')).map(([n, t]) => [Number(n), t]) : []);

// Every test that ran: { where, name, result }.
const ran = [];
for (const suite of ['http', 'e2e']) {
  const f = join(out, `${suite}.jsonl`);
  if (!existsSync(f)) continue;
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (!line) continue;
    const t = JSON.parse(line);
    ran.push({ where: relative(root, t.file), name: t.name, result: t.result });
  }
}
// Criterion tags live in the sources: "/* [S44] */" on the line above Test().
const unitTags = new Map();
for (const f of readdirSync(join(root, 'tests/unit')).filter((f) => f.endsWith('.c'))) {
  const lines = readFileSync(join(root, 'tests/unit', f), 'utf8').split('\n');
  lines.forEach((l, i) => {
    const m = /^Test\((\w+),\s*(\w+)/.exec(l);
    const tags = m && i > 0 && lines[i - 1].match(/\[S\d+\]/g);
    if (tags) unitTags.set(`${m[1]}/${m[2]}`, tags.join(' '));
  });
}
if (existsSync(join(out, 'unit'))) {
  for (const f of readdirSync(join(out, 'unit'))) {
    const j = JSON.parse(readFileSync(join(out, 'unit', f), 'utf8'));
    for (const s of j.test_suites) for (const t of s.tests) {
      const tag = unitTags.get(`${s.name}/${t.name}`);
      ran.push({
        where: `unit:${s.name}`, name: tag ? `${tag} ${t.name}` : t.name,
        result: t.status === 'PASSED' ? 'pass' : t.status === 'SKIPPED' ? 'skip' : 'fail',
      });
    }
  }
}

const map = tsv(join(root, 'tests/proof/map.tsv'));
for (const t of ran) {
  const hit = new Set();
  for (const m of t.name.matchAll(/\[S(\d+)\]/g)) hit.add(Number(m[1]));
  for (const [n, where, piece] of map) {
    if (t.where === where && (piece === '*' || t.name.includes(piece))) hit.add(Number(n));
  }
  for (const n of hit) byRow.get(n)?.tests.push(t);
}

// Fuzzing campaigns prove row 48 with their own figures.
const fuzzFile = join(out, 'fuzz.tsv');
const fuzz = existsSync(fuzzFile) ? tsv(fuzzFile).filter((r) => r[0] !== 'target') : [];
for (const [target, execs, secs, crashes] of fuzz) {
  byRow.get(48).tests.push({
    where: 'make fuzz', name: `${target}: ${execs} executions in ${secs} s`,
    result: Number(crashes) === 0 ? 'pass' : 'fail',
  });
}

function verdict(r) {
  if (r.tests.length === 0) return 'not covered';
  if (r.tests.some((t) => t.result === 'fail')) return '**FAIL**';
  if (r.tests.every((t) => t.result !== 'pass')) return 'skipped';
  return 'pass';
}
const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/</g, '&lt;');

const count = (k) => ran.filter((t) => t.result === k).length;
let commit = '';
try { commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim(); } catch {}
const phases = existsSync(join(out, 'phases.tsv')) ? tsv(join(out, 'phases.tsv')) : [];
const minutes = phases.length > 1
  ? ((Number(phases.at(-1)[1]) - Number(phases[0][1])) / 60).toFixed(1) : '?';

const L = [];
L.push('# Proof of reliability', '');
const long = process.env.XIANGZHI_PROOF !== '0';
L.push(`Written by \`make proof\` (tests/proof/run) on ${new Date().toISOString().slice(0, 16)}Z,`
  + ` commit ${commit}, ${os.cpus().length} cores, Linux ${os.release()}; the run took ${minutes} min.`);
L.push(long ? 'Long form: XIANGZHI_PROOF=1 (crash loop, 10-minute soak, every naughty string in every field).'
  : '**Short form** (XIANGZHI_PROOF=0: the suites as `make test` runs them, a 1-minute soak, 5 crash'
  + ' cycles, a share of the naughty strings); `make proof` without it runs the long form.');
L.push('Each row of SECURITY.md with the tests that prove it and their results. A row no test proves is'
  + ' listed as "not covered", never hidden. `make test` runs the short form of the same tests.', '');
const verdicts = rows.map(verdict);
L.push(`Tests run: ${ran.length} (${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped).`
  + ` Rows: ${verdicts.filter((v) => v === 'pass').length} pass,`
  + ` ${verdicts.filter((v) => v === '**FAIL**').length} fail,`
  + ` ${verdicts.filter((v) => v === 'skipped').length} skipped,`
  + ` ${verdicts.filter((v) => v === 'not covered').length} not covered, of ${rows.length}.`, '');
L.push('| # | Requirement | Tests | Result | Note |', '|---|---|---|---|---|');
for (const r of rows) {
  const pass = r.tests.filter((t) => t.result === 'pass').length;
  L.push(`| ${r.n} | ${esc(r.text)} | ${r.tests.length ? `${pass}/${r.tests.length}` : '—'} | ${verdict(r)} | ${esc(notes.get(r.n) ?? '')} |`);
}

L.push('', '## Figures', '');
if (fuzz.length) {
  L.push('### Fuzzing', '', '| Target | Executions | Seconds | Crashes |', '|---|---|---|---|');
  for (const [t, e, s, c] of fuzz) L.push(`| ${t} | ${e} | ${s} | ${c} |`);
  L.push('');
}
const flat = (o, p = '') => Object.entries(o).flatMap(([k, v]) =>
  v && typeof v === 'object' && !Array.isArray(v) ? flat(v, `${p}${k}.`) : [[`${p}${k}`, Array.isArray(v) ? v.join(', ') : v]]);
for (const f of existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.json')).sort() : []) {
  L.push(`### ${basename(f, '.json')}`, '', '| Figure | Value |', '|---|---|');
  for (const [k, v] of flat(JSON.parse(readFileSync(join(out, f), 'utf8')))) L.push(`| ${esc(k)} | ${esc(v)} |`);
  L.push('');
}
if (phases.length > 1) {
  L.push('### Time per phase', '', '| Phase | Minutes |', '|---|---|');
  for (let i = 0; i + 1 < phases.length; i++) {
    L.push(`| ${phases[i][0]} | ${((Number(phases[i + 1][1]) - Number(phases[i][1])) / 60).toFixed(1)} |`);
  }
  L.push('');
}

L.push('## The tests behind each row', '');
for (const r of rows) {
  L.push(`### ${r.n}. ${r.text} — ${verdict(r)}`, '');
  if (notes.has(r.n)) L.push(notes.get(r.n), '');
  if (!r.tests.length) { L.push('No test yet.', ''); continue; }
  for (const t of r.tests) L.push(`- ${t.result === 'pass' ? '✓' : t.result === 'fail' ? '✗ FAIL' : '– ' + t.result} \`${t.where}\`: ${esc(t.name)}`);
  L.push('');
}
writeFileSync(join(root, 'docs/proof.md'), L.join('\n'));
console.log(`proof: docs/proof.md: ${verdicts.filter((v) => v === 'pass').length} of ${rows.length} rows pass, `
  + `${verdicts.filter((v) => v === 'not covered').length} not covered, ${count('fail')} failed tests`);
process.exitCode = verdicts.includes('**FAIL**') ? 1 : 0;
