-- 0003-reserved.sql: a placeholder.  Number 0003 belongs to another branch's
-- migration; this file only keeps the numbers contiguous (migrate.c refuses
-- a gap) until that branch is merged.  Delete it at that merge: migrate.c
-- refuses two migrations with one number.
SELECT 1;
