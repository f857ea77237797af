-- 0005 計畫內容 (plan text): the results report's sections 壹–參 and 伍–捌, per year. Frozen once released.
CREATE TABLE IF NOT EXISTS "plan_text" (batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "year" INTEGER, "section" VARCHAR, "position" INTEGER, "text" VARCHAR);

CREATE TABLE IF NOT EXISTS "plan_text_replaced" (replaced_by INTEGER NOT NULL, batch_id INTEGER NOT NULL, nkey VARCHAR NOT NULL, "year" INTEGER, "section" VARCHAR, "position" INTEGER, "text" VARCHAR);
