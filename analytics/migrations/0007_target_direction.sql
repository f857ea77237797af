-- 0007 a target's side: 1 以上 (met at or above), -1 以下 (met at or below); NULL: the KPI's
-- default (its better direction; at least, for workload). Frozen once released.
ALTER TABLE targets ADD COLUMN direction INTEGER;

ALTER TABLE targets_replaced ADD COLUMN direction INTEGER;
