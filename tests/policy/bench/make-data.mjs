// make-data.mjs: deterministic benchmark data for a prison: people by establishment with
// incentive levels and statuses, contact lists, staff by role, apps, courses, housing cases and
// appointments, plus staff grants (template links) and a mix of requests.
//   node make-data.mjs OUTDIR [--people N] [--requests N]
// Writes entities.json, links.json and requests.jsonl into OUTDIR.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../differential/gen.mjs';

const out = process.argv[2];
if (!out) {
	console.error('usage: node make-data.mjs OUTDIR [--people N] [--requests N]');
	process.exit(2);
}
const argn = (name, d) => {
	const i = process.argv.indexOf(name);
	return i > 0 ? Number(process.argv[i + 1]) : d;
};
const PEOPLE = argn('--people', 2000);
const REQUESTS = argn('--requests', 2000);
const r = rng(7);
const E = (type, id) => ({ type, id });
const ent = (type, id, attrs = {}, parents = []) => ({ uid: E(type, id), attrs, parents });
const ref = (type, id) => ({ __entity: E(type, id) });

const entities = [];
const ESTS = ['MDI', 'BXI', 'LEI', 'WWI'];
for (const e of ESTS) entities.push(ent('Establishment', e, { name: e }, []));
entities.push(ent('ProbationRegion', 'NE', {}, []));
const ACTIONS = {
	'app.open': [], 'messages.send': ['messaging'], 'messages.read': ['messaging'], messaging: [],
	'course.open': ['learning'], 'course.submit': ['learning'], learning: [],
	'housing.enquire': [], 'housing.view': [], 'appointment.view': [], 'appointment.confirm': [],
	'appointment.rearrange': [], 'staff.read': [], 'messages.moderate': [], 'contacts.approve': [],
};
for (const [a, ps] of Object.entries(ACTIONS)) entities.push(ent('Action', a, {}, ps.map((p) => E('Action', p))));
const APPS = [['learning', 0, false], ['messages', 1, false], ['housing', 1, true], ['appointments', 0, false],
	['library', 2, false], ['music', 2, true], ['crisis-help', 0, false]];
for (const [a, rank, so] of APPS) entities.push(ent('App', a, { min_rank: rank, sentenced_only: so }, []));
entities.push(ent('Provider', 'suspended', {}, []));
for (let i = 0; i < 40; i++)
	entities.push(ent('Course', 'course' + i, { min_rank: i % 3, title: 'Course ' + i }, [E('Provider', i % 13 === 0 ? 'suspended' : 'prov' + (i % 5))]));
for (const role of ['officer', 'key-worker', 'admin']) entities.push(ent('Role', role, {}, []));
const staff = [];
for (let i = 0; i < 60; i++) {
	const id = 'S' + String(i).padStart(4, '0');
	const est = ESTS[i % ESTS.length];
	staff.push(id);
	entities.push(ent('Staff', id, { establishment: ref('Establishment', est), suspended: i === 59 },
		[E('Role', i % 10 === 0 ? 'admin' : i % 2 ? 'officer' : 'key-worker'), E('Establishment', est)]));
}
const LEVELS = ['basic', 'standard', 'enhanced'];
const STATUS = ['remand', 'sentenced', 'sentenced', 'sentenced', 'licence'];
const people = [];
for (let i = 0; i < PEOPLE; i++) {
	const id = 'A' + String(1000 + i) + 'BC';
	const lvl = r.int(3);
	const status = r.pick(STATUS);
	const est = ESTS[i % ESTS.length];
	const flags = r.chance(0.1) ? ['child-contact-restriction'] : r.chance(0.05) ? ['public-protection'] : [];
	const attrs = {
		incentive: LEVELS[lvl], incentive_rank: lvl, status, flags, daily_quota: 10 + 10 * lvl,
		contact_list: ref('ContactList', id), key_worker: ref('Staff', staff[i % staff.length]), crn: 'X' + (100000 + i),
	};
	if (status === 'licence') attrs.licence = { curfew: r.chance(0.5), curfew_start: 21, curfew_end: 7 };
	entities.push(ent('Person', id, attrs, [status === 'licence' ? E('ProbationRegion', 'NE') : E('Establishment', est)]));
	entities.push(ent('ContactList', id, {}, []));
	const nc = 1 + r.int(3);
	const contacts = [];
	for (let k = 0; k < nc; k++) {
		const cid = id + '-c' + k;
		contacts.push(cid);
		entities.push(ent('Contact', cid, {
			approved: r.chance(0.85), victim: r.chance(0.02), barred: r.chance(0.02), is_child: r.chance(0.15),
			child_contact_approved: r.chance(0.5), name: 'Contact ' + k,
		}, [E('ContactList', id)]));
	}
	if (status !== 'remand') entities.push(ent('HousingCase', 'H' + id, { owner: ref('Person', id), status: 'open' }, []));
	entities.push(ent('Appointment', 'AP' + id, { person: ref('Person', id), kind: 'education', starts_hour: 9 + r.int(8) }, []));
	people.push({ id, contacts, status });
}
const links = [];
for (let i = 0; i < 200; i++) {
	const p = people[r.int(people.length)];
	if (i % 2 === 0) links.push({ templateId: 'policy17', newId: 'grant-' + i, values: { '?principal': E('Person', p.id), '?resource': E('App', 'music') } });
	else links.push({ templateId: 'policy18', newId: 'bar-' + i, values: { '?principal': E('Person', p.id), '?resource': E('Contact', p.contacts[0]) } });
}
const REGIMES = ['unlock', 'unlock', 'unlock', 'association', 'night', 'lockdown'];
const requests = [];
for (let i = 0; i < REQUESTS; i++) {
	const p = people[r.int(people.length)];
	const ctx = { regime: r.pick(REGIMES), hour: r.int(24), weekday: r.int(7), device: 'in-cell', sent_today: r.int(30) };
	const k = r.int(10);
	let action, resource, principal = E('Person', p.id);
	if (k < 3) { action = 'messages.send'; resource = r.chance(0.9) ? E('Contact', r.pick(p.contacts)) : E('Staff', r.pick(staff)); }
	else if (k < 5) { action = 'app.open'; resource = E('App', r.pick(APPS)[0]); }
	else if (k < 6) { action = r.pick(['course.open', 'course.submit']); resource = E('Course', 'course' + r.int(40)); }
	else if (k < 7) { action = 'messages.read'; resource = E('Contact', r.pick(p.contacts)); }
	else if (k < 8) { action = r.pick(['housing.enquire', 'housing.view']); resource = E('HousingCase', 'H' + p.id); }
	else if (k < 9) { action = r.pick(['appointment.view', 'appointment.confirm']); resource = E('Appointment', 'AP' + p.id); }
	else {
		principal = E('Staff', r.pick(staff));
		ctx.device = 'office';
		action = r.pick(['staff.read', 'messages.moderate', 'contacts.approve']);
		resource = E('Person', r.pick(people).id);
	}
	requests.push({ principal, action: E('Action', action), resource, context: ctx });
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'entities.json'), JSON.stringify(entities));
writeFileSync(join(out, 'links.json'), JSON.stringify(links));
writeFileSync(join(out, 'requests.jsonl'), requests.map((q) => JSON.stringify(q)).join('\n') + '\n');
console.log(`make-data: ${entities.length} entities (${PEOPLE} people), ${links.length} links, ${requests.length} requests in ${out}`);
