-- 0003-roster.sql: the reception duty roster (领导干部接访下访活动安排表).
-- One row is one leader's reception duty on one day, published in advance
-- on the public page.  "post" is the post as the roster shows it (copied
-- when the row is made, so a later change of post leaves the published
-- roster as it was); "time_text" is free text such as 上午9:00-12:00.
-- Rows are deleted as plans change, so ids are AUTOINCREMENT: an id named
-- in the audit log never comes back as another duty.

CREATE TABLE roster_duty (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	day		TEXT NOT NULL CHECK (length(day) = 10),
	leader_id	INTEGER NOT NULL REFERENCES person(id),
	post		TEXT NOT NULL CHECK (length(post) BETWEEN 1 AND 40),
	duties		TEXT NOT NULL DEFAULT '' CHECK (length(duties) <= 100),
	time_text	TEXT NOT NULL CHECK (length(time_text) BETWEEN 1 AND 40),
	place		TEXT NOT NULL CHECK (length(place) BETWEEN 1 AND 60),
	form		TEXT NOT NULL CHECK (form IN ('visit_duty', 'classified',
			    'appointment', 'down_visit')),
	note		TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 200),
	created_by	INTEGER REFERENCES account(id),
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL,
	UNIQUE (township_id, day, leader_id, time_text)
) STRICT;
CREATE INDEX roster_duty_leader ON roster_duty (leader_id, day);
