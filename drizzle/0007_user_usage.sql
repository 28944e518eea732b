CREATE TABLE `user_usage` (
	`user_id` text PRIMARY KEY NOT NULL,
	`documents` integer DEFAULT 0 NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
