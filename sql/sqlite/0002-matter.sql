-- 0002-matter.sql: the ledger engine: matters, their timeline and files,
-- supervision orders, reminders, search, and the working-day calendar.

-- Special days of the calendar: public holidays and 调休 make-up working
-- days (an admin amends them; the data for 2023-2027 is at the end).
CREATE TABLE calendar_day (
	day		TEXT PRIMARY KEY CHECK (length(day) = 10),
	kind		TEXT NOT NULL CHECK (kind IN ('rest', 'work')),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 20)
) STRICT, WITHOUT ROWID;

-- The comprehensive-governance centre (综治中心) issues supervision orders.
ALTER TABLE unit ADD COLUMN supervises INTEGER NOT NULL DEFAULT 0
    CHECK (supervises IN (0, 1));

-- A group cadre's post may name the group they answer for.
ALTER TABLE post ADD COLUMN group_id INTEGER REFERENCES village_group(id);

-- Key petitioners (重点信访人).
ALTER TABLE person ADD COLUMN key_person INTEGER NOT NULL DEFAULT 0
    CHECK (key_person IN (0, 1));

CREATE TABLE matter_counter (
	township_id	INTEGER NOT NULL,
	prefix		TEXT NOT NULL,
	year		INTEGER NOT NULL,
	last		INTEGER NOT NULL,
	PRIMARY KEY (township_id, prefix, year)
) STRICT, WITHOUT ROWID;

-- One record kind for everything with an owner and a deadline.  Dates
-- (due_on, clock_from, paused_on, stage_ended_on) are Asia/Shanghai days
-- 'YYYY-MM-DD'; instants (*_at) are UTC.
CREATE TABLE matter (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	type		TEXT NOT NULL,
	code		TEXT NOT NULL,
	title		TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
	body		TEXT NOT NULL DEFAULT '',
	source		TEXT NOT NULL DEFAULT '',
	place		TEXT NOT NULL DEFAULT '',
	village_id	INTEGER REFERENCES village(id),
	group_id	INTEGER REFERENCES village_group(id),
	raised_by	INTEGER REFERENCES person(id),
	unit_id		INTEGER REFERENCES unit(id),
	lead_id		INTEGER REFERENCES person(id),
	resolver_id	INTEGER REFERENCES person(id),
	state		TEXT NOT NULL,
	stage		TEXT NOT NULL DEFAULT '',
	clock_from	TEXT,
	due_on		TEXT,
	paused_on	TEXT,
	stage_ended_on	TEXT,
	extensions	INTEGER NOT NULL DEFAULT 0,
	extended_days	INTEGER NOT NULL DEFAULT 0,
	key_matter	INTEGER NOT NULL DEFAULT 0 CHECK (key_matter IN (0, 1)),
	final		INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1)),
	late		INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
	closing		TEXT,
	opened_at	TEXT NOT NULL,
	closed_at	TEXT,
	updated_at	TEXT NOT NULL,
	created_by	INTEGER REFERENCES account(id),
	details		TEXT NOT NULL DEFAULT '{}' CHECK (substr(details, 1, 1) = '{'),
	UNIQUE (township_id, code)
) STRICT;
CREATE INDEX matter_township ON matter (township_id, id);
CREATE INDEX matter_type ON matter (township_id, type, id);
CREATE INDEX matter_village ON matter (village_id, id);
CREATE INDEX matter_due ON matter (due_on) WHERE closed_at IS NULL;
CREATE INDEX matter_lead ON matter (lead_id) WHERE closed_at IS NULL;
CREATE INDEX matter_resolver ON matter (resolver_id) WHERE closed_at IS NULL;

