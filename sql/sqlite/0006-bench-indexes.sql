-- 0006-bench-indexes.sql: what the county-sized ledger benchmark showed was
-- missing (bench/ledger; figures in bench/RESULTS.md).

-- The ledger's filters that only open matters pass (overdue, due within 7
-- days, an open state such as 办理中) read the township's open matters,
-- newest first, instead of every matter it ever had (a few percent of the
-- rows).  The village, state and deadline ride along so that rows the
-- filter refuses are refused from the index, without reading the matter.
CREATE INDEX matter_open ON matter (township_id, id, village_id, state,
    due_on, paused_on) WHERE closed_at IS NULL;
