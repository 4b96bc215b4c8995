-- Parking and charging (SPEC §6–§8). Orders, coupons and gateway events live in each plate's
-- Durable Object; wallets in each user's. D1 holds what is read across plates.

-- Each user's inbox (SPEC §7). Rows come from the plate objects' outboxes; the id is theirs,
-- so a repeated delivery changes nothing.
CREATE TABLE messages (
  id TEXT PRIMARY KEY,               -- m-闽D12337-7
  user_id TEXT NOT NULL,
  plate TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('entry', 'exit', 'payment', 'other')),
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,       -- unix ms
  read INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_by_user ON messages (user_id, created_at);
CREATE INDEX messages_unread ON messages (user_id, read);

-- Who paid which order: the payer sees that order even without a relation to the plate.
CREATE TABLE order_payers (
  order_id TEXT PRIMARY KEY,
  plate TEXT NOT NULL,
  payer_id TEXT NOT NULL
);
CREATE INDEX order_payers_by_payer ON order_payers (payer_id);
