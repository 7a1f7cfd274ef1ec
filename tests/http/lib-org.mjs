// lib-org.mjs: small helpers shared by the organisation, people, XSS and crawl suites.
import assert from 'node:assert/strict';
import { json } from './lib.mjs';

// Call the API and return { status, body, res }; body is parsed JSON or null.
export async function call(client, method, path, body) {
  const res = await client.req(method, path, body === undefined ? {} : { json: body });
  const text = await res.text();
  let parsed = null;
  if (text !== '') {
    try { parsed = JSON.parse(text); } catch { throw new Error(`${method} ${path}: not JSON (${res.status}): ${text.slice(0, 300)}`); }
  }
  return { status: res.status, body: parsed, res };
}

export async function getJson(client, path) {
  const res = await client.get(path);
  assert.equal(res.status, 200, `GET ${path}`);
  return json(res);
}

// The <main> element of a page (the part the page's own template wrote).
export function mainOf(html) {
  const a = html.indexOf('<main');
  const b = html.indexOf('</main>');
  return a >= 0 && b > a ? html.slice(a, b) : html;
}

// The text of role="alert" elements.
export function alerts(html) {
  return [...html.matchAll(/<(\w+)[^>]*\brole="alert"[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => m[2]);
}

// HTML-escape like the server's text context (for looking up echoed values).
export function esc(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// Does the page contain s, in any of the usual escaped spellings?
export function pageHas(html, s) {
  const variants = [s, esc(s), esc(s).replace(/&#39;/g, '&#x27;'), esc(s).replace(/&quot;/g, '&#34;')];
  return variants.some((v) => html.includes(v));
}

// A Chinese message: at least one CJK ideograph.
export const CHINESE = /[\u4e00-\u9fff]/;

// Assert a 422 with the field named and a Chinese message.
export function assert422(r, field, what = '') {
  assert.equal(r.status, 422, `${what}: status ${r.status} ${JSON.stringify(r.body)}`);
  assert.equal(r.body?.error?.field, field, `${what}: field`);
  assert.match(r.body.error.message, CHINESE, `${what}: message in Chinese`);
}

// Resident ID numbers (GB 11643): the check character for 17 digits.
export function idCheck(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
  return '10X98765432'[sum % 11];
}

// A valid ID number for a birth date (YYYYMMDD) and a sequence (3 digits).
export function idNumber(birth = '19700101', seq = '123', area = '620102') {
  const first = area + birth + seq;
  return first + idCheck(first);
}

// A unique suffix for names within one server.
let counter = 0;
export function uniq(prefix) {
  counter++;
  return `${prefix}${counter}`;
}

// Distinct 11-digit mobile numbers that no demo person has (demo uses 100…).
let phoneSeq = 0;
export function freshPhone() {
  phoneSeq++;
  return `139${String(70000000 + process.pid % 1000 * 1000 + phoneSeq).slice(-8)}`;
}

// Signed-in clients, one per role, made on first use.
export function clients(srv) {
  const cache = new Map();
  return async (role) => {
    if (!cache.has(role)) cache.set(role, await srv.as(role));
    return cache.get(role);
  };
}

// The attributes of the first <input> named "name" (values left as written, still escaped),
// or null: checks that do not depend on the order of attributes in the templates.
export function inputAttrs(html, name) {
  for (const m of html.matchAll(/<input\b([^>]*)>/g)) {
    const attrs = {};
    for (const a of m[1].matchAll(/([^\s"'=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      attrs[a[1].toLowerCase()] = a[2] ?? a[3] ?? a[4] ?? '';
    }
    if (attrs.name === name) return attrs;
  }
  return null;
}
