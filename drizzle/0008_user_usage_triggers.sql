-- Running totals per user, so a write's quota check reads one row (see user_usage in
-- src/storage/schema.ts). Existing libraries are counted once; triggers keep the totals.
INSERT INTO `user_usage` (`user_id`, `documents`, `bytes`)
SELECT `user_id`, count(*), coalesce(sum(`size`), 0) FROM `documents` GROUP BY `user_id`;
--> statement-breakpoint
CREATE TRIGGER `documents_usage_insert` AFTER INSERT ON `documents` BEGIN
  INSERT INTO user_usage (user_id, documents, bytes) VALUES (new.user_id, 1, new.size)
  ON CONFLICT (user_id) DO UPDATE SET documents = documents + 1, bytes = bytes + new.size;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_usage_delete` AFTER DELETE ON `documents` BEGIN
  UPDATE user_usage SET documents = documents - 1, bytes = bytes - old.size
  WHERE user_id = old.user_id;
END;
--> statement-breakpoint
CREATE TRIGGER `documents_usage_update` AFTER UPDATE OF `size`, `user_id` ON `documents` BEGIN
  UPDATE user_usage SET documents = documents - 1, bytes = bytes - old.size
  WHERE user_id = old.user_id;
  INSERT INTO user_usage (user_id, documents, bytes) VALUES (new.user_id, 1, new.size)
  ON CONFLICT (user_id) DO UPDATE SET documents = documents + 1, bytes = bytes + new.size;
END;
