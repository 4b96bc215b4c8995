-- Tenants (项目), users, car parks: what spans plates lives in D1.
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  policy TEXT NOT NULL CHECK (policy IN ('platform', 'open', 'hidden', 'mandatory')),
  support_phone TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  phone TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  is_operator INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE TABLE facilities (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('parking', 'charging')),
  -- HMAC key the car park signs its gateway events with; set per facility, never shown.
  secret TEXT NOT NULL
);
