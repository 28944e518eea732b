-- Full-text index over documents (SQLite FTS5, external content). unicode61 with
-- remove_diacritics 2 folds case and accents, so "cafe" finds "Café".
CREATE VIRTUAL TABLE `documents_fts` USING fts5(
  title, body,
  content='documents', content_rowid='seq',
  tokenize='unicode61 remove_diacritics 2',
  prefix='2 3'
);
--> statement-breakpoint
CREATE TRIGGER `documents_fts_insert` AFTER INSERT ON `documents` BEGIN
  INSERT INTO documents_fts(rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `documents_fts_delete` AFTER DELETE ON `documents` BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, body)
  VALUES ('delete', old.seq, old.title, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `documents_fts_update` AFTER UPDATE OF title, body ON `documents` BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, body)
  VALUES ('delete', old.seq, old.title, old.body);
  INSERT INTO documents_fts(rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
