// difftest.mjs: the differential test. Generates random policy sets, entity stores and
// requests (gen.mjs), decides every request with the reference Cedar implementation
// (@cedar-policy/cedar-wasm: preparsePolicySet + statefulIsAuthorized) and with the engine
// (onward-policy eval), and fails on any difference in decision, reasons or the set of
// policies that erred. Error message texts may differ.
//
//   node difftest.mjs --cli build/bin/onward-policy [--cases N] [--requests N] [--seed S]
//
// The seed defaults to a fixed value, is printed, and can be set with ONWARD_DIFF_SEED; the
// number of policy sets with ONWARD_DIFF_CASES. A failure prints the case's files so that
// it can be replayed with onward-policy eval by hand.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Gen } from './gen.mjs';

const require = createRequire(import.meta.url);
const cedar = require('@cedar-policy/cedar-wasm/nodejs');

function arg(name, dflt) {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : dflt;
}

const cli = arg('--cli');
if (!cli) {
	console.error('difftest: --cli PATH-TO-onward-policy is required');
	process.exit(2);
}
const seed = Number(process.env.ONWARD_DIFF_SEED ?? arg('--seed', '20261123'));
const cases = Number(process.env.ONWARD_DIFF_CASES ?? arg('--cases', '1500'));
const perCase = Number(arg('--requests', '12'));
const keep = arg('--keep');
console.log(`difftest: cedar-wasm ${cedar.getCedarVersion()}, seed ${seed}, ${cases} policy sets x ${perCase} requests (set ONWARD_DIFF_SEED to change)`);

const work = mkdtempSync(join(tmpdir(), 'onward-diff-'));
const stats = { decisions: 0, allow: 0, deny: 0, errors: 0, parseRejected: 0, storeRejected: 0, links: 0, policies: 0 };
let failures = 0;

function reference(caseId, ps, ents, reqs) {
	const pre = cedar.preparsePolicySet('case' + caseId, {
		staticPolicies: ps.statics,
		templates: ps.templates,
		templateLinks: ps.links,
	});
	if (pre.type !== 'success') return { parseError: pre.errors.map((e) => e.message).join('; ') };
	return {
		results: reqs.map((q) => {
			const a = cedar.statefulIsAuthorized({
				principal: q.principal, action: q.action, resource: q.resource,
				context: q.context, preparsedPolicySetId: 'case' + caseId, entities: ents,
			});
			if (a.type !== 'success') return { failure: a.errors.map((e) => e.message).join('; ') };
			return {
				decision: a.response.decision,
				reasons: [...a.response.diagnostics.reason].sort(),
				errors: [...new Set(a.response.diagnostics.errors.map((e) => e.policyId))].sort(),
			};
		}),
	};
}

function engine(dir, ps, ents, reqs) {
	writeFileSync(join(dir, 'policies.cedar'), ps.text);
	writeFileSync(join(dir, 'links.json'), JSON.stringify(ps.links));
	writeFileSync(join(dir, 'entities.json'), JSON.stringify(ents));
	writeFileSync(join(dir, 'requests.jsonl'), reqs.map((q) => JSON.stringify(q)).join('\n') + '\n');
	const p = spawnSync(cli, ['eval', '--policies', join(dir, 'policies.cedar'), '--links', join(dir, 'links.json'),
		'--entities', join(dir, 'entities.json'), '--requests', join(dir, 'requests.jsonl')], { encoding: 'utf8' });
	if (p.error) throw p.error;
	if (p.status !== 0) return { status: p.status, stderr: p.stderr };
	const lines = p.stdout.trim().split('\n').filter((l) => l);
	return {
		status: 0,
		results: lines.map((l) => {
			const o = JSON.parse(l);
			return {
				decision: o.decision,
				reasons: [...o.reasons].sort(),
				errors: [...new Set(o.errors.map((e) => e.policy))].sort(),
			};
		}),
	};
}

function fail(caseId, dir, what) {
	failures++;
	const keepDir = join(keep || tmpdir(), `onward-diff-fail-${seed}-${caseId}`);
	mkdirSync(keepDir, { recursive: true });
	for (const f of ['policies.cedar', 'links.json', 'entities.json', 'requests.jsonl'])
		spawnSync('cp', [join(dir, f), keepDir]);
	console.log(`MISMATCH case ${caseId}: ${what}\n  files kept in ${keepDir}`);
}

const t0 = Date.now();
for (let c = 0; c < cases && failures < 10; c++) {
	const g = new Gen(seed * 7919 + c);
	const ps = g.policySet();
	const ents = g.entities();
	const reqs = g.requests(perCase);
	stats.policies += Object.keys(ps.statics).length + Object.keys(ps.templates).length;
	stats.links += ps.links.length;
	const dir = join(work, 'c');
	mkdirSync(dir, { recursive: true });
	const ref = reference(c, ps, ents, reqs);
	const got = engine(dir, ps, ents, reqs);
	if (ref.parseError) {
		stats.parseRejected++;
		if (got.status === 0) fail(c, dir, `cedar rejects the policies (${ref.parseError}) but the engine accepts them`);
		continue;
	}
	const storeFailure = ref.results.every((x) => x.failure);
	if (storeFailure) {
		stats.storeRejected++;
		if (got.status === 0) fail(c, dir, `cedar rejects every request (${ref.results[0].failure}) but the engine decides them`);
		continue;
	}
	if (got.status !== 0) {
		fail(c, dir, `the engine failed (exit ${got.status}): ${got.stderr.trim()}`);
		continue;
	}
	for (let i = 0; i < reqs.length; i++) {
		const a = ref.results[i], b = got.results[i];
		stats.decisions++;
		if (a.failure) {
			fail(c, dir, `request ${i + 1}: cedar failed (${a.failure}) but the engine decided`);
			break;
		}
		const same = b && a.decision === b.decision && JSON.stringify(a.reasons) === JSON.stringify(b.reasons) &&
			JSON.stringify(a.errors) === JSON.stringify(b.errors);
		if (!same) {
			fail(c, dir, `request ${i + 1}: cedar ${JSON.stringify(a)} engine ${JSON.stringify(b)}`);
			break;
		}
		stats[a.decision]++;
		stats.errors += a.errors.length;
	}
}
rmSync(work, { recursive: true, force: true });
const secs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`difftest: ${stats.decisions} decisions (${stats.allow} allow, ${stats.deny} deny, ${stats.errors} policy errors) over ${cases} policy sets with ${stats.policies} policies and ${stats.links} links; ${stats.parseRejected} sets rejected by both parsers, ${stats.storeRejected} stores rejected by both; ${secs}s`);
console.log(`${failures ? 0 : stats.decisions} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
