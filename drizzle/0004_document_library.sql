CREATE TABLE `document_versions` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` text NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`folder` text NOT NULL,
	`tags` text NOT NULL,
	`action` text NOT NULL,
	`changed_by` text NOT NULL,
	`changed_at` integer NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `document_versions_document` ON `document_versions` (`document_id`,`version`);--> statement-breakpoint
ALTER TABLE `documents` ADD `size` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `folder` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `tags` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `documents` ADD `origin_id` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `search_title` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `search_body` text;--> statement-breakpoint
CREATE INDEX `documents_user_folder` ON `documents` (`user_id`,`folder`);--> statement-breakpoint
CREATE INDEX `documents_user_origin` ON `documents` (`user_id`,`origin_id`);--> statement-breakpoint
CREATE INDEX `documents_user_size` ON `documents` (`user_id`,`size`);