// 50-crash: no acknowledged write is lost when the server is killed, and a clean stop is clean.
//
// Crash cycles: writers register petitions through the API and record every 201; the server
// is killed with SIGKILL at a random moment; then, before it starts again on the same file,
// every acknowledged matter must be there with its timeline entry and audit row, nothing
// half-written may be (a matter without its event, audit or index row, or the other way
// round), integrity_check must say ok and the audit hash chain must verify.  5 cycles in
// `make test`, XIANGZHI_CRASH_CYCLES (default 200) when XIANGZHI_PROOF=1; the figures go to
// build/proof/crash.json.
//
// Then SIGTERM under load: requests in flight complete (or get 503), the process exits 0, the
// WAL is checkpointed, and a restart answers within 2 s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, freshDb, petition, wholeness, missingAcks, writeProof } from './lib-storage.mjs';

const PROOF = process.env.XIANGZHI_PROOF === '1';
const CYCLES = PROOF ? Number(process.env.XIANGZHI_CRASH_CYCLES ?? 200) : 5;
const WRITERS = 3;

let dir, db, logins;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'xz-crash-'));
  db = join(dir, 'x.db');
  logins = freshDb(db);
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function signIn(srv, role = 'leader') {
  const c = srv.client();
  const res = await c.login(logins[role].login, logins[role].password);
  assert.equal(res.status, 200, `sign-in as ${role}`);
  return c;
}

// One writer: register petitions until told to stop or the server goes away.
//   acks: the 201s (id, title); doubt: requests whose answer never came (may or may not
//   have been committed: they must then be whole, like everything else).
async function writer(c, tag, state, acks, doubt) {
  for (let i = 0; !state.stop; i++) {
    const title = `崩溃测试 ${tag}-${i}`;
    let res;
    try {
      res = await c.post('/api/v1/matters', petition(title));
    } catch {
      doubt.push(title);
      return;
    }
    let body = null;
    try { body = await res.json(); } catch { doubt.push(title); return; }
    if (res.status === 201) acks.push({ id: body.id, title });
    else if (res.status !== 503) throw new Error(`${title}: ${res.status} ${JSON.stringify(body)}`);
  }
}

test(`[S50] every acknowledged write survives SIGKILL (${CYCLES} cycles)`, { timeout: 60000 + CYCLES * 5000 }, async () => {
  const acks = [], doubt = [], failures = [];
  let srv = await serve(db);
  const leader = await signIn(srv);
  const t0 = performance.now();
  let cycles = 0;
  for (let n = 0; n < CYCLES; n++) {
    // The session is in the database: the same cookie works after each restart.
    leader.base = srv.url;
    const state = { stop: false };
    const mine = [];
    const running = Array.from({ length: WRITERS }, (_, w) =>
      writer(leader, `${n}-${w}`, state, mine, doubt));
    // Let some writes land, then kill at a random moment (often mid-commit).
    await new Promise((r) => setTimeout(r, 40 + Math.random() * 400));
    const { signal } = await srv.kill();
    state.stop = true;
    await Promise.all(running);
    assert.equal(signal, 'SIGKILL');
    acks.push(...mine);
    cycles++;

    // Check the file as the killed server left it (sqlite3 replays the WAL as SQLite would).
    const problems = [...wholeness(db), ...missingAcks(db, acks)];
    if (problems.length) failures.push({ cycle: n, problems });
    assert.deepEqual(problems, [], `cycle ${n}`);
    srv = await serve(db);
  }
  // The last restart serves every acknowledged matter through the API.
  leader.base = srv.url;
  for (const a of acks.slice(-5)) {
    const res = await leader.get(`/api/v1/matters/${a.id}`);
    assert.equal(res.status, 200, `matter ${a.id} after restart`);
    assert.equal((await res.json()).title, a.title);
  }
  const stop = await srv.stop();
  assert.equal(stop.code, 0, srv.log().slice(-2000));
  assert.ok(acks.length >= CYCLES, `too few writes acknowledged: ${acks.length}`);
  writeProof('crash.json', {
    test: 'tests/http/50-crash.test.mjs', row: 'S50', cycles, writers: WRITERS,
    acknowledged: acks.length, in_doubt: doubt.length, failures: failures.length,
    failure_detail: failures, seconds: Math.round((performance.now() - t0) / 100) / 10,
    at: new Date().toISOString(),
  });
});

