-- 0002 執行策略 (strategies), for the annual report, as released in 4006164. Frozen.
CREATE TABLE IF NOT EXISTS "strategies" (batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "year" INTEGER, "dimension" VARCHAR, "dim_order" INTEGER, "item" VARCHAR, "position" INTEGER, "strategy" VARCHAR, "units" VARCHAR, "results" VARCHAR);

CREATE TABLE IF NOT EXISTS "strategies_replaced" (replaced_by INTEGER NOT NULL, batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "year" INTEGER, "dimension" VARCHAR, "dim_order" INTEGER, "item" VARCHAR, "position" INTEGER, "strategy" VARCHAR, "units" VARCHAR, "results" VARCHAR);
