-- 0003 配分 (full marks) of each phone-test item as the sheet gives it, so the weakest
-- item is ranked by its share of full marks. Frozen once released.
ALTER TABLE phone_test_items ADD COLUMN points DOUBLE;

ALTER TABLE phone_test_items_replaced ADD COLUMN points DOUBLE;
