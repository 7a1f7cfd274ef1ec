-- 0008-ratings.sql: one rating mechanism (scales, single-use tokens,
-- ratings, rules as data, rule firings) and the window service (好差评):
-- windows with A and B staff, service records.

-- A scale and its levels.  Levels are numbered from the best down, so a
-- rule says "level at or below N"; "bad" marks the bad reviews (差评).
CREATE TABLE rating_scale (
	name		TEXT PRIMARY KEY,
	label		TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE rating_level (
	scale		TEXT NOT NULL REFERENCES rating_scale(name),
	level		INTEGER NOT NULL CHECK (level BETWEEN 1 AND 9),
	label		TEXT NOT NULL,
	bad		INTEGER NOT NULL CHECK (bad IN (0, 1)),
	PRIMARY KEY (scale, level)
) STRICT, WITHOUT ROWID;

INSERT INTO rating_scale (name, label) VALUES
    ('national', '政务服务好差评（五级）'),
    ('enterprise', '企业评价（四级）');
INSERT INTO rating_level (scale, level, label, bad) VALUES
    ('national', 5, '非常满意', 0),
    ('national', 4, '满意', 0),
    ('national', 3, '基本满意', 0),
    ('national', 2, '不满意', 1),
    ('national', 1, '非常不满意', 1),
    ('enterprise', 4, '满意', 0),
    ('enterprise', 3, '基本满意', 0),
    ('enterprise', 2, '一般', 1),
    ('enterprise', 1, '不满意', 1);

-- The reasons a bad review may pick (the picker shows only for bad levels).
CREATE TABLE rating_reason (
	scale		TEXT NOT NULL REFERENCES rating_scale(name),
	code		TEXT NOT NULL,
	label		TEXT NOT NULL,
	sort		INTEGER NOT NULL,
	PRIMARY KEY (scale, code)
) STRICT, WITHOUT ROWID;

INSERT INTO rating_reason (scale, code, label, sort) VALUES
    ('national', 'slow', '办理时间长、效率低', 1),
    ('national', 'runs', '多次跑腿、材料反复要', 2),
    ('national', 'attitude', '态度生硬、不耐心', 3),
    ('national', 'unclear', '政策解释不清楚', 4),
    ('national', 'absent', '窗口无人、找不到人', 5),
    ('national', 'unfair', '办事不公、吃拿卡要', 6),
    ('national', 'other', '其他', 9),
    ('enterprise', 'no_visit', '很少上门、联系不上', 1),
    ('enterprise', 'unsolved', '反映的问题没有解决', 2),
    ('enterprise', 'slow', '办事拖沓、效率低', 3),
    ('enterprise', 'attitude', '态度不好', 4),
    ('enterprise', 'other', '其他', 9);

-- A rating link: the token itself is never stored, only its SHA-256.
-- Single use (used_at), expiring (expires_at), revocable (revoked_at).
-- "purpose" names the module's hook (rating.c purposes[]); "aspect" tells
-- apart the two ratings of one visit (一事两评: service, conduct); a token
-- with "pair_id" is rated on the page of the token it names and has no
-- link of its own.
CREATE TABLE rating_token (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	token_hash	BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	scale		TEXT NOT NULL REFERENCES rating_scale(name),
	purpose		TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 32),
	aspect		TEXT NOT NULL DEFAULT '' CHECK (length(aspect) <= 16),
	subject_kind	TEXT NOT NULL CHECK (length(subject_kind) BETWEEN 1 AND 32),
	subject_id	INTEGER NOT NULL,
	village_id	INTEGER REFERENCES village(id),
	record_id	INTEGER,
	pair_id		INTEGER REFERENCES rating_token(id),
	issued_by	INTEGER REFERENCES account(id),
	issued_at	TEXT NOT NULL,
	expires_at	TEXT NOT NULL,
	used_at		TEXT,
	revoked_at	TEXT
) STRICT;
CREATE INDEX rating_token_record ON rating_token (purpose, record_id)
    WHERE record_id IS NOT NULL;
CREATE INDEX rating_token_pair ON rating_token (pair_id)
    WHERE pair_id IS NOT NULL;

-- One rating per token (UNIQUE), whatever the number of servers.
CREATE TABLE rating (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	token_id	INTEGER NOT NULL UNIQUE REFERENCES rating_token(id),
	scale		TEXT NOT NULL,
	level		INTEGER NOT NULL,
	purpose		TEXT NOT NULL,
	aspect		TEXT NOT NULL DEFAULT '',
	subject_kind	TEXT NOT NULL,
	subject_id	INTEGER NOT NULL,
	village_id	INTEGER REFERENCES village(id),
	record_id	INTEGER,
	reason		TEXT NOT NULL DEFAULT '',
	comment		TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 500),
	created_at	TEXT NOT NULL,
	day		TEXT NOT NULL,	-- Asia/Shanghai, for periods
	voided_at	TEXT,		-- an upheld appeal (申诉成立) takes it out
	void_reason	TEXT NOT NULL DEFAULT '',
	FOREIGN KEY (scale, level) REFERENCES rating_level(scale, level)
) STRICT;
CREATE INDEX rating_subject ON rating (subject_kind, subject_id, day);
CREATE INDEX rating_purpose ON rating (township_id, purpose, day);
CREATE INDEX rating_record ON rating (record_id) WHERE record_id IS NOT NULL;

