-- 0004 targets may be set for the first half (上半年) as well as the whole year:
-- half = 0 (whole year, and every target stored before) or 1. Frozen once released.
ALTER TABLE targets ADD COLUMN half INTEGER DEFAULT 0;

ALTER TABLE targets_replaced ADD COLUMN half INTEGER DEFAULT 0;