-- Petitioners of a petition, a key matter's team (一人一专班).
CREATE TABLE matter_person (
	matter_id	INTEGER NOT NULL REFERENCES matter(id),
	person_id	INTEGER NOT NULL REFERENCES person(id),
	role		TEXT NOT NULL CHECK (role IN ('petitioner', 'team')),
	PRIMARY KEY (matter_id, role, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX matter_person_person ON matter_person (person_id);

-- The timeline: who did what, when, with which note.  Append-only.
CREATE TABLE matter_event (
	id		INTEGER PRIMARY KEY,
	matter_id	INTEGER NOT NULL REFERENCES matter(id),
	at		TEXT NOT NULL,
	actor_id	INTEGER,
	actor		TEXT NOT NULL,
	action		TEXT NOT NULL,
	from_state	TEXT NOT NULL,
	to_state	TEXT NOT NULL,
	note		TEXT NOT NULL DEFAULT '',
	data		TEXT NOT NULL DEFAULT '{}' CHECK (substr(data, 1, 1) = '{')
) STRICT;
CREATE INDEX matter_event_matter ON matter_event (matter_id, id);
CREATE TRIGGER matter_event_no_update BEFORE UPDATE ON matter_event
BEGIN
	SELECT RAISE(ABORT, 'the timeline is append-only');
END;
CREATE TRIGGER matter_event_no_delete BEFORE DELETE ON matter_event
BEGIN
	SELECT RAISE(ABORT, 'the timeline is append-only');
END;

-- Files: stored by SHA-256 outside any web root (see src/matter/attach.c).
CREATE TABLE attachment (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	matter_id	INTEGER NOT NULL REFERENCES matter(id),
	kind		TEXT NOT NULL,
	name		TEXT NOT NULL,
	media_type	TEXT NOT NULL,
	size		INTEGER NOT NULL CHECK (size >= 0),
	sha256		TEXT NOT NULL CHECK (length(sha256) = 64),
	uploaded_by	INTEGER REFERENCES account(id),
	uploaded_at	TEXT NOT NULL
) STRICT;
CREATE INDEX attachment_matter ON attachment (matter_id);

-- Supervision orders (督办单): a new deadline and a note for the owner.
CREATE TABLE supervision (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	matter_id	INTEGER NOT NULL REFERENCES matter(id),
	issued_by	INTEGER REFERENCES account(id),
	issuer		TEXT NOT NULL,
	issued_at	TEXT NOT NULL,
	due_on		TEXT NOT NULL,
	note		TEXT NOT NULL,
	addressed_to	INTEGER REFERENCES person(id)
) STRICT;
CREATE INDEX supervision_matter ON supervision (matter_id);
CREATE INDEX supervision_person ON supervision (addressed_to);

-- Reminders already given, so the sweep gives each once, whichever server
-- runs it.
CREATE TABLE reminder (
	matter_id	INTEGER NOT NULL REFERENCES matter(id),
	kind		TEXT NOT NULL
			    CHECK (kind IN ('due_soon', 'due_today', 'overdue')),
	due_on		TEXT NOT NULL,
	created_at	TEXT NOT NULL,
	PRIMARY KEY (matter_id, kind, due_on)
) STRICT, WITHOUT ROWID;

-- Full-text search over titles, descriptions, places, codes and names;
-- the "cjk" tokenizer (src/db/fts_cjk.c) indexes single characters and
-- pairs, so one- and two-character Chinese terms are found.
CREATE VIRTUAL TABLE matter_fts USING fts5(text, tokenize = 'cjk');

-- The special days of 2023-2027, generated from src/matter/calendar_cn.c
-- (test-db checks the two agree).  2027 is PROVISIONAL: no official
-- notice found; derived from the 2024 rules; an admin must amend it.
INSERT INTO calendar_day (day, kind, name) VALUES ('2022-12-31', 'rest', '元旦');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-01-01', 'rest', '元旦');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-01-02', 'rest', '元旦');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-01-21', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-01-22', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-01-23', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-01-24', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-01-25', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-01-26', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-01-27', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-01-28', 'work', '春节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-01-29', 'work', '春节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-04-05', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-04-23', 'work', '劳动节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-04-29', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-04-30', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-05-01', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-05-02', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-05-03', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-05-06', 'work', '劳动节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-06-22', 'rest', '端午节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-06-23', 'rest', '端午节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-06-24', 'rest', '端午节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-06-25', 'work', '端午节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-09-29', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-09-30', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-10-01', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-10-02', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-10-03', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-10-04', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-10-05', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-10-06', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-10-07', 'work', '中秋节、国庆节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2023-10-08', 'work', '中秋节、国庆节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-01-01', 'rest', '元旦');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-02-04', 'work', '春节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-02-10', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-02-11', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-02-12', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-02-13', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-02-14', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-02-15', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-02-16', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-02-17', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-02-18', 'work', '春节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-04-04', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-04-05', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-04-06', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-04-07', 'work', '清明节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-04-28', 'work', '劳动节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-05-01', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-05-02', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-05-03', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-05-04', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-05-05', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-05-11', 'work', '劳动节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-06-10', 'rest', '端午节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-09-14', 'work', '中秋节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-09-15', 'rest', '中秋节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-09-16', 'rest', '中秋节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-09-17', 'rest', '中秋节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-09-29', 'work', '国庆节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-10-01', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-10-02', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-10-03', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-10-04', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-10-05', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-10-06', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-10-07', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2024-10-12', 'work', '国庆节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-01-01', 'rest', '元旦');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-01-26', 'work', '春节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-01-28', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-01-29', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-01-30', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-01-31', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-02-01', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-02-02', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-02-03', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-02-04', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-02-08', 'work', '春节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-04-04', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-04-05', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-04-06', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-04-27', 'work', '劳动节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-05-01', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-05-02', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-05-03', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-05-04', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-05-05', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-05-31', 'rest', '端午节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-06-01', 'rest', '端午节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-06-02', 'rest', '端午节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-09-28', 'work', '中秋节、国庆节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-10-01', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-10-02', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-10-03', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-10-04', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-10-05', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-10-06', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-10-07', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-10-08', 'rest', '中秋节、国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2025-10-11', 'work', '中秋节、国庆节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-01-01', 'rest', '元旦');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-01-02', 'rest', '元旦');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-01-03', 'rest', '元旦');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-01-04', 'work', '元旦调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-02-14', 'work', '春节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-02-15', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-02-16', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-02-17', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-02-18', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-02-19', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-02-20', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-02-21', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-02-22', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-02-23', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-02-28', 'work', '春节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-04-04', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-04-05', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-04-06', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-05-01', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-05-02', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-05-03', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-05-04', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-05-05', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-05-09', 'work', '劳动节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-06-19', 'rest', '端午节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-06-20', 'rest', '端午节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-06-21', 'rest', '端午节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-09-20', 'work', '国庆节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-09-25', 'rest', '中秋节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-09-26', 'rest', '中秋节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-09-27', 'rest', '中秋节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-10-01', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-10-02', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-10-03', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-10-04', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-10-05', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-10-06', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-10-07', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2026-10-10', 'work', '国庆节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-01-01', 'rest', '元旦');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-01-02', 'rest', '元旦');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-01-03', 'rest', '元旦');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-01-31', 'work', '春节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-02-05', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-02-06', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-02-07', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-02-08', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-02-09', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-02-10', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-02-11', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-02-12', 'rest', '春节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-02-13', 'work', '春节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-04-03', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-04-04', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-04-05', 'rest', '清明节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-05-01', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-05-02', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-05-03', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-05-04', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-05-05', 'rest', '劳动节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-05-08', 'work', '劳动节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-06-09', 'rest', '端午节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-09-15', 'rest', '中秋节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-09-26', 'work', '国庆节调休');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-10-01', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-10-02', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-10-03', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-10-04', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-10-05', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-10-06', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-10-07', 'rest', '国庆节');
INSERT INTO calendar_day (day, kind, name) VALUES ('2027-10-09', 'work', '国庆节调休');
