-- Sessions also end after 7 days unused (shared::session): when each was last used, written at
-- most hourly. A session from before this knows only its sign-in (expires_at - 30 days).
ALTER TABLE sessions ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen = expires_at - 2592000000;

-- Wrong codes are counted per phone and address in rate_limits (shared::limits), no longer per
-- code, so tries from elsewhere cannot void a driver's code.
ALTER TABLE login_codes DROP COLUMN attempts;
