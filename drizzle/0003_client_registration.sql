ALTER TABLE `clients` ADD `registration` text DEFAULT 'dynamic' NOT NULL;--> statement-breakpoint
ALTER TABLE `clients` ADD `pre_approved` integer DEFAULT false NOT NULL;