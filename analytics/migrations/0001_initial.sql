-- 0001 initial schema, as released in 95d4415. Frozen: never edit; add a migration.
CREATE SEQUENCE IF NOT EXISTS batch_ids START 1;

CREATE TABLE IF NOT EXISTS batches (
            id INTEGER PRIMARY KEY, file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
            imported_at TIMESTAMP NOT NULL, "user" VARCHAR, rows BIGINT NOT NULL,
            rows_by_dataset VARCHAR NOT NULL, is_sample BOOLEAN NOT NULL DEFAULT false,
            undone_at TIMESTAMP, undone_by VARCHAR);

CREATE TABLE IF NOT EXISTS settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE IF NOT EXISTS dimensions (
            position INTEGER PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, points DOUBLE NOT NULL);

CREATE TABLE IF NOT EXISTS "case_volumes" (batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "month" DATE, "unit" VARCHAR, "case_type" VARCHAR, "channel" VARCHAR, "measure_unit" VARCHAR, "count" BIGINT, "on_time" BIGINT, "avg_days" DOUBLE, "amount" DOUBLE, "minutes_saved" DOUBLE);

CREATE TABLE IF NOT EXISTS "case_volumes_replaced" (replaced_by INTEGER NOT NULL, batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "month" DATE, "unit" VARCHAR, "case_type" VARCHAR, "channel" VARCHAR, "measure_unit" VARCHAR, "count" BIGINT, "on_time" BIGINT, "avg_days" DOUBLE, "amount" DOUBLE, "minutes_saved" DOUBLE);

CREATE TABLE IF NOT EXISTS "survey_responses" (batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "response_date" DATE, "office" VARCHAR, "q_business" TINYINT, "q_content" TINYINT, "q_environment" TINYINT, "q_equipment" TINYINT, "q_courtesy" TINYINT, "overall" TINYINT, "questionnaire_id" VARCHAR, "respondent_type" VARCHAR, "business" VARCHAR);

CREATE TABLE IF NOT EXISTS "survey_responses_replaced" (replaced_by INTEGER NOT NULL, batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "response_date" DATE, "office" VARCHAR, "q_business" TINYINT, "q_content" TINYINT, "q_environment" TINYINT, "q_equipment" TINYINT, "q_courtesy" TINYINT, "overall" TINYINT, "questionnaire_id" VARCHAR, "respondent_type" VARCHAR, "business" VARCHAR);

CREATE TABLE IF NOT EXISTS "survey_issued" (batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "year" INTEGER, "office" VARCHAR, "issued" BIGINT);

CREATE TABLE IF NOT EXISTS "survey_issued_replaced" (replaced_by INTEGER NOT NULL, batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "year" INTEGER, "office" VARCHAR, "issued" BIGINT);

CREATE TABLE IF NOT EXISTS "phone_tests" (batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "test_date" DATE, "unit" VARCHAR, "test_type" VARCHAR, "partner" VARCHAR, "round" VARCHAR, "person" VARCHAR, "total" DOUBLE, "passed" BOOLEAN);

CREATE TABLE IF NOT EXISTS "phone_tests_replaced" (replaced_by INTEGER NOT NULL, batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "test_date" DATE, "unit" VARCHAR, "test_type" VARCHAR, "partner" VARCHAR, "round" VARCHAR, "person" VARCHAR, "total" DOUBLE, "passed" BOOLEAN);

CREATE TABLE IF NOT EXISTS "phone_test_items" (batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "item" VARCHAR, "score" DOUBLE);

CREATE TABLE IF NOT EXISTS "phone_test_items_replaced" (replaced_by INTEGER NOT NULL, batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "item" VARCHAR, "score" DOUBLE);

CREATE TABLE IF NOT EXISTS "dimension_scores" (batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "year" INTEGER, "dimension" VARCHAR, "dim_order" INTEGER, "item" VARCHAR, "points" DOUBLE, "self_score" DOUBLE, "review_score" DOUBLE);

CREATE TABLE IF NOT EXISTS "dimension_scores_replaced" (replaced_by INTEGER NOT NULL, batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "year" INTEGER, "dimension" VARCHAR, "dim_order" INTEGER, "item" VARCHAR, "points" DOUBLE, "self_score" DOUBLE, "review_score" DOUBLE);

CREATE TABLE IF NOT EXISTS "targets" (batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "year" INTEGER, "metric" VARCHAR, "target" DOUBLE);

CREATE TABLE IF NOT EXISTS "targets_replaced" (replaced_by INTEGER NOT NULL, batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "year" INTEGER, "metric" VARCHAR, "target" DOUBLE);

INSERT INTO dimensions SELECT * FROM (VALUES (1, '基礎服務', 200), (2, '服務遞送', 300), (3, '服務量能', 200), (4, '服務評價', 200), (5, '開放創新', 100)) ON CONFLICT DO NOTHING;

INSERT INTO settings VALUES ('pass_mark', '80') ON CONFLICT DO NOTHING;

INSERT INTO settings VALUES ('data_version', '0') ON CONFLICT DO NOTHING;
