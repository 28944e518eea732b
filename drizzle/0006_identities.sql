CREATE TABLE `identities` (
	`issuer` text NOT NULL,
	`subject` text NOT NULL,
	`provider` text NOT NULL,
	`user_id` text NOT NULL,
	`email` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`issuer`, `subject`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `identities_user` ON `identities` (`user_id`);--> statement-breakpoint
CREATE TABLE `upstream_sign_ins` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`browser_hash` text NOT NULL,
	`code_verifier` text NOT NULL,
	`nonce` text NOT NULL,
	`return_to` text NOT NULL,
	`client_id` text,
	`scope` text,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
-- Existing local accounts become password identities (hand-written: drizzle-kit does not move data).
INSERT INTO `identities` (`issuer`, `subject`, `provider`, `user_id`, `email`, `created_at`)
SELECT 'folio:password', `id`, 'password', `id`, `email`, `created_at` FROM `users`
WHERE `password_hash` IS NOT NULL;
