-- 0001-init.sql: organisation, people, accounts, sessions, settings, audit.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SS.mmmZ'; dates are 'YYYY-MM-DD'.
-- Personal data columns are listed, with their purpose, in docs/pii.md.

CREATE TABLE setting (
	key		TEXT PRIMARY KEY,
	value		TEXT NOT NULL,
	updated_at	TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE township (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 40),
	county		TEXT NOT NULL DEFAULT '',
	created_at	TEXT NOT NULL
) STRICT;

-- Offices, stations and centres of the township (党政综合办, 司法所, ...).
CREATE TABLE unit (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
	kind		TEXT NOT NULL CHECK (kind IN ('office', 'station', 'centre')),
	phone		TEXT NOT NULL DEFAULT '',	-- office line, public
	duties		TEXT NOT NULL DEFAULT '',
	sort		INTEGER NOT NULL DEFAULT 0,
	active		INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	UNIQUE (township_id, name)
) STRICT;

CREATE TABLE village (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
	sort		INTEGER NOT NULL DEFAULT 0,
	UNIQUE (township_id, name)
) STRICT;

CREATE TABLE village_group (
	id		INTEGER PRIMARY KEY,
	village_id	INTEGER NOT NULL REFERENCES village(id),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
	sort		INTEGER NOT NULL DEFAULT 0,
	UNIQUE (village_id, name)
) STRICT;

CREATE TABLE household (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	village_id	INTEGER NOT NULL REFERENCES village(id),
	group_id	INTEGER REFERENCES village_group(id),
	head_id		INTEGER REFERENCES person(id),
	address		TEXT NOT NULL DEFAULT '',
	members		INTEGER NOT NULL DEFAULT 1 CHECK (members BETWEEN 1 AND 30),
	created_at	TEXT NOT NULL
) STRICT;
CREATE INDEX household_village ON household (village_id, group_id);

-- A cadre or a citizen.  Phone and ID numbers are stored encrypted
-- (XChaCha20-Poly1305, key file outside the database), with a masked copy
-- for lists and a keyed hash for search; the clear value never is.
CREATE TABLE person (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	kind		TEXT NOT NULL CHECK (kind IN ('cadre', 'citizen')),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 32),
	sex		TEXT CHECK (sex IN ('M', 'F')),
	birth_year	INTEGER CHECK (birth_year BETWEEN 1900 AND 2100),
	village_id	INTEGER REFERENCES village(id),
	group_id	INTEGER REFERENCES village_group(id),
	household_id	INTEGER REFERENCES household(id),
	address		TEXT NOT NULL DEFAULT '',
	phone_mask	TEXT,
	phone_enc	BLOB,
	phone_mac	BLOB,
	idno_mask	TEXT,
	idno_enc	BLOB,
	idno_mac	BLOB,
	note		TEXT NOT NULL DEFAULT '',
	posts_label	TEXT NOT NULL DEFAULT '',	-- current posts, for lists
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL,
	CHECK ((phone_enc IS NULL) = (phone_mask IS NULL)),
	CHECK ((idno_enc IS NULL) = (idno_mask IS NULL))
) STRICT;
CREATE INDEX person_township ON person (township_id, id);
CREATE INDEX person_village ON person (village_id, id);
CREATE INDEX person_phone ON person (phone_mac) WHERE phone_mac IS NOT NULL;
CREATE INDEX person_idno ON person (idno_mac) WHERE idno_mac IS NOT NULL;
CREATE INDEX person_household ON person (household_id);

