-- 0008 a sub-item's place in its sheet (the n-th data row), so that 構面評分 lists a
-- dimension's sub-items in the file's order — (一) (二) (三) — rather than sorted by
-- name, which put (三) before (二). NULL for rows imported before it: those sort by name
-- after the numbered ones. Frozen once released.
ALTER TABLE dimension_scores ADD COLUMN "position" INTEGER;

ALTER TABLE dimension_scores_replaced ADD COLUMN "position" INTEGER;
