-- 0009-enterprises.sql: enterprises and their patrons (干部进企业, 包抓/包保).
--
-- An enterprise (合作社, 家庭农场, 公司, 门店 ...) of the township, with the
-- place it does business and its contact.  Phones are personal data: kept
-- sealed (XChaCha20-Poly1305, as person.phone_enc) with the mask shown in
-- lists; "tel" is the enterprise's own number (企业电话).
CREATE TABLE enterprise (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	village_id	INTEGER REFERENCES village(id),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 2 AND 60),
	kind		TEXT NOT NULL CHECK (kind IN ('coop', 'farm', 'company',
			    'shop', 'other')),
	place		TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 100),
	contact		TEXT NOT NULL DEFAULT '' CHECK (length(contact) <= 32),
	phone_mask	TEXT,
	phone_enc	BLOB,
	tel_mask	TEXT,
	tel_enc		BLOB,
	note		TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
	created_at	TEXT NOT NULL,
	created_by	INTEGER REFERENCES account(id),
	updated_at	TEXT NOT NULL,
	UNIQUE (township_id, name),
	CHECK ((phone_enc IS NULL) = (phone_mask IS NULL)),
	CHECK ((tel_enc IS NULL) = (tel_mask IS NULL))
) STRICT;
CREATE INDEX enterprise_village ON enterprise (village_id, id);

-- Who answers for an enterprise: a leader (包抓, role 'lead') and cadres
-- (包保, role 'keep').  Reassigning ends the current row (to_on) and adds
-- a new one: the history stays.  One current patron per role.
CREATE TABLE enterprise_patron (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	enterprise_id	INTEGER NOT NULL REFERENCES enterprise(id),
	person_id	INTEGER NOT NULL REFERENCES person(id),
	role		TEXT NOT NULL CHECK (role IN ('lead', 'keep')),
	from_on		TEXT NOT NULL,
	to_on		TEXT,
	created_at	TEXT NOT NULL,
	created_by	INTEGER REFERENCES account(id),
	CHECK (to_on IS NULL OR to_on >= from_on)
) STRICT;
CREATE UNIQUE INDEX enterprise_patron_current
    ON enterprise_patron (enterprise_id, role) WHERE to_on IS NULL;
CREATE INDEX enterprise_patron_person ON enterprise_patron (person_id);

-- A patron's visit (六必访): who, which kind, when, what was found.
CREATE TABLE enterprise_visit (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	enterprise_id	INTEGER NOT NULL REFERENCES enterprise(id),
	person_id	INTEGER NOT NULL REFERENCES person(id),
	kind		TEXT NOT NULL,
	visited_on	TEXT NOT NULL,
	findings	TEXT NOT NULL CHECK (length(findings) BETWEEN 2 AND 2000),
	created_at	TEXT NOT NULL,
	created_by	INTEGER REFERENCES account(id)
) STRICT;
CREATE INDEX enterprise_visit_ent ON enterprise_visit (enterprise_id, id);
CREATE INDEX enterprise_visit_day ON enterprise_visit (township_id, visited_on);

-- The matters raised for an enterprise (企业诉求) or about its patron
-- (督办意见), and the patron who answers for each.
CREATE TABLE enterprise_matter (
	matter_id	INTEGER PRIMARY KEY REFERENCES matter(id),
	enterprise_id	INTEGER NOT NULL REFERENCES enterprise(id),
	patron_id	INTEGER REFERENCES person(id)
) STRICT;
CREATE INDEX enterprise_matter_ent ON enterprise_matter (enterprise_id);

-- Leaders' monthly spot-checks (抽查) of the enterprises sampled that month.
CREATE TABLE enterprise_spotcheck (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	month		TEXT NOT NULL CHECK (length(month) = 7),
	enterprise_id	INTEGER NOT NULL REFERENCES enterprise(id),
	result		TEXT NOT NULL CHECK (result IN ('confirmed',
			    'differs', 'unreachable')),
	-- the enterprise's satisfaction with its patron, as the check found it
	level		TEXT NOT NULL CHECK (level IN ('satisfied', 'basic',
			    'fair', 'unsatisfied')),
	note		TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
	checked_by	INTEGER REFERENCES account(id),
	checked_at	TEXT NOT NULL,
	UNIQUE (township_id, month, enterprise_id)
) STRICT;

-- The supervision opinion (督办意见) opened for an enterprise's month: at
-- most one, whichever way the 一般-or-worse rating came in.
CREATE TABLE enterprise_opinion (
	enterprise_id	INTEGER NOT NULL REFERENCES enterprise(id),
	month		TEXT NOT NULL CHECK (length(month) = 7),
	matter_id	INTEGER NOT NULL UNIQUE REFERENCES matter(id),
	source		TEXT NOT NULL CHECK (source IN ('spotcheck', 'rating')),
	PRIMARY KEY (enterprise_id, month)
) STRICT;

-- The month's rating link of an enterprise (企业对包抓干部每月满意度测评):
-- the rating core's record (rating_token.record_id = id).  "patron" is the
-- person rated, "supervisor" who issued it (the lead of a 督办意见).
CREATE TABLE enterprise_rating_link (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	enterprise_id	INTEGER NOT NULL REFERENCES enterprise(id),
	month		TEXT NOT NULL CHECK (length(month) = 7),
	patron_id	INTEGER NOT NULL REFERENCES person(id),
	supervisor_id	INTEGER REFERENCES person(id),
	issued_at	TEXT NOT NULL,
	issued_by	INTEGER REFERENCES account(id),
	UNIQUE (enterprise_id, month)
) STRICT;

-- The rule, as data: an enterprise's rating of 一般 (level 2) or worse
-- opens a 督办意见 for the patron, led by whoever issued the link; the
-- rating core fires it once per link (one link per enterprise and month).
INSERT INTO rating_rule (name, label, scale, purpose, level_at_or_below,
    action, matter_type, target)
VALUES ('enterprise_supervision', '企业评价督办意见', 'enterprise',
    'enterprise', 2, 'open_matter', 'supervision_opinion', 'supervisor');
