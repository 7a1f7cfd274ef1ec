-- 0003-calendar-year.sql: whether each year's holidays are the official
-- arrangement or a provisional guess, so the admin knows what to amend.

-- The State Council General Office publishes each year's arrangement
-- (部分节假日安排的通知) in late autumn of the year before.  Until then a
-- year's rows are a guess: 'provisional', shown with a notice on the
-- calendar page until the admin has checked them against the notice and
-- marked the year 'official'.  A year with no row has not been looked at.
CREATE TABLE calendar_year (
	year		INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
	status		TEXT NOT NULL
			    CHECK (status IN ('official', 'provisional')),
	source		TEXT NOT NULL DEFAULT ''
			    CHECK (length(source) <= 60),
	updated_at	TEXT NOT NULL
) STRICT;

-- The notices src/matter/calendar_cn.c was transcribed from; 2027 had none.
INSERT INTO calendar_year (year, status, source, updated_at) VALUES
    (2023, 'official', '国办发明电〔2022〕16号',
	strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    (2024, 'official', '国办发明电〔2023〕7号',
	strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    (2025, 'official', '国办发明电〔2024〕12号',
	strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    (2026, 'official', '国办发明电〔2025〕7号',
	strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    (2027, 'provisional', '按2024年修订的放假办法推算，待国务院办公厅通知发布后核对',
	strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
