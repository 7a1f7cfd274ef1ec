// reporter.mjs: a node:test reporter that writes one JSON line per finished
// test (file, name, result, duration) for tests/proof/report.mjs.
// Suites (describe) are left out: their tests are listed themselves.
export default async function* proofReporter(source) {
  for await (const ev of source) {
    if (ev.type !== 'test:pass' && ev.type !== 'test:fail') continue;
    const d = ev.data;
    if (d.details?.type === 'suite') continue;
    let result = ev.type === 'test:pass' ? 'pass' : 'fail';
    if (d.skip !== undefined && d.skip !== false) result = 'skip';
    else if (d.todo !== undefined && d.todo !== false) result = 'todo';
    yield JSON.stringify({
      file: d.file ?? '', name: d.name, result,
      ms: Math.round(d.details?.duration_ms ?? 0),
    }) + '\n';
  }
}
