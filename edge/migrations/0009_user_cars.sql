-- When each user added each of their cars (SPEC §5: when the default car leaves the list, the
-- most recently added remaining one takes its place). Rows of cars that left are swept when the
-- list is read.
CREATE TABLE user_cars (
  user_id TEXT NOT NULL,
  plate TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, plate)
);
