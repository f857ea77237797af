-- 0006 流程變更 (process changes): from which month, for which KPI (or all), optionally one case type, and what changed; a process behaviour chart's limits restart there. Frozen once released.
CREATE TABLE IF NOT EXISTS "process_changes" (batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "month" DATE, "metric" VARCHAR, "series" VARCHAR, "description" VARCHAR);

CREATE TABLE IF NOT EXISTS "process_changes_replaced" (replaced_by INTEGER NOT NULL, batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "month" DATE, "metric" VARCHAR, "series" VARCHAR, "description" VARCHAR);
