-- WeChat sign-in (公众号网页授权): each openid belongs to one user and a user has at most one;
-- the unionid is kept when WeChat gives it (a 公众号 bound to 开放平台).
CREATE TABLE wechat_identities (
  openid TEXT PRIMARY KEY,
  unionid TEXT,
  user_id TEXT NOT NULL UNIQUE REFERENCES users (id),
  bound_at INTEGER NOT NULL
);

-- The `state` of each authorize round trip that came back, so a replayed callback is refused;
-- rows outlive the state cookie (10 minutes) and are swept by the hourly retention job.
CREATE TABLE oauth_states (
  nonce TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
