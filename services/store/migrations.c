/*
 * Numbered schema migrations. migrations[i] takes the schema from version i to i + 1; the
 * version lives in PRAGMA user_version and moves in the same transaction as the change,
 * so a crash mid-migration leaves the old version intact. Never edit a migration that has
 * shipped: add a new one, and a fixture for it in tests/store/test_migrations.c.
 *
 * The SQL must suit SQLite 3.15 (Debian 12's SQLCipher): no UPSERT, RETURNING or window
 * functions.
 */
#include "store_int.h"

#include <errno.h>
#include <stdio.h>

static const char *const migrations[] = {
        /* 1: the core — settings, establishments, staff, people, the audit chain. */
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE establishments ("
        "  code TEXT PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  kind TEXT NOT NULL CHECK (kind IN ('prison', 'probation')));"
        "CREATE TABLE staff ("
        "  id TEXT PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  role TEXT NOT NULL,"
        "  establishment TEXT NOT NULL DEFAULT '',"
        "  active INTEGER NOT NULL DEFAULT 1,"
        "  created_at INTEGER NOT NULL);"
        "CREATE TABLE people ("
        "  id INTEGER PRIMARY KEY,"
        "  prison_number TEXT NOT NULL UNIQUE,"
        "  given_name TEXT NOT NULL,"
        "  family_name TEXT NOT NULL,"
        "  status TEXT NOT NULL,"
        "  incentive TEXT NOT NULL,"
        "  establishment TEXT NOT NULL REFERENCES establishments(code),"
        "  flags TEXT NOT NULL DEFAULT '',"
        "  pin_hash TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL,"
        "  updated_at INTEGER NOT NULL);"
        "CREATE TABLE audit ("
        "  seq INTEGER PRIMARY KEY,"
        "  at INTEGER NOT NULL,"
        "  actor TEXT NOT NULL,"
        "  subject TEXT NOT NULL,"
        "  action TEXT NOT NULL,"
        "  outcome TEXT NOT NULL,"
        "  detail TEXT NOT NULL,"
        "  prev_hash TEXT NOT NULL,"
        "  hash TEXT NOT NULL);"
        "CREATE INDEX audit_subject ON audit (subject, seq);",

        /* 2: approved contacts and the app whitelist. */
        "CREATE TABLE contacts ("
        "  id INTEGER PRIMARY KEY,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  name TEXT NOT NULL,"
        "  relation TEXT NOT NULL,"
        "  minor INTEGER NOT NULL DEFAULT 0,"
        "  victim INTEGER NOT NULL DEFAULT 0,"
        "  barred INTEGER NOT NULL DEFAULT 0,"
        "  status TEXT NOT NULL DEFAULT 'pending'"
        "    CHECK (status IN ('pending', 'approved', 'rejected')),"
        "  decided_by TEXT NOT NULL DEFAULT '',"
        "  decided_at INTEGER NOT NULL DEFAULT 0,"
        "  created_at INTEGER NOT NULL);"
        "CREATE INDEX contacts_person ON contacts (person_id);"
        "CREATE TABLE apps ("
        "  name TEXT PRIMARY KEY,"
        "  title TEXT NOT NULL,"
        "  path TEXT NOT NULL,"
        "  sha256 TEXT NOT NULL,"
        "  registered_by TEXT NOT NULL,"
        "  registered_at INTEGER NOT NULL);",

        /* 3: sessions, PIN lockout, the probation case reference and the release date. */
        "ALTER TABLE people ADD COLUMN crn TEXT;"
        "CREATE UNIQUE INDEX people_crn ON people (crn);"
        "ALTER TABLE people ADD COLUMN release_date TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE people ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE people ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;"
        "CREATE TABLE sessions ("
        "  id TEXT PRIMARY KEY,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  started_at INTEGER NOT NULL,"
        "  ended_at INTEGER,"
        "  end_reason TEXT);"
        "CREATE INDEX sessions_open ON sessions (ended_at);",

        /* 4: staff grants (policy template links) and establishment regimes. */
        "CREATE TABLE grants ("
        "  id TEXT PRIMARY KEY,"
        "  template TEXT NOT NULL,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  resource_type TEXT NOT NULL,"
        "  resource_id TEXT NOT NULL,"
        "  expires_at INTEGER NOT NULL DEFAULT 0,"
        "  reason TEXT NOT NULL DEFAULT '',"
        "  created_by TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL);"
        "CREATE INDEX grants_person ON grants (person_id);"
        "ALTER TABLE establishments ADD COLUMN regime TEXT NOT NULL DEFAULT 'auto';",

        /* 5: a person's named worker (staff id), licence conditions and settings (JSON). */
        "ALTER TABLE people ADD COLUMN worker TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE people ADD COLUMN licence TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE people ADD COLUMN settings TEXT NOT NULL DEFAULT '';",

        /*
         * Slots 6 to 10 are reserved, one per area, each owned by that area's code until
         * the first release ships them: 6 learning (store/courses.c), 7 messages
         * (store/messages.c), 8 housing (store/housing.c), 9 appointments
         * (store/appointments.c), 10 moving between establishments (store/moves.c).
         */
        /* 6: learning: installed courses, progress, pages read, quiz attempts, certificates */
        "CREATE TABLE courses ("
        "  id TEXT PRIMARY KEY,"
        "  version TEXT NOT NULL,"
        "  title TEXT NOT NULL,"
        "  level TEXT NOT NULL,"
        "  provider_id TEXT NOT NULL,"
        "  provider_name TEXT NOT NULL,"
        "  language TEXT NOT NULL,"
        "  minutes INTEGER NOT NULL,"
        "  file TEXT NOT NULL,"
        "  sha256 TEXT NOT NULL,"
        "  size INTEGER NOT NULL,"
        "  root_key TEXT NOT NULL,"
        "  manifest TEXT NOT NULL,"
        "  installed_by TEXT NOT NULL,"
        "  installed_at INTEGER NOT NULL);"
        "CREATE TABLE course_progress ("
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  course_id TEXT NOT NULL,"
        "  module TEXT NOT NULL,"
        "  page TEXT NOT NULL,"
        "  module_index INTEGER NOT NULL,"
        "  page_index INTEGER NOT NULL,"
        "  started_at INTEGER NOT NULL,"
        "  updated_at INTEGER NOT NULL,"
        "  PRIMARY KEY (person_id, course_id));"
        "CREATE TABLE course_pages_read ("
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  course_id TEXT NOT NULL,"
        "  page TEXT NOT NULL,"
        "  read_at INTEGER NOT NULL,"
        "  PRIMARY KEY (person_id, course_id, page));"
        "CREATE TABLE course_attempts ("
        "  id INTEGER PRIMARY KEY,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  course_id TEXT NOT NULL,"
        "  course_version TEXT NOT NULL,"
        "  module TEXT NOT NULL,"
        "  quiz TEXT NOT NULL,"
        "  correct INTEGER NOT NULL,"
        "  total INTEGER NOT NULL,"
        "  percent INTEGER NOT NULL,"
        "  passed INTEGER NOT NULL,"
        "  answers TEXT NOT NULL,"
        "  at INTEGER NOT NULL);"
        "CREATE INDEX course_attempts_person ON course_attempts (person_id, course_id, id);"
        "CREATE TABLE certificates ("
        "  id TEXT PRIMARY KEY,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  course_id TEXT NOT NULL,"
        "  course_version TEXT NOT NULL,"
        "  title TEXT NOT NULL,"
        "  score INTEGER NOT NULL,"
        "  issued_at INTEGER NOT NULL,"
        "  key_id TEXT NOT NULL,"
        "  document TEXT NOT NULL,"
        "  UNIQUE (person_id, course_id));",
        /*
         * 7: messages (store/messages.c): every item of every thread (messages, review
         * requests and answers; contact_id 0 is the worker thread), policy refusals a
         * person may ask staff to review, staff reads the person is shown, the word list,
         * and per-establishment retention.
         */
        "CREATE TABLE messages ("
        "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  contact_id INTEGER NOT NULL DEFAULT 0,"
        "  kind TEXT NOT NULL CHECK (kind IN ('message', 'review', 'answer')),"
        "  direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),"
        "  author TEXT NOT NULL DEFAULT '',"
        "  author_name TEXT NOT NULL DEFAULT '',"
        "  author_role TEXT NOT NULL DEFAULT '',"
        "  text TEXT NOT NULL,"
        "  status TEXT NOT NULL"
        "    CHECK (status IN ('held', 'delivered', 'rejected', 'waiting', 'answered')),"
        "  reason TEXT NOT NULL DEFAULT '',"
        "  quote TEXT NOT NULL DEFAULT '',"
        "  refusal_id INTEGER NOT NULL DEFAULT 0,"
        "  about INTEGER NOT NULL DEFAULT 0,"
        "  policies TEXT NOT NULL DEFAULT '',"
        "  matched TEXT NOT NULL DEFAULT '',"
        "  decided_by TEXT NOT NULL DEFAULT '',"
        "  decided_at INTEGER NOT NULL DEFAULT 0,"
        "  created_at INTEGER NOT NULL,"
        "  read_at INTEGER NOT NULL DEFAULT 0,"
        "  acked_at INTEGER NOT NULL DEFAULT 0);"
        "CREATE INDEX messages_thread ON messages (person_id, contact_id, id);"
        "CREATE INDEX messages_person_time ON messages (person_id, created_at);"
        "CREATE INDEX messages_status ON messages (status, id);"
        "CREATE INDEX messages_created ON messages (created_at);"
        "CREATE INDEX messages_outbox ON messages (id) WHERE kind = 'message' AND"
        "  direction = 'out' AND contact_id > 0 AND status = 'delivered' AND acked_at = 0;"
        "CREATE INDEX messages_reviews ON messages (about) WHERE kind = 'review';"
        "CREATE TABLE message_refusals ("
        "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  contact_id INTEGER NOT NULL DEFAULT 0,"
        "  text TEXT NOT NULL,"
        "  reason TEXT NOT NULL,"
        "  policies TEXT NOT NULL DEFAULT '',"
        "  reviewed INTEGER NOT NULL DEFAULT 0,"
        "  created_at INTEGER NOT NULL);"
        "CREATE INDEX message_refusals_created ON message_refusals (created_at);"
        "CREATE INDEX message_refusals_person ON message_refusals (person_id, created_at);"
        "CREATE TABLE message_staff_reads ("
        "  id INTEGER PRIMARY KEY,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  contact_id INTEGER NOT NULL DEFAULT 0,"
        "  staff_id TEXT NOT NULL,"
        "  role TEXT NOT NULL,"
        "  via TEXT NOT NULL,"
        "  messages INTEGER NOT NULL,"
        "  at INTEGER NOT NULL);"
        "CREATE INDEX message_staff_reads_thread ON message_staff_reads"
        "  (person_id, contact_id, id);"
        "CREATE INDEX message_staff_reads_at ON message_staff_reads (at);"
        "CREATE TABLE message_words ("
        "  word TEXT PRIMARY KEY,"
        "  added_by TEXT NOT NULL,"
        "  added_at INTEGER NOT NULL);"
        "CREATE TABLE message_settings ("
        "  key TEXT PRIMARY KEY,"
        "  value INTEGER NOT NULL,"
        "  set_by TEXT NOT NULL,"
        "  set_at INTEGER NOT NULL);",
        /* 8: housing enquiries (one open case per person) and their threads */
        "CREATE TABLE housing_cases ("
        "  id INTEGER PRIMARY KEY,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted',"
        "    'acknowledged', 'assessed', 'offered', 'closed')),"
        "  step INTEGER NOT NULL DEFAULT 0,"
        "  release_date TEXT NOT NULL DEFAULT '',"
        "  area TEXT NOT NULL DEFAULT '',"
        "  last_address TEXT NOT NULL DEFAULT '',"
        "  needs TEXT NOT NULL DEFAULT '',"
        "  needs_detail TEXT NOT NULL DEFAULT '',"
        "  consent INTEGER NOT NULL DEFAULT 0,"
        "  contact_route TEXT NOT NULL DEFAULT '',"
        "  contact_detail TEXT NOT NULL DEFAULT '',"
        "  created_at INTEGER NOT NULL,"
        "  updated_at INTEGER NOT NULL,"
        "  submitted_at INTEGER NOT NULL DEFAULT 0,"
        "  status_at INTEGER NOT NULL DEFAULT 0,"
        "  status_by TEXT NOT NULL DEFAULT '');"
        "CREATE UNIQUE INDEX housing_cases_open ON housing_cases (person_id)"
        "  WHERE status != 'closed';"
        "CREATE INDEX housing_cases_person ON housing_cases (person_id, id);"
        "CREATE TABLE housing_messages ("
        "  id INTEGER PRIMARY KEY,"
        "  case_id INTEGER NOT NULL REFERENCES housing_cases(id),"
        "  author TEXT NOT NULL CHECK (author IN ('person', 'staff')),"
        "  staff_id TEXT NOT NULL DEFAULT '',"
        "  status TEXT NOT NULL DEFAULT '',"
        "  body TEXT NOT NULL DEFAULT '',"
        "  created_at INTEGER NOT NULL);"
        "CREATE INDEX housing_messages_case ON housing_messages (case_id, id);",
        /* 9: appointments, requests to rearrange, reminders with their state, lead times */
        "CREATE TABLE appointments ("
        "  id INTEGER PRIMARY KEY,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  kind TEXT NOT NULL CHECK (kind IN ('probation', 'health', 'education', 'legal',"
        "    'visit', 'release')),"
        "  starts_at INTEGER NOT NULL,"
        "  minutes INTEGER NOT NULL DEFAULT 60,"
        "  place TEXT NOT NULL,"
        "  with_whom TEXT NOT NULL DEFAULT '',"
        "  status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),"
        "  cancel_reason TEXT NOT NULL DEFAULT '',"
        "  confirmed_at INTEGER NOT NULL DEFAULT 0,"
        "  created_by TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL,"
        "  updated_at INTEGER NOT NULL);"
        "CREATE INDEX appointments_person ON appointments (person_id, starts_at);"
        "CREATE TABLE appointment_requests ("
        "  id INTEGER PRIMARY KEY,"
        "  appointment_id INTEGER NOT NULL REFERENCES appointments(id),"
        "  reason TEXT NOT NULL,"
        "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'agreed', 'declined')),"
        "  answer TEXT NOT NULL DEFAULT '',"
        "  answered_by TEXT NOT NULL DEFAULT '',"
        "  answered_at INTEGER NOT NULL DEFAULT 0,"
        "  created_at INTEGER NOT NULL);"
        "CREATE UNIQUE INDEX appointment_requests_open ON appointment_requests (appointment_id)"
        "  WHERE status = 'open';"
        "CREATE TABLE reminders ("
        "  id INTEGER PRIMARY KEY,"
        "  appointment_id INTEGER NOT NULL REFERENCES appointments(id),"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  kind TEXT NOT NULL CHECK (kind IN ('before', 'moved', 'cancelled', 'answered')),"
        "  lead TEXT NOT NULL DEFAULT '',"
        "  note TEXT NOT NULL DEFAULT '',"
        "  due_at INTEGER NOT NULL,"
        "  expires_at INTEGER NOT NULL,"
        "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'shown',"
        "    'dismissed')),"
        "  shown_at INTEGER NOT NULL DEFAULT 0,"
        "  dismissed_at INTEGER NOT NULL DEFAULT 0,"
        "  created_at INTEGER NOT NULL);"
        "CREATE UNIQUE INDEX reminders_once ON reminders (appointment_id, kind, lead)"
        "  WHERE kind = 'before';"
        "CREATE INDEX reminders_due ON reminders (person_id, state, due_at);"
        "CREATE INDEX reminders_appointment ON reminders (appointment_id);"
        "CREATE TABLE reminder_leads ("
        "  kind TEXT PRIMARY KEY,"
        "  leads TEXT NOT NULL,"
        "  updated_by TEXT NOT NULL DEFAULT '',"
        "  updated_at INTEGER NOT NULL DEFAULT 0);"
        "INSERT INTO reminder_leads (kind, leads) VALUES ('probation', '1d@18:00,2h'),"
        "  ('health', '1d,1h'), ('education', '1h'), ('legal', '1d,1h'), ('visit', '1d,1h'),"
        "  ('release', '7d,1d@18:00');",
        /* 10: moving between establishments: the history of moves, trusted senders, imports */
        "CREATE TABLE person_moves ("
        "  id INTEGER PRIMARY KEY,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  kind TEXT NOT NULL,"
        "  from_establishment TEXT NOT NULL,"
        "  to_establishment TEXT NOT NULL,"
        "  from_status TEXT NOT NULL,"
        "  to_status TEXT NOT NULL,"
        "  staff_id TEXT NOT NULL,"
        "  at INTEGER NOT NULL,"
        "  detail TEXT NOT NULL DEFAULT '{}');"
        "CREATE INDEX person_moves_person ON person_moves (person_id, id);"
        "CREATE TABLE trusted_senders ("
        "  fingerprint TEXT PRIMARY KEY,"
        "  code TEXT NOT NULL,"
        "  name TEXT NOT NULL,"
        "  kind TEXT NOT NULL,"
        "  certificate TEXT NOT NULL,"
        "  added_by TEXT NOT NULL,"
        "  added_at INTEGER NOT NULL);"
        "CREATE TABLE bundles_imported ("
        "  id TEXT PRIMARY KEY,"
        "  sender TEXT NOT NULL,"
        "  prison_number TEXT NOT NULL,"
        "  imported_at INTEGER NOT NULL);"
        "ALTER TABLE people ADD COLUMN moved_out TEXT NOT NULL DEFAULT '';"
        "CREATE TABLE imported_audit ("
        "  id INTEGER PRIMARY KEY,"
        "  person_id INTEGER NOT NULL REFERENCES people(id),"
        "  sender TEXT NOT NULL,"
        "  row TEXT NOT NULL);"
        "CREATE INDEX imported_audit_person ON imported_audit (person_id, id);",

        /* 11: how many times a person's record has been handed on in a bundle, so that a
         * copy older than one already held or sent is refused (moves/person_bundle.c). */
        "ALTER TABLE people ADD COLUMN move_seq INTEGER NOT NULL DEFAULT 0;",

        /*
         * 12: logging in. A PIN staff issued must be replaced by one the person chooses:
         * every PIN stored until now was issued (and seen) by staff, so every person
         * chooses their own at their next login. Wrong PINs stop counting a while after
         * the last one (failed_at). Refused logins are counted here, one row per prison
         * number and kind of refusal, and written to the audit chain as one row a minute.
         */
        "ALTER TABLE people ADD COLUMN pin_change INTEGER NOT NULL DEFAULT 0;"
        "UPDATE people SET pin_change = 1;"
        "ALTER TABLE people ADD COLUMN failed_at INTEGER NOT NULL DEFAULT 0;"
        "CREATE TABLE refusals_pending ("
        "  subject TEXT NOT NULL,"
        "  action TEXT NOT NULL,"
        "  error TEXT NOT NULL,"
        "  outcome TEXT NOT NULL,"
        "  actor TEXT NOT NULL,"
        "  message TEXT NOT NULL,"
        "  count INTEGER NOT NULL,"
        "  first_at INTEGER NOT NULL,"
        "  last_at INTEGER NOT NULL,"
        "  PRIMARY KEY (subject, action, error));",

        /*
         * 13: staff prove who they are (session/staff_*.c). An account is set up with a
         * one-time code an administrator hands over (setup_hash, the code's SHA-256),
         * then a password (scrypt) and a TOTP secret confirmed with a first code; until
         * then it cannot sign in. totp_step is the last time step accepted, so no code
         * works twice. Sessions are kept by the SHA-256 of their token, never the token.
         */
        "ALTER TABLE staff ADD COLUMN sign_in TEXT NOT NULL DEFAULT 'setup';"
        "ALTER TABLE staff ADD COLUMN setup_hash TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE staff ADD COLUMN setup_expires INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE staff ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE staff ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE staff ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE staff ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE staff ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE staff ADD COLUMN locks INTEGER NOT NULL DEFAULT 0;"
        "CREATE TABLE staff_sessions ("
        "  token_hash TEXT PRIMARY KEY,"
        "  staff_id TEXT NOT NULL REFERENCES staff (id),"
        "  created_at INTEGER NOT NULL,"
        "  used_at INTEGER NOT NULL,"
        "  ends_at INTEGER NOT NULL,"
        "  address TEXT NOT NULL);"
        "CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);",

        /*
         * 14: the establishment's tablets (store/devices.c). A device is never deleted, only
         * revoked, so the audit always names one that existed; an enrolment code is kept
         * only as its hash.
         */
        "CREATE TABLE devices ("
        "  id TEXT PRIMARY KEY,"
        "  name TEXT NOT NULL,"
        "  fingerprint TEXT NOT NULL UNIQUE,"
        "  public_key TEXT NOT NULL,"
        "  serial TEXT NOT NULL,"
        "  enrolled_at INTEGER NOT NULL,"
        "  enrolled_by TEXT NOT NULL,"
        "  last_seen INTEGER NOT NULL DEFAULT 0,"
        "  software TEXT NOT NULL DEFAULT '',"
        "  revoked_at INTEGER NOT NULL DEFAULT 0,"
        "  revoked_by TEXT NOT NULL DEFAULT '',"
        "  revoked_reason TEXT NOT NULL DEFAULT '');"
        "CREATE TABLE enrolment_codes ("
        "  hash TEXT PRIMARY KEY,"
        "  created_by TEXT NOT NULL,"
        "  created_at INTEGER NOT NULL,"
        "  expires_at INTEGER NOT NULL,"
        "  used_at INTEGER NOT NULL DEFAULT 0);",
};

#define MIGRATION_COUNT ((int)(sizeof(migrations) / sizeof(migrations[0])))

int
store_schema_latest(void)
{
	return MIGRATION_COUNT;
}

int
store_schema_version(struct store *s)
{
	sqlite3_stmt *st;
	int r, version;

	r = store_prepare(s, "PRAGMA user_version", &st);
	if (r < 0)
		return r;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -EIO;
	}
	version = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return version;
}

int
store_migrate(struct store *s, int target_version)
{
	int version = store_schema_version(s);

	if (version < 0)
		return version;
	/* A file from a newer build must not be touched by an older one. */
	if (version > MIGRATION_COUNT)
		return -EPROTONOSUPPORT;
	while (version < target_version) {
		char set_version[48];
		int r;

		r = store_begin(s);
		if (r < 0)
			return r;
		snprintf(set_version, sizeof(set_version), "PRAGMA user_version = %d", version + 1);
		r = store_exec(s, migrations[version]);
		if (r == 0)
			r = store_exec(s, set_version);
		if (r == 0)
			r = store_commit(s);
		else
			store_rollback(s);
		if (r < 0)
			return r;
		version++;
	}
	return 0;
}
