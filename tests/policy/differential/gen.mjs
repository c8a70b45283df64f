// gen.mjs: random but well-formed Cedar test cases for the differential test: a policy set
// (static policies, templates and links), an entity store and requests. Generation is
// type-directed so that most conditions evaluate, with a steady share of wrong types, missing
// attributes, missing entities and overflows so that errors are exercised too.

export function rng(seed) {
	// mulberry32: small, fast, and the same on every node version.
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const r = {
		next,
		int: (n) => Math.floor(next() * n),
		pick: (arr) => arr[Math.floor(next() * arr.length)],
		chance: (p) => next() < p,
	};
	return r;
}

const TYPES = ['User', 'Group', 'Doc', 'Folder', 'NS::Thing', 'Deep::Ns::Item'];
const IDS = ['a', 'b', 'c', 'alice', 'é', '日本', '😀', 'x"y', 'sp ace', 'back\\slash', ''];
const ACTIONS = ['view', 'edit', 'delete', 'share', 'all', 'readonly'];
const ATTRS = ['a', 'b', 'n', 'level', 'name', 'tags', 'owner', 'r', 'flag', 'e b', 'if'];
const STRINGS = ['', 'a', 'ab', 'abc', 'a*b', 'é', 'héllo', '日本語', '😀', 'x"y', 'back\\slash',
	'tab\there', 'line\nbreak', '*', 'secret', 'sec*ret', 'AbC'];
const LONGS = [0, 1, -1, 2, 3, 7, 10, 42, -42, 100, 2 ** 31, -(2 ** 31), 2 ** 53, 2 ** 62,
	-(2 ** 62)];

// Cedar string literal for s, escaping what must be and, now and then, more.
export function cedarString(s, r) {
	let out = '"';
	for (const ch of s) {
		const cp = ch.codePointAt(0);
		if (ch === '"') out += '\\"';
		else if (ch === '\\') out += '\\\\';
		else if (ch === '\n') out += r && r.chance(0.5) ? '\\n' : '\\u{a}';
		else if (ch === '\t') out += '\\t';
		else if (cp < 0x20) out += '\\u{' + cp.toString(16) + '}';
		else if (r && cp > 0x7f && r.chance(0.3)) out += '\\u{' + cp.toString(16) + '}';
		else if (r && cp < 0x7f && cp !== 0x2a && r.chance(0.03))
			out += '\\x' + cp.toString(16).padStart(2, '0');
		else out += ch;
	}
	return out + '"';
}

export function uidText(u, r) {
	return `${u.type}::${cedarString(u.id, r)}`;
}

function uidJson(u, r) {
	return r.chance(0.2) ? { __entity: { type: u.type, id: u.id } } : { type: u.type, id: u.id };
}

export class Gen {
	constructor(seed) {
		this.r = rng(seed);
		const r = this.r;
		// A small universe per case, so that uids collide often enough to match.
		this.types = TYPES.filter(() => r.chance(0.7));
		if (this.types.length < 2) this.types = ['User', 'Group'];
		this.ids = IDS.filter(() => r.chance(0.5));
		if (this.ids.length < 2) this.ids = ['a', 'b'];
		this.attrs = ATTRS.filter(() => r.chance(0.6));
		if (!this.attrs.length) this.attrs = ['a'];
	}

	uid() {
		return { type: this.r.pick(this.types), id: this.r.pick(this.ids) };
	}

	action() {
		return { type: 'Action', id: this.r.pick(ACTIONS) };
	}

	attr() {
		return this.r.pick(this.attrs);
	}

