-- Sign-in: one pending code per phone, server-side sessions, fixed-window rate limits.
CREATE TABLE login_codes (
  phone TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL,      -- HMAC(SESSION_SECRET, phone:code); the code itself is never stored
  expires_at INTEGER NOT NULL,  -- unix ms
  attempts INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,  -- HMAC(SESSION_SECRET, token); the cookie carries the token
  user_id TEXT NOT NULL REFERENCES users (id),
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,         -- e.g. code:13800000001
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL
);