-- Rules as data.  A rule watches the ratings of one purpose on one scale
-- at or below a level, and either opens a matter of "matter_type" for the
-- subject's supervisor (as the purpose's hook names them), or, when
-- "threshold" such ratings of one subject fall in one period, puts the
-- subject on the list "list_name".
CREATE TABLE rating_rule (
	id		INTEGER PRIMARY KEY,
	name		TEXT NOT NULL UNIQUE,
	label		TEXT NOT NULL,
	scale		TEXT NOT NULL REFERENCES rating_scale(name),
	purpose		TEXT NOT NULL,
	level_at_or_below INTEGER NOT NULL CHECK (level_at_or_below BETWEEN 1 AND 9),
	action		TEXT NOT NULL CHECK (action IN ('open_matter', 'list')),
	matter_type	TEXT,
	target		TEXT CHECK (target IN ('supervisor', 'subject')),
	threshold	INTEGER CHECK (threshold BETWEEN 1 AND 100),
	period		TEXT CHECK (period IN ('month', 'year')),
	list_name	TEXT,
	active		INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	CHECK ((action = 'open_matter' AND matter_type IS NOT NULL AND
	    target IS NOT NULL) OR (action = 'list' AND threshold IS NOT NULL
	    AND period IS NOT NULL AND list_name IS NOT NULL))
) STRICT;

-- A bad window review opens one rectification (差评整改) per service
-- record, whichever of its two ratings was bad.
INSERT INTO rating_rule (name, label, scale, purpose, level_at_or_below,
    action, matter_type, target) VALUES
    ('window_bad_review', '窗口服务差评整改', 'national', 'window', 2,
     'open_matter', 'rectification', 'supervisor');

-- Each rule fires once per trigger: the UNIQUE key is the rule and the
-- trigger (a record or rating for matters; subject and period for lists),
-- so two servers and two concurrent ratings cannot fire it twice.
CREATE TABLE rating_firing (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	rule_id		INTEGER NOT NULL REFERENCES rating_rule(id),
	trigger_key	TEXT NOT NULL,
	rating_id	INTEGER NOT NULL REFERENCES rating(id),
	subject_kind	TEXT NOT NULL,
	subject_id	INTEGER NOT NULL,
	period		TEXT NOT NULL DEFAULT '',
	list_name	TEXT,
	matter_id	INTEGER REFERENCES matter(id),
	created_at	TEXT NOT NULL,
	UNIQUE (rule_id, trigger_key)
) STRICT;
CREATE INDEX rating_firing_subject ON rating_firing (subject_kind, subject_id);
CREATE INDEX rating_firing_matter ON rating_firing (matter_id)
    WHERE matter_id IS NOT NULL;

-- Windows of the township service centre (village_id NULL) and of the
-- village service stations, each with an A and a B post (AB岗).  "code"
-- is the public name of the window's posted QR code (/w/<code>).
CREATE TABLE service_window (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	village_id	INTEGER REFERENCES village(id),
	name		TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
	items		TEXT NOT NULL DEFAULT '' CHECK (length(items) <= 200),
	code		TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 8 AND 32),
	lead_id		INTEGER REFERENCES person(id),
	a_id		INTEGER NOT NULL REFERENCES person(id),
	b_id		INTEGER NOT NULL REFERENCES person(id),
	a_absent	INTEGER NOT NULL DEFAULT 0 CHECK (a_absent IN (0, 1)),
	absent_note	TEXT NOT NULL DEFAULT '',
	active		INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at	TEXT NOT NULL,
	updated_at	TEXT NOT NULL,
	CHECK (a_id <> b_id),
	UNIQUE (township_id, name)
) STRICT;

-- One finished request at a window.  The citizen's name is kept masked
-- only (张**); "eval_code" is the six digits the citizen types on the
-- window's posted QR page to rate this visit.
CREATE TABLE service_record (
	id		INTEGER PRIMARY KEY,
	township_id	INTEGER NOT NULL REFERENCES township(id),
	window_id	INTEGER NOT NULL REFERENCES service_window(id),
	village_id	INTEGER REFERENCES village(id),
	item		TEXT NOT NULL CHECK (length(item) BETWEEN 1 AND 60),
	citizen_mask	TEXT NOT NULL CHECK (length(citizen_mask) BETWEEN 1 AND 20),
	handler_id	INTEGER NOT NULL REFERENCES person(id),
	post		TEXT NOT NULL CHECK (post IN ('A', 'B')),
	eval_code	TEXT NOT NULL CHECK (length(eval_code) = 6),
	finished_at	TEXT NOT NULL,
	created_by	INTEGER REFERENCES account(id),
	created_at	TEXT NOT NULL
) STRICT;
CREATE INDEX service_record_window ON service_record (window_id, finished_at);
CREATE INDEX service_record_code ON service_record (window_id, eval_code);
