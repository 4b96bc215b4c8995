-- Retention (shared::retention): which evidence photos a certification or appeal cites, and
-- when that review was decided. The plate objects' projection keeps both current.
ALTER TABLE uploads ADD COLUMN cited_by TEXT;        -- the plate whose review cites it; NULL = never cited
ALTER TABLE uploads ADD COLUMN decided_at INTEGER;   -- unix ms the citing review was decided; NULL while pending
CREATE INDEX uploads_by_user ON uploads (user_id, cited_by);
CREATE INDEX uploads_cited ON uploads (cited_by, decided_at);
CREATE INDEX messages_by_time ON messages (created_at);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Photos of pending reviews are cited by their plate; every older photo counts as decided now,
-- so nothing uploaded before this migration is deleted sooner than 180 days from today.
UPDATE uploads SET cited_by = (
  SELECT r.plate FROM reviews r, json_each(r.evidence) e WHERE e.value = uploads.id LIMIT 1
);
UPDATE uploads SET cited_by = '', decided_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE cited_by IS NULL;