	// Attribute access text: .name when it is an identifier (and not reserved), else ["name"].
	access(name) {
		if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name !== 'if' && this.r.chance(0.8))
			return '.' + name;
		return '[' + cedarString(name, this.r) + ']';
	}

	hasText(name) {
		if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name !== 'if' && this.r.chance(0.7))
			return name;
		return cedarString(name, this.r);
	}

	// ---- JSON values for entity attributes and the context ----
	jsonValue(depth) {
		const r = this.r;
		const k = r.int(depth > 0 ? 8 : 5);
		switch (k) {
			case 0: return r.chance(0.5);
			case 1: return r.pick(LONGS);
			case 2: return r.pick(STRINGS);
			case 3: case 4: return { __entity: this.uid() };
			case 5: {
				const n = r.int(4);
				const arr = [];
				for (let i = 0; i < n; i++) arr.push(this.jsonValue(depth - 1));
				// Homogeneous sets of entities or longs now and then, for in / contains.
				if (r.chance(0.4)) return Array.from({ length: r.int(4) }, () => ({ __entity: this.uid() }));
				return arr;
			}
			default: return this.jsonRecord(depth - 1);
		}
	}

	jsonRecord(depth) {
		const o = {};
		const n = this.r.int(4);
		for (let i = 0; i < n; i++) o[this.attr()] = this.jsonValue(depth);
		return o;
	}

	entities() {
		const r = this.r;
		// Order every uid; parents come only from later in the order, so the graph is acyclic.
		const all = [];
		for (const t of this.types) for (const id of this.ids) if (r.chance(0.6)) all.push({ type: t, id });
		for (let i = all.length - 1; i > 0; i--) {
			const j = r.int(i + 1);
			[all[i], all[j]] = [all[j], all[i]];
		}
		const ents = [];
		for (let i = 0; i < all.length; i++) {
			if (r.chance(0.15)) continue; // a missing entity, still named as a parent
			const parents = [];
			const np = r.int(3);
			for (let k = 0; k < np && i + 1 < all.length; k++)
				parents.push(all[i + 1 + r.int(all.length - i - 1)]);
			ents.push({ uid: uidJson(all[i], r), attrs: this.jsonRecord(2), parents: parents.map((p) => uidJson(p, r)) });
		}
		// A deep chain: Group::"d0" in d1 in ... in dN.
		if (r.chance(0.3)) {
			const n = 10 + r.int(40);
			for (let i = 0; i < n; i++)
				ents.push({ uid: { type: 'Chain', id: 'd' + i }, attrs: {}, parents: [{ type: 'Chain', id: 'd' + (i + 1) }] });
			if (ents.length && r.chance(0.7)) ents[0].parents.push({ type: 'Chain', id: 'd0' });
		}
		// Action groups.
		ents.push({ uid: { type: 'Action', id: 'view' }, attrs: {}, parents: [{ type: 'Action', id: 'readonly' }, { type: 'Action', id: 'all' }] });
		ents.push({ uid: { type: 'Action', id: 'readonly' }, attrs: {}, parents: [{ type: 'Action', id: 'all' }] });
		ents.push({ uid: { type: 'Action', id: 'edit' }, attrs: {}, parents: [{ type: 'Action', id: 'all' }] });
		// Rarely, a cycle: both sides must reject the store.
		if (r.chance(0.02) && ents.length > 1) {
			const a = ents[0], b = ents[1];
			a.parents.push(b.uid.__entity || b.uid);
			b.parents.push(a.uid.__entity || a.uid);
		}
		return ents;
	}

	context() {
		return this.jsonRecord(2);
	}

	requests(n) {
		const out = [];
		for (let i = 0; i < n; i++) {
			const principal = this.r.chance(0.1) ? { type: 'Chain', id: 'd' + this.r.int(5) } : this.uid();
			out.push({ principal, action: this.action(), resource: this.uid(), context: this.context() });
		}
		return out;
	}

	// ---- expressions, by wanted type; a small share come out of the wrong type ----
	wrong() {
		return this.r.chance(0.04);
	}

	anyExpr(d) {
		const k = this.r.int(7);
		return [this.boolExpr, this.longExpr, this.strExpr, this.entExpr, this.setExpr, this.recExpr, this.attrExpr][k].call(this, d);
	}

	attrExpr(d) {
		const r = this.r;
		const base = r.pick(['principal', 'resource', 'context', 'context', 'principal']);
		let e = base + this.access(this.attr());
		if (d > 0 && r.chance(0.2)) e += this.access(this.attr());
		if (d > 0 && r.chance(0.1)) e = `${this.entExpr(d - 1)}${this.access(this.attr())}`;
		return e;
	}

	longExpr(d) {
		const r = this.r;
		if (this.wrong()) return this.anyExpr(d - 1);
		if (d <= 0 || r.chance(0.3)) {
			const k = r.int(6);
			if (k === 0) return r.pick(['9223372036854775807', '-9223372036854775808', '4611686018427387904']);
			if (k < 3) return String(r.pick(LONGS.filter((x) => Math.abs(x) < 2 ** 53)));
			return this.attrExpr(d);
		}
		switch (r.int(6)) {
			case 0: return `(${this.longExpr(d - 1)} + ${this.longExpr(d - 1)})`;
			case 1: return `(${this.longExpr(d - 1)} - ${this.longExpr(d - 1)})`;
			case 2: return `(${this.longExpr(d - 1)} * ${this.longExpr(d - 1)})`;
			case 3: return `-${r.chance(0.5) ? '(' + this.longExpr(d - 1) + ')' : this.attrExpr(d - 1)}`;
			case 4: return `(if ${this.boolExpr(d - 1)} then ${this.longExpr(d - 1)} else ${this.longExpr(d - 1)})`;
			default: return this.attrExpr(d - 1);
		}
	}

	strExpr(d) {
		const r = this.r;
		if (this.wrong()) return this.anyExpr(d - 1);
		if (d <= 0 || r.chance(0.6)) return r.chance(0.5) ? cedarString(r.pick(STRINGS), r) : this.attrExpr(d);
		return `(if ${this.boolExpr(d - 1)} then ${this.strExpr(d - 1)} else ${this.strExpr(d - 1)})`;
	}

	entExpr(d) {
		const r = this.r;
		if (this.wrong()) return this.anyExpr(d - 1);
		const k = r.int(6);
		if (k === 0) return 'principal';
		if (k === 1) return 'resource';
		if (k === 2) return 'action';
		if (k === 3 || d <= 0) return uidText(r.chance(0.1) ? { type: 'Chain', id: 'd' + r.int(50) } : this.uid(), r);
		return this.attrExpr(d - 1);
	}

	setExpr(d) {
		const r = this.r;
		if (this.wrong()) return this.anyExpr(d - 1);
		if (d <= 0 || r.chance(0.4)) {
			if (r.chance(0.5)) return this.attrExpr(d);
		}
		const n = r.int(4);
		const kind = r.int(3);
		const items = [];
		for (let i = 0; i < n; i++)
			items.push(kind === 0 ? this.entExpr(d - 1) : kind === 1 ? this.longExpr(d - 1) : this.anyExpr(d - 1));
		return `[${items.join(', ')}${n && r.chance(0.1) ? ',' : ''}]`;
	}

	recExpr(d) {
		const r = this.r;
		if (this.wrong()) return this.anyExpr(d - 1);
		if (d <= 0 || r.chance(0.5)) return r.chance(0.7) ? 'context' : this.attrExpr(d);
		const keys = [...new Set(Array.from({ length: r.int(4) }, () => this.attr()))];
		const fields = keys.map((k) => `${/^[A-Za-z_]\w*$/.test(k) && k !== 'if' && r.chance(0.5) ? k : cedarString(k, r)}: ${this.anyExpr(d - 1)}`);
		return `{${fields.join(', ')}}`;
	}

	pattern() {
		const r = this.r;
		const n = 1 + r.int(4);
		let p = '"';
		for (let i = 0; i < n; i++) {
			const k = r.int(5);
			if (k === 0) p += '*';
			else if (k === 1) p += '\\*';
			else {
				const raw = [...r.pick(STRINGS.filter((x) => x.length))].slice(0, 1 + r.int(4)).join('');
				// Escape as a string, then make each star literal: \* in a pattern.
				p += cedarString(raw, r).slice(1, -1).replace(/\*/g, '\\*');
			}
		}
		return p + '"';
	}

	boolExpr(d) {
		const r = this.r;
		if (this.wrong()) return this.anyExpr(d - 1);
		if (d <= 0) {
			const k = r.int(4);
			if (k === 0) return r.chance(0.5) ? 'true' : 'false';
			if (k === 1) return `${this.attrExpr(0)}`;
			if (k === 2) return `(principal has ${this.hasText(this.attr())})`;
			return `(context has ${this.hasText(this.attr())})`;
		}
		const d1 = d - 1;
		switch (r.int(22)) {
			case 0: return `(${this.boolExpr(d1)} && ${this.boolExpr(d1)})`;
			case 1: return `(${this.boolExpr(d1)} || ${this.boolExpr(d1)})`;
			case 2: return `!${this.boolExpr(d1)}`;
			case 3: return `(${this.anyExpr(d1)} == ${this.anyExpr(d1)})`;
			case 4: return `(${this.anyExpr(d1)} != ${this.anyExpr(d1)})`;
			case 5: return `(${this.longExpr(d1)} ${r.pick(['<', '<=', '>', '>='])} ${this.longExpr(d1)})`;
			case 6: return `(${this.entExpr(d1)} in ${this.entExpr(d1)})`;
			case 7: return `(${this.entExpr(d1)} in ${this.setExpr(d1)})`;
			case 8: return `(${this.entExpr(d1)} is ${r.pick(this.types.concat(['Chain', 'Action']))})`;
			case 9: return `(${this.entExpr(d1)} is ${r.pick(this.types)} in ${this.entExpr(d1)})`;
			case 10: return `${this.setExpr(d1)}.contains(${this.anyExpr(d1)})`;
			case 11: return `${this.setExpr(d1)}.containsAll(${this.setExpr(d1)})`;
			case 12: return `${this.setExpr(d1)}.containsAny(${this.setExpr(d1)})`;
			case 13: return `${this.setExpr(d1)}.isEmpty()`;
			case 14: return `(${this.strExpr(d1)} like ${this.pattern()})`;
			case 15: {
				const base = r.pick(['principal', 'resource', 'context', this.recExpr(d1), this.entExpr(d1)]);
				if (r.chance(0.3)) return `(${base} has ${this.attr().replace(/\W/g, '') || 'a'}.${this.attr().replace(/\W/g, '') || 'b'})`.replace(/has if\b/g, 'has iff').replace(/\.if\)/, '.iff)');
				return `(${base} has ${this.hasText(this.attr())})`;
			}
			case 16: return `(if ${this.boolExpr(d1)} then ${this.boolExpr(d1)} else ${this.boolExpr(d1)})`;
			case 17: return `(principal in ${uidText(r.chance(0.3) ? { type: 'Chain', id: 'd' + r.int(50) } : this.uid(), r)})`;
			case 18: return `(action in ${r.chance(0.5) ? uidText(this.action(), r) : '[' + uidText(this.action(), r) + ', ' + uidText(this.action(), r) + ']'})`;
			case 19: return `${this.attrExpr(d1)}`;
			case 20: return `(${this.longExpr(d1)} == ${this.longExpr(d1)})`;
			default: return `(${this.strExpr(d1)} == ${this.strExpr(d1)})`;
		}
	}

	// ---- policies ----
	scopePR(v, slot, allowSlot) {
		const r = this.r;
		const k = r.int(10);
		const target = () => (allowSlot && r.chance(0.5) ? slot : uidText(r.chance(0.15) ? { type: 'Chain', id: 'd' + r.int(50) } : this.uid(), r));
		if (k < 4) return v;
		if (k < 6) return `${v} == ${target()}`;
		if (k < 8) return `${v} in ${target()}`;
		if (k < 9) return `${v} is ${r.pick(this.types)}`;
		return `${v} is ${r.pick(this.types)} in ${target()}`;
	}

	scopeAction() {
		const r = this.r;
		const k = r.int(6);
		if (k < 2) return 'action';
		if (k < 3) return `action == ${uidText(this.action(), r)}`;
		if (k < 4) return `action in ${uidText(this.action(), r)}`;
		const n = r.int(4);
		return `action in [${Array.from({ length: n }, () => uidText(this.action(), r)).join(', ')}]`;
	}

	policy(template) {
		const r = this.r;
		let text = '';
		if (r.chance(0.2)) text += `@reason(${cedarString(r.pick(STRINGS), r)}) `;
		if (r.chance(0.1)) text += '@advice ';
		let p = this.scopePR('principal', '?principal', template);
		let res = this.scopePR('resource', '?resource', template);
		if (template && !p.includes('?') && !res.includes('?')) p = 'principal == ?principal';
		text += `${r.chance(0.3) ? 'forbid' : 'permit'}(\n  ${p},\n  ${this.scopeAction()},\n  ${res}\n)`;
		const nc = r.chance(0.35) ? 0 : 1 + r.int(3);
		for (let i = 0; i < nc; i++) text += `\n${r.chance(0.7) ? 'when' : 'unless'} { ${this.boolExpr(1 + r.int(3))} }`;
		return text + ';';
	}

	// A policy set as {text, statics, templates, links}: statics/templates keyed by policyN.
	policySet() {
		const r = this.r;
		const n = 1 + r.int(8);
		const statics = {}, templates = {}, texts = [];
		for (let i = 0; i < n; i++) {
			const isTemplate = r.chance(0.15);
			const t = this.policy(isTemplate);
			const id = 'policy' + i;
			// A scope names a slot iff it is a template.
			if (t.includes('?principal') || t.includes('?resource')) templates[id] = t;
			else statics[id] = t;
			texts.push(t);
		}
		const links = [];
		let li = 0;
		for (const [id, t] of Object.entries(templates)) {
			const nl = r.int(3);
			for (let k = 0; k < nl; k++) {
				const values = {};
				if (t.includes('?principal')) values['?principal'] = r.chance(0.2) ? { type: 'Chain', id: 'd' + r.int(50) } : this.uid();
				if (t.includes('?resource')) values['?resource'] = this.uid();
				links.push({ templateId: id, newId: 'link' + li++, values });
			}
		}
		return { text: texts.join('\n\n') + '\n', statics, templates, links };
	}
}