-- A person's post in a unit or a village (村支书, 站长, ...).
CREATE TABLE post (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	person_id	INTEGER NOT NULL REFERENCES person(id),
	unit_id		INTEGER REFERENCES unit(id),
	village_id	INTEGER REFERENCES village(id),
	title		TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 40),
	started_on	TEXT NOT NULL,
	ended_on	TEXT,
	CHECK ((unit_id IS NULL) <> (village_id IS NULL))
) STRICT;
CREATE INDEX post_person ON post (person_id);
CREATE INDEX post_unit ON post (unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX post_village ON post (village_id) WHERE village_id IS NOT NULL;

-- Roles are bits: leader 1, member 2, staff 4, village 8, cleaner 16,
-- inspector 32, sysadmin 64, secadmin 128, auditor 256.  An admin role
-- (64, 128, 256) is held alone: no account holds two powers (三权分立).
-- The system admin creates accounts and asks for roles (roles_requested);
-- only the security admin grants them (roles).
CREATE TABLE account (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	person_id	INTEGER UNIQUE REFERENCES person(id),
	login		TEXT NOT NULL UNIQUE COLLATE NOCASE
			    CHECK (length(login) BETWEEN 3 AND 32),
	roles		INTEGER NOT NULL DEFAULT 0 CHECK (roles >= 0 AND
			    roles < 512 AND
			    ((roles & 448) = 0 OR roles IN (64, 128, 256))),
	roles_requested	INTEGER NOT NULL DEFAULT 0 CHECK (roles_requested >= 0
			    AND roles_requested < 512 AND
			    ((roles_requested & 448) = 0 OR
			    roles_requested IN (64, 128, 256))),
	village_id	INTEGER REFERENCES village(id),
	status		TEXT NOT NULL
			    CHECK (status IN ('pending', 'active', 'disabled')),
	pw_hash		TEXT CHECK (pw_hash IS NULL OR pw_hash LIKE '$argon2id$%'),
	pw_family	INTEGER,
	pw_changed_at	TEXT,
	must_change	INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
	failed_count	INTEGER NOT NULL DEFAULT 0,
	locked_until	TEXT,
	last_login_at	TEXT,
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL,
	CHECK ((roles & 8) = 0 OR village_id IS NOT NULL),
	CHECK (status <> 'active' OR pw_hash IS NOT NULL)
) STRICT;
CREATE INDEX account_family ON account (pw_family) WHERE pw_family IS NOT NULL;

-- Sessions and one-time links keep only a SHA-256 of their token.
CREATE TABLE session (
	token_hash	BLOB PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES account(id),
	csrf		TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	seen_at		TEXT NOT NULL,
	auth_at		TEXT NOT NULL,
	addr		TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX session_account ON session (account_id);

CREATE TABLE activation (
	token_hash	BLOB PRIMARY KEY,
	account_id	INTEGER NOT NULL REFERENCES account(id),
	created_by	INTEGER REFERENCES account(id),
	created_at	TEXT NOT NULL,
	expires_at	TEXT NOT NULL,
	used_at		TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX activation_account ON activation (account_id);

-- Fixed-window counters (sign-in attempts per address), shared by servers.
CREATE TABLE throttle (
	key		TEXT PRIMARY KEY,
	window_start	INTEGER NOT NULL,
	hits		INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The audit log: append-only, each row chained to the one before by a
-- keyed BLAKE2b hash; "xiangzhi audit verify" names the first broken row.
CREATE TABLE audit (
	id		INTEGER PRIMARY KEY,
	at		TEXT NOT NULL,
	township_id	INTEGER,
	actor_id	INTEGER,
	actor		TEXT NOT NULL,
	role		TEXT NOT NULL,
	addr		TEXT NOT NULL,
	request_id	TEXT NOT NULL,
	action		TEXT NOT NULL,
	object_type	TEXT NOT NULL,
	object_id	TEXT NOT NULL,
	result		TEXT NOT NULL CHECK (result IN ('ok', 'fail')),
	detail		TEXT NOT NULL,
	prev_hash	BLOB NOT NULL,
	hash		BLOB NOT NULL
) STRICT;
CREATE INDEX audit_actor ON audit (actor_id, id);
CREATE INDEX audit_action ON audit (action, id);
CREATE INDEX audit_at ON audit (at);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit is append-only');
END;
