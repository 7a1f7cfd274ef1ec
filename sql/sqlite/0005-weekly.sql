-- 0005-weekly.sql: the weekly petition ledger submission (每周五12:00前报送).
--
-- A reporting week is named by its Monday ('YYYY-MM-DD', Asia/Shanghai).
-- Its deadline is that week's Friday 12:00, and it covers the period from
-- the deadline before (Friday 12:00 a week earlier) up to its own, so
-- every moment belongs to exactly one week (see src/petition/weekly_db.h).
--
-- Each village and each station submits its petition ledger once a week;
-- a submission freezes the ledger rows as they stood (weekly_row, never
-- changed).  A new submission before the deadline replaces the current
-- one, which stays on file with replaced_at/replaced_by set.

CREATE TABLE weekly_submission (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	week		TEXT NOT NULL CHECK (length(week) = 10),
	kind		TEXT NOT NULL CHECK (kind IN ('village', 'unit')),
	village_id	INTEGER REFERENCES village(id),
	unit_id		INTEGER REFERENCES unit(id),
	submitter	TEXT NOT NULL,		-- the village or unit name then
	submitted_by	INTEGER REFERENCES account(id),
	person_id	INTEGER REFERENCES person(id),
	submitted_name	TEXT NOT NULL,		-- who, as shown then
	submitted_at	TEXT NOT NULL,
	deadline_at	TEXT NOT NULL,
	period_from	TEXT NOT NULL,
	late		INTEGER NOT NULL CHECK (late IN (0, 1)),
	row_count	INTEGER NOT NULL CHECK (row_count >= 0),
	note		TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
	replaced_at	TEXT,
	replaced_by	INTEGER REFERENCES weekly_submission(id),
	CHECK ((kind = 'village') = (village_id IS NOT NULL)),
	CHECK ((kind = 'unit') = (unit_id IS NOT NULL))
) STRICT;
-- One current submission per submitter and week.
CREATE UNIQUE INDEX weekly_submission_current ON weekly_submission
    (township_id, week, kind, coalesce(village_id, unit_id))
    WHERE replaced_at IS NULL;
CREATE INDEX weekly_submission_week ON weekly_submission
    (township_id, week, kind, village_id, unit_id);

-- Only the replacement marks may be set, and each only once.
CREATE TRIGGER weekly_submission_frozen BEFORE UPDATE OF id, township_id,
    week, kind, village_id, unit_id, submitter, submitted_by, person_id,
    submitted_name, submitted_at, deadline_at, period_from, late, row_count,
    note ON weekly_submission
BEGIN
	SELECT RAISE(ABORT, 'a weekly submission is frozen');
END;
CREATE TRIGGER weekly_submission_replaced_once BEFORE UPDATE OF replaced_at,
    replaced_by ON weekly_submission
    WHEN (OLD.replaced_at IS NOT NULL AND
    NEW.replaced_at IS NOT OLD.replaced_at) OR
    (OLD.replaced_by IS NOT NULL AND NEW.replaced_by IS NOT OLD.replaced_by)
BEGIN
	SELECT RAISE(ABORT, 'a weekly submission is replaced once');
END;
CREATE TRIGGER weekly_submission_no_delete BEFORE DELETE ON weekly_submission
BEGIN
	SELECT RAISE(ABORT, 'a weekly submission is frozen');
END;

-- The frozen ledger rows: the columns of the petition ledger, as text
-- already labelled (state, source, closing in Chinese), as they stood.
CREATE TABLE weekly_row (
	submission_id	INTEGER NOT NULL REFERENCES weekly_submission(id),
	seq		INTEGER NOT NULL CHECK (seq >= 1),
	matter_id	INTEGER NOT NULL,
	code		TEXT NOT NULL,
	petitioner	TEXT NOT NULL,
	phone_mask	TEXT NOT NULL,
	opened_at	TEXT NOT NULL,
	source		TEXT NOT NULL,
	title		TEXT NOT NULL,
	village		TEXT NOT NULL,
	unit		TEXT NOT NULL,
	lead		TEXT NOT NULL,
	resolver	TEXT NOT NULL,
	state		TEXT NOT NULL,
	due_on		TEXT NOT NULL,
	closed_at	TEXT NOT NULL,
	closing		TEXT NOT NULL,
	key_matter	INTEGER NOT NULL CHECK (key_matter IN (0, 1)),
	week_new	INTEGER NOT NULL CHECK (week_new IN (0, 1)),
	week_closed	INTEGER NOT NULL CHECK (week_closed IN (0, 1)),
	overdue		INTEGER NOT NULL CHECK (overdue IN (0, 1)),
	PRIMARY KEY (submission_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER weekly_row_no_update BEFORE UPDATE ON weekly_row
BEGIN
	SELECT RAISE(ABORT, 'a weekly snapshot is frozen');
END;
CREATE TRIGGER weekly_row_no_delete BEFORE DELETE ON weekly_row
BEGIN
	SELECT RAISE(ABORT, 'a weekly snapshot is frozen');
END;

-- The weekly report of one township reads the petitions still open and
-- those closed since the week began, from this index alone (no table
-- rows): a county-sized ledger of 1,000,000 matters answers one
-- township's week in milliseconds.  The unit's ledger needs its own
-- index as the village's has matter_village.
CREATE INDEX matter_week ON matter (township_id, type, closed_at, opened_at,
    village_id, unit_id, due_on, paused_on);
CREATE INDEX matter_unit ON matter (unit_id, id);