test('[S54] SIGTERM under load: in-flight requests answered, WAL checkpointed, restart < 2 s', { timeout: 60000 }, async (t) => {
  let srv = await serve(db);
  const c = await signIn(srv);
  const readers = [await signIn(srv, 'member'), await signIn(srv, 'staff')];
  const state = { stop: false };
  const acks = [], answers = [], refused = [];
  // Writers and readers on keep-alive connections; each request records how it ended.
  const one = async (fn, what) => {
    let res;
    try {
      res = await fn();
    } catch (e) {
      refused.push({ what, sentAfterTerm: state.termAt !== undefined, code: e.cause?.code ?? e.message });
      return false;
    }
    const text = await res.text();
    answers.push({ what, status: res.status, afterTerm: state.termAt !== undefined,
      code: res.status === 503 ? JSON.parse(text).error?.code : undefined });
    if (res.status === 201) acks.push({ id: JSON.parse(text).id, title: what });
    return true;
  };
  const loops = [
    ...Array.from({ length: 3 }, (_, w) => (async () => {
      for (let i = 0; !state.stop; i++)
        if (!await one(() => c.post('/api/v1/matters', petition(`停机测试 ${w}-${i}`)), `停机测试 ${w}-${i}`)) return;
    })()),
    ...readers.map((r) => (async () => {
      while (!state.stop)
        if (!await one(() => r.get('/api/v1/matters?limit=20'), 'read')) return;
    })()),
  ];
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(acks.length > 0, 'some writes acknowledged before the stop');
  state.termAt = performance.now();
  const { code, at } = await srv.stop();
  state.stop = true;
  await Promise.all(loops);
  assert.equal(code, 0, `exit status after SIGTERM\n${srv.log().slice(-2000)}`);
  assert.ok(at - state.termAt < 5000, `stopped in ${Math.round(at - state.termAt)} ms`);
  assert.match(srv.log(), /stopping: finishing requests in flight/);
  t.diagnostic(`answers ${answers.length} (${answers.filter((a) => a.afterTerm).length} after SIGTERM,` +
    ` ${answers.filter((a) => a.status === 503).length} 503), cut off after SIGTERM ${refused.length},` +
    ` stopped in ${Math.round(at - state.termAt)} ms; cut off by ${[...new Set(refused.map((r) => r.code))].join(', ')}`);
  // Every answer is a success or an honest 503, never a 500 or a half response.
  for (const a of answers) {
    assert.ok([200, 201, 503].includes(a.status), `${a.what}: ${a.status}`);
    // A request that came in while stopping is refused whole, and says why.
    if (a.status === 503) assert.equal(a.code, 'stopping', `${a.what}: 503 ${a.code}`);
  }
  // Requests cut off without an answer: only ones sent after SIGTERM (connection refused or
  // closed by the stopping server), never one the server had started on.
  for (const r of refused)
    assert.ok(r.sentAfterTerm, `${r.what} failed before the stop: ${r.code}`);
  // The WAL was checkpointed into the main file on the way out.
  const wal = `${db}-wal`;
  assert.ok(!existsSync(wal) || statSync(wal).size === 0, `WAL left with ${existsSync(wal) ? statSync(wal).size : 0} bytes`);
  assert.deepEqual([...wholeness(db), ...missingAcks(db, acks)], []);

  // Restart: listening and answering within 2 s.
  const t0 = performance.now();
  srv = await serve(db);
  const res = await srv.client().get('/healthz');
  const ms = performance.now() - t0;
  assert.ok(res.status === 200 || res.status === 404, `first answer ${res.status}`);
  assert.ok(ms < 2000, `restart took ${Math.round(ms)} ms`);
  t.diagnostic(`restart answered in ${Math.round(ms)} ms`);
  const again = await signIn(srv);
  const got = await again.get(`/api/v1/matters/${acks.at(-1).id}`);
  assert.equal(got.status, 200);
  assert.equal((await srv.stop()).code, 0);
});
