// 12-cache: the page cache serves again only while the data is unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { startServer, json } from './lib.mjs';
import { plainRequest } from './lib-admin.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

async function cacheCounts() {
  const text = await (await fetch(`${srv.url}/metrics`)).text();
  const hit = Number(text.match(/xiangzhi_page_cache_total\{result="hit"\} (\d+)/)[1]);
  const miss = Number(text.match(/xiangzhi_page_cache_total\{result="miss"\} (\d+)/)[1]);
  return { hit, miss };
}

test('an unchanged list is served from the cache, and identical', async () => {
  const c = await srv.as('leader');
  const first = await c.get('/people?limit=20');
  const body1 = await first.text();
  const before = await cacheCounts();
  const second = await c.get('/people?limit=20');
  const body2 = await second.text();
  const afterCounts = await cacheCounts();
  assert.equal(second.status, 200);
  assert.equal(body2, body1);
  assert.equal(afterCounts.hit, before.hit + 1);
  assert.equal(second.headers.get('cache-control'), 'no-store', 'never cached by the browser');
  assert.match(second.headers.get('content-security-policy'), /default-src 'self'/);
});

test('a change anywhere makes the next view fresh', async () => {
  const c = await srv.as('leader');
  const empty = await json(await c.get('/api/v1/people?q=缓存新人'));
  assert.equal(empty.items.length, 0);
  const again = await json(await c.get('/api/v1/people?q=缓存新人'));
  assert.equal(again.items.length, 0);
  const made = await c.post('/api/v1/people', { name: '缓存新人' });
  assert.equal(made.status, 201);
  const fresh = await json(await c.get('/api/v1/people?q=缓存新人'));
  assert.equal(fresh.items.length, 1, 'the new person shows at once');
  const page = await (await c.get(`/people/${fresh.items[0].id}`)).text();
  assert.match(page, /缓存新人/);
  const renamed = await c.patch(`/api/v1/people/${fresh.items[0].id}`, { name: '缓存改名' });
  assert.equal(renamed.status, 200);
  assert.match(await (await c.get(`/people/${fresh.items[0].id}`)).text(), /缓存改名/);
});

test('sessions never see each other\'s cached pages', async () => {
  const leader = await srv.as('leader');
  const village = await srv.as('village');
  const a = await (await leader.get('/villages')).text();
  const b = await (await village.get('/villages')).text();
  assert.match(a, /西渠村/);
  assert.doesNotMatch(b, /西渠村/, 'the village cadre sees only their village');
  const b2 = await (await village.get('/villages')).text();
  assert.equal(b2, b);
  assert.match(b, new RegExp(village.csrf), 'the page carries the viewer\'s own CSRF token');
  assert.doesNotMatch(b, new RegExp(leader.csrf));
});

test('gzip and plain answers are cached apart', async () => {
  const c = await srv.as('member');
  const cookie = c.cookieHeader();
  const get = (gzip) => plainRequest(srv.port, '/people?limit=50',
    { headers: { cookie, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) } });
  const plain = await get(false);
  const gz = await get(true);
  const gz2 = await get(true);
  const plain2 = await get(false);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain2.headers['content-encoding'], undefined);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz2.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gz2.body).toString(), plain.body.toString());
  assert.equal(plain2.body.toString(), plain.body.toString());
});
