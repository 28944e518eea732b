UPDATE documents SET size = length(CAST(body AS BLOB));
--> statement-breakpoint
-- Documents that existed before versions were kept get their current text as version 1.
INSERT INTO document_versions (document_id, version, title, body, folder, tags, action,
  changed_by, changed_at)
SELECT id, version, title, body, folder, tags, 'create', 'migration', updated_at FROM documents;
--> statement-breakpoint
-- The index now reads a view: search_title/search_body when set (CJK text split into one
-- token per character with zero-width spaces), the text itself otherwise. unicode61 with
-- remove_diacritics 2 still folds case and accents.
DROP TRIGGER `documents_fts_insert`;
--> statement-breakpoint
DROP TRIGGER `documents_fts_delete`;
--> statement-breakpoint
DROP TRIGGER `documents_fts_update`;
--> statement-breakpoint
DROP TABLE `documents_fts`;
--> statement-breakpoint
CREATE VIEW `documents_search` AS
SELECT seq, coalesce(search_title, title) AS title, coalesce(search_body, body) AS body
FROM documents;
--> statement-breakpoint
CREATE VIRTUAL TABLE `documents_fts` USING fts5(
  title, body,
  content='documents_search', content_rowid='seq',
  tokenize='unicode61 remove_diacritics 2',
  prefix='2 3'
);
--> statement-breakpoint
INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `documents_fts_insert` AFTER INSERT ON `documents` BEGIN
  INSERT INTO documents_fts(rowid, title, body) VALUES (
    new.seq, coalesce(new.search_title, new.title), coalesce(new.search_body, new.body));
END;
--> statement-breakpoint
CREATE TRIGGER `documents_fts_delete` AFTER DELETE ON `documents` BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, body) VALUES ('delete',
    old.seq, coalesce(old.search_title, old.title), coalesce(old.search_body, old.body));
END;
--> statement-breakpoint
CREATE TRIGGER `documents_fts_update`
AFTER UPDATE OF title, body, search_title, search_body ON `documents` BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, body) VALUES ('delete',
    old.seq, coalesce(old.search_title, old.title), coalesce(old.search_body, old.body));
  INSERT INTO documents_fts(rowid, title, body) VALUES (
    new.seq, coalesce(new.search_title, new.title), coalesce(new.search_body, new.body));
END;
