-- Projections of the per-plate Durable Objects (the objects are the truth; these are indexes
-- that a rebuild recreates). Each plate's rows are replaced as a whole, guarded by its version.
CREATE TABLE plates (
  plate TEXT PRIMARY KEY,
  version INTEGER NOT NULL,          -- the aggregate's last event sequence number
  owner_id TEXT                      -- the certified owner, if any
);

CREATE TABLE vehicle_relations (
  plate TEXT NOT NULL,
  user_id TEXT NOT NULL,
  state TEXT NOT NULL,               -- added certifying certified awaiting_authorization authorized appealing notice
  notice_id TEXT,                    -- the dialog waiting for this user (申诉成功 on an owner too)
  notice_kind TEXT,
  rejection_reason TEXT,
  since INTEGER,                     -- unix ms: owner since, asked since, authorized since…
  card TEXT,                         -- JSON VehicleItem (shared::api) as 我的车辆 shows it, NULL while only a dialog
  notice TEXT,                       -- JSON NoticeItem of the waiting dialog, NULL if none
  PRIMARY KEY (plate, user_id)
);
CREATE INDEX relations_by_user ON vehicle_relations (user_id);

CREATE TABLE reviews (
  id TEXT PRIMARY KEY,               -- 闽D12337-7
  plate TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('certification', 'appeal')),
  user_id TEXT NOT NULL,
  statement TEXT NOT NULL,           -- owner name (certification) or reason (appeal)
  evidence TEXT NOT NULL,            -- JSON array of upload ids
  submitted_at INTEGER NOT NULL
);
CREATE INDEX reviews_queue ON reviews (kind, submitted_at);
CREATE INDEX reviews_by_plate ON reviews (plate);

-- The user's 默认 car: a per-user choice, not part of any plate's aggregate.
CREATE TABLE user_defaults (
  user_id TEXT PRIMARY KEY,
  plate TEXT NOT NULL
);

-- Evidence photos in R2 (key = id); only the uploader and operators may read them.
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
