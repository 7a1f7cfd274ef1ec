-- 0004-visits.sql: household visits (村组干部走访登记表) and the weekly
-- round.  The petition plan says 村组干部对辖区群众每周至少走访1遍: every
-- household at least once a week; how many households one cadre must
-- visit a week it leaves to the township, hence the setting below.

-- Households a village cadre should visit each week (the plan names no
-- number; 10 is the default, a leader amends it on the coverage page).
ALTER TABLE township ADD COLUMN visit_round INTEGER NOT NULL DEFAULT 10
    CHECK (visit_round BETWEEN 1 AND 200);

-- One visit to one household.  village_id and group_id are the
-- household's at the time of the visit; visited_on is an Asia/Shanghai day.
CREATE TABLE visit (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	village_id	INTEGER NOT NULL REFERENCES village(id),
	group_id	INTEGER REFERENCES village_group(id),
	household_id	INTEGER NOT NULL REFERENCES household(id),
	visited_on	TEXT NOT NULL CHECK (length(visited_on) = 10),
	findings	TEXT NOT NULL CHECK (length(findings) BETWEEN 1 AND 2000),
	follow_up	TEXT NOT NULL DEFAULT '' CHECK (length(follow_up) <= 1000),
	matter_id	INTEGER REFERENCES matter(id),	-- a petition opened from it
	created_by	INTEGER REFERENCES account(id),
	created_at	TEXT NOT NULL
) STRICT;
-- The weekly coverage: "was this household visited between Monday and
-- Sunday" and the village's visits of a week; the list, newest first.
CREATE INDEX visit_household ON visit (household_id, visited_on);
CREATE INDEX visit_village ON visit (village_id, visited_on);
CREATE INDEX visit_township ON visit (township_id, id);

-- Who went: one or more cadres.
CREATE TABLE visit_cadre (
	visit_id	INTEGER NOT NULL REFERENCES visit(id),
	person_id	INTEGER NOT NULL REFERENCES person(id),
	PRIMARY KEY (visit_id, person_id)
) STRICT, WITHOUT ROWID;
-- A cadre's households of a week.
CREATE INDEX visit_cadre_person ON visit_cadre (person_id, visit_id);
