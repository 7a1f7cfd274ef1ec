-- 0010-community.sql: 进社区、进农户 (the "three into" plan, parts 二 and 三).
-- Cadres register with the community they live in (报到) and are rated by
-- it monthly through the rating core; two 不满意 in a year put a cadre on
-- the negative list.
-- Monitored households and care recipients are paired with cadres, who
-- log their contacts; model households are nominated and chosen per year.
-- No ID numbers are collected here; names and masked phones come from the
-- person and household rows the visit ledger already keeps.

-- A residential community (社区) township cadres live in.
CREATE TABLE community (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 2 AND 40),
	created_at	TEXT NOT NULL,
	UNIQUE (township_id, name)
) STRICT;

-- 报到: a cadre registers with a community, taking a role there
-- (楼栋长, 志愿者, ...).  One open registration per cadre; a move ends it.
CREATE TABLE community_reg (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	person_id	INTEGER NOT NULL REFERENCES person(id),
	community_id	INTEGER NOT NULL REFERENCES community(id),
	registered_on	TEXT NOT NULL CHECK (length(registered_on) = 10),
	role		TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 40),
	ended_on	TEXT CHECK (ended_on IS NULL OR length(ended_on) = 10),
	created_by	INTEGER REFERENCES account(id),
	created_at	TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX community_reg_open ON community_reg (person_id)
    WHERE ended_on IS NULL;
CREATE INDEX community_reg_township ON community_reg (township_id, id);

-- One month's community satisfaction rating of a registered cadre, on the
-- national five levels.  The rating core (0008) holds the link and the
-- rating: rating_token.record_id and rating.record_id point here, with
-- purpose 'community'.  One record per cadre per month.
CREATE TABLE community_month (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	person_id	INTEGER NOT NULL REFERENCES person(id),
	community_id	INTEGER NOT NULL REFERENCES community(id),
	month		TEXT NOT NULL CHECK (length(month) = 7),
	created_at	TEXT NOT NULL,
	UNIQUE (person_id, month)
) STRICT;

-- The plan (三要): 对2次测评不满意的干部，取消评先选优资格 ... 纳入干部管理使用
-- 负面清单.  As a rule of the rating core: two ratings at or below 不满意
-- (level 2) in one calendar year put the cadre on list 'negative'; it
-- fires once per cadre and year.
INSERT INTO rating_rule (name, label, scale, purpose, level_at_or_below,
    action, threshold, period, list_name) VALUES
    ('community_negative', '社区满意度测评2次不满意', 'national', 'community',
     2, 'list', 2, 'year', 'negative');

-- 三类户 and 关爱对象: a monitored household or a cared-for person of a
-- village.  Exactly one of household_id / person_id, by category.
CREATE TABLE care_subject (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	village_id	INTEGER NOT NULL REFERENCES village(id),
	category	TEXT NOT NULL CHECK (category IN ('unstable',
			    'marginal', 'hardship', 'left_child', 'left_elder',
			    'disabled', 'child_in_need')),
	household_id	INTEGER REFERENCES household(id),
	person_id	INTEGER REFERENCES person(id),
	note		TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
	since		TEXT NOT NULL CHECK (length(since) = 10),
	ended_on	TEXT,
	created_by	INTEGER REFERENCES account(id),
	created_at	TEXT NOT NULL,
	CHECK ((household_id IS NULL) <> (person_id IS NULL))
) STRICT;
CREATE INDEX care_subject_village ON care_subject (village_id, id);
CREATE UNIQUE INDEX care_subject_household ON care_subject
    (household_id, category) WHERE household_id IS NOT NULL AND ended_on IS NULL;
CREATE UNIQUE INDEX care_subject_person ON care_subject
    (person_id, category) WHERE person_id IS NOT NULL AND ended_on IS NULL;

-- Which cadre is paired with a subject (结对帮扶), with history.
CREATE TABLE care_pair (
	id		INTEGER PRIMARY KEY,
	subject_id	INTEGER NOT NULL REFERENCES care_subject(id),
	person_id	INTEGER NOT NULL REFERENCES person(id),
	started_on	TEXT NOT NULL CHECK (length(started_on) = 10),
	ended_on	TEXT,
	created_by	INTEGER REFERENCES account(id),
	created_at	TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX care_pair_open ON care_pair (subject_id)
    WHERE ended_on IS NULL;
CREATE INDEX care_pair_person ON care_pair (person_id);

-- A contact with a subject: a home visit, a call, ...
CREATE TABLE care_contact (
	id		INTEGER PRIMARY KEY,
	subject_id	INTEGER NOT NULL REFERENCES care_subject(id),
	person_id	INTEGER NOT NULL REFERENCES person(id),	-- the cadre
	contacted_on	TEXT NOT NULL CHECK (length(contacted_on) = 10),
	way		TEXT NOT NULL CHECK (way IN ('visit', 'phone', 'video',
			    'other')),
	note		TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 1000),
	follow_up	TEXT NOT NULL DEFAULT '' CHECK (length(follow_up) <= 500),
	created_by	INTEGER REFERENCES account(id),
	created_at	TEXT NOT NULL
) STRICT;
CREATE INDEX care_contact_subject ON care_contact (subject_id, contacted_on);

-- Model households (美丽庭院, 文明家庭, ...): nominated by the village,
-- chosen by the township, per year.
CREATE TABLE model_household (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	village_id	INTEGER NOT NULL REFERENCES village(id),
	household_id	INTEGER NOT NULL REFERENCES household(id),
	year		INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	category	TEXT NOT NULL CHECK (category IN ('courtyard', 'family',
			    'mother_in_law', 'daughter_in_law', 'prosperity',
			    'unity')),
	reason		TEXT NOT NULL CHECK (length(reason) BETWEEN 2 AND 500),
	chosen		INTEGER NOT NULL DEFAULT 0 CHECK (chosen IN (0, 1)),
	nominated_by	INTEGER REFERENCES account(id),
	nominated_at	TEXT NOT NULL,
	chosen_at	TEXT,
	UNIQUE (household_id, year, category)
) STRICT;
CREATE INDEX model_household_year ON model_household (township_id, year);
