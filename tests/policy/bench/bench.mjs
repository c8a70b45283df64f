// bench.mjs: the policy benchmark. Builds a realistic prison data set (make-data.mjs), then
// decides the same requests with the engine (onward-policy bench, in process) and with the
// reference cedar-wasm (preparsePolicySet + statefulIsAuthorized), checks that both reach the
// same decisions, and prints throughput, medians and the ratio. With --bench-policy it then
// runs bench-policy for the 10 versus 10,000 unrelated policies measurement.
//
//   node tests/policy/bench/bench.mjs --cli build/bin/onward-policy [--bench-policy
//        build/bin/bench-policy] [--people N] [--requests N] [--wasm-passes N]
//
// cedar-wasm parses its entities on every call, so it is given, per request, only the entities
// the decision needs (the principal, action and resource with their ancestors), which is what a
// real caller would pass; the engine gets the whole store once.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../differential/package.json'));
const cedar = require('@cedar-policy/cedar-wasm/nodejs');
const arg = (n, d) => { const i = process.argv.indexOf(n); return i > 0 ? process.argv[i + 1] : d; };
const cli = arg('--cli');
if (!cli) {
	console.error('bench: --cli PATH-TO-onward-policy is required (and node_modules: run tests/policy/differential/setup.sh)');
	process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'onward-bench-'));
const people = arg('--people', '2000'), nreq = arg('--requests', '2000');
const mk = spawnSync(process.execPath, [join(here, 'make-data.mjs'), work, '--people', people, '--requests', nreq], { encoding: 'utf8' });
if (mk.status !== 0) { console.error(mk.stderr); process.exit(1); }
process.stdout.write(mk.stdout);

const files = [join(here, 'national.cedar'), join(here, 'establishment.cedar')];
const entities = JSON.parse(readFileSync(join(work, 'entities.json'), 'utf8'));
const links = JSON.parse(readFileSync(join(work, 'links.json'), 'utf8'));
const requests = readFileSync(join(work, 'requests.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

// The same ids as the engine: policy0.. in order across both files, templates included.
const statics = {}, templates = {};
let n = 0;
for (const f of files) {
	const parts = cedar.policySetTextToParts(readFileSync(f, 'utf8'));
	if (parts.type !== 'success') { console.error('bench: cedar cannot parse', f); process.exit(1); }
	// policySetTextToParts separates statics and templates; restore source order by position.
	const text = readFileSync(f, 'utf8');
	const all = [...parts.policies.map((p) => ({ p, t: false })), ...parts.policy_templates.map((p) => ({ p, t: true }))];
	const pos = (s) => text.indexOf(s.split('\n').find((l) => l.trim() && !l.trim().startsWith('@')).trim());
	all.sort((a, b) => pos(a.p) - pos(b.p));
	for (const { p, t } of all) (t ? templates : statics)['policy' + n++] = p;
}
const pre = cedar.preparsePolicySet('bench', { staticPolicies: statics, templates, templateLinks: links });
if (pre.type !== 'success') { console.error('bench: preparse failed', JSON.stringify(pre.errors)); process.exit(1); }

const byUid = new Map(entities.map((e) => [e.uid.type + '::' + e.uid.id, e]));
function slice(q) {
	const seen = new Map();
	const stack = [q.principal, q.action, q.resource];
	while (stack.length) {
		const u = stack.pop();
		const k = u.type + '::' + u.id;
		if (seen.has(k)) continue;
		const e = byUid.get(k);
		seen.set(k, e);
		if (e) for (const p of e.parents) stack.push(p);
	}
	return [...seen.values()].filter(Boolean);
}
const calls = requests.map((q) => ({ principal: q.principal, action: q.action, resource: q.resource, context: q.context, preparsedPolicySetId: 'bench', entities: slice(q) }));

// Reference decisions, and the engine's, must agree before any timing means anything.
const ref = calls.map((c) => {
	const a = cedar.statefulIsAuthorized(c);
	if (a.type !== 'success') throw new Error(JSON.stringify(a.errors));
	return a.response.decision + ' ' + [...a.response.diagnostics.reason].sort().join(',');
});
const ev = spawnSync(cli, ['eval', ...files.flatMap((f) => ['--policies', f]), '--links', join(work, 'links.json'),
	'--entities', join(work, 'entities.json'), '--requests', join(work, 'requests.jsonl')], { encoding: 'utf8', maxBuffer: 1 << 28 });
const mine = ev.stdout.trim().split('\n').map((l) => { const o = JSON.parse(l); return o.decision + ' ' + [...o.reasons].sort().join(','); });
let diff = 0;
for (let i = 0; i < ref.length; i++) if (ref[i] !== mine[i]) diff++;
console.log(`agreement: ${ref.length - diff}/${ref.length} decisions and reasons identical`);

// cedar-wasm timing: warm up, then time each call.
const passes = Number(arg('--wasm-passes', '3'));
for (const c of calls.slice(0, 200)) cedar.statefulIsAuthorized(c);
const lat = [];
const t0 = process.hrtime.bigint();
for (let p = 0; p < passes; p++)
	for (const c of calls) {
		const a = process.hrtime.bigint();
		cedar.statefulIsAuthorized(c);
		lat.push(Number(process.hrtime.bigint() - a));
	}
const wasmSecs = Number(process.hrtime.bigint() - t0) / 1e9;
lat.sort((a, b) => a - b);
const wasm = { per_second: lat.length / wasmSecs, p50_us: lat[lat.length >> 1] / 1000, p99_us: lat[Math.floor(lat.length * 0.99)] / 1000 };

const b = spawnSync(cli, ['bench', '--json', ...files.flatMap((f) => ['--policies', f]), '--links', join(work, 'links.json'),
	'--entities', join(work, 'entities.json'), '--requests', join(work, 'requests.jsonl')], { encoding: 'utf8' });
if (b.status !== 0) { console.error(b.stderr); process.exit(1); }
const eng = JSON.parse(b.stdout);
const f = (x) => x.toFixed(3).padStart(9);
console.log(`policies: ${eng.policies} (${Object.keys(statics).length} static, ${Object.keys(templates).length} templates, ${links.length} links); requests: ${calls.length}`);
console.log(`engine     ${Math.round(eng.per_second).toString().padStart(10)} decisions/s  p50 ${f(eng.p50_us)} us  p99 ${f(eng.p99_us)} us`);
console.log(`cedar-wasm ${Math.round(wasm.per_second).toString().padStart(10)} decisions/s  p50 ${f(wasm.p50_us)} us  p99 ${f(wasm.p99_us)} us`);
console.log(`ratio: ${(eng.per_second / wasm.per_second).toFixed(1)}x throughput, ${(wasm.p50_us / eng.p50_us).toFixed(1)}x median`);

const bp = arg('--bench-policy');
if (bp) {
	const s = spawnSync(bp, [...files.flatMap((f2) => ['--policies', f2]), '--links', join(work, 'links.json'),
		'--entities', join(work, 'entities.json'), '--requests', join(work, 'requests.jsonl')], { encoding: 'utf8' });
	process.stdout.write(s.stdout + s.stderr);
}
rmSync(work, { recursive: true, force: true });
process.exit(diff ? 1 : 0);
