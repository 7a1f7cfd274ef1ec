-- 0005-reserved.sql: a placeholder.  Number 0005 belongs to another branch's
-- migration; this file only keeps the numbers contiguous up to 0006 (the
-- bench branch's) until that branch is merged.  Delete it at that merge:
-- migrate.c refuses two migrations with one number.
SELECT 1;
