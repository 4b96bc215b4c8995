-- Demo data for local runs (scripts/dev, scripts/test). Never applied to production.
INSERT OR IGNORE INTO tenants (id, name, policy, support_phone) VALUES
  ('platform', '停车充电平台', 'platform', '1508888888'),
  ('baoli', '保利', 'mandatory', '4008888888'),
  -- SPEC §9's other two policies: no certification at all, and no vehicle module at all.
  ('ziyou', '自由停车', 'open', '4006666666'),
  ('jinmao', '金茂', 'hidden', '4007777777');

INSERT OR IGNORE INTO users (id, phone, tenant_id, is_operator, created_at) VALUES
  ('u-operator', '13900000000', 'platform', 1, '2026-11-01T08:00:00Z'),
  -- More operators, one per test binary and browser suite (sign-in codes are rate limited per phone).
  ('u-operator-1', '13900000001', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-2', '13900000002', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-3', '13900000003', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-4', '13900000004', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-5', '13900000005', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-6', '13900000006', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-7', '13900000007', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-8', '13900000008', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-9', '13900000009', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-10', '13900000010', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-11', '13900000011', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-12', '13900000012', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-13', '13900000013', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-14', '13900000014', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-15', '13900000015', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-16', '13900000016', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-17', '13900000017', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-18', '13900000018', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-19', '13900000019', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-20', '13900000020', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-operator-21', '13900000021', 'platform', 1, '2026-11-01T08:00:00Z'),
  ('u-alice', '13800000001', 'platform', 0, '2026-11-01T08:00:00Z'),
  ('u-bob', '13800000002', 'platform', 0, '2026-11-01T08:00:00Z'),
  ('u-carol', '13800000003', 'baoli', 0, '2026-11-01T08:00:00Z'),
  ('u-dave', '13800000004', 'ziyou', 0, '2026-11-01T08:00:00Z'),
  ('u-erin', '13800000005', 'jinmao', 0, '2026-11-01T08:00:00Z'),
  -- One user of each of those tenants per suite (sign-in codes are rate limited per phone):
  -- 1x for the HTTP tests, 2x for the browser journeys.
  ('u-open-http', '13800000014', 'ziyou', 0, '2026-11-01T08:00:00Z'),
  ('u-hidden-http', '13800000015', 'jinmao', 0, '2026-11-01T08:00:00Z'),
  ('u-open-e2e', '13800000024', 'ziyou', 0, '2026-11-01T08:00:00Z'),
  ('u-hidden-e2e', '13800000025', 'jinmao', 0, '2026-11-01T08:00:00Z');

-- The car park signs its gateway events with this key (HMAC-SHA256, API.md). The charging
-- station caps one session's fee at ¥500; the car park has the platform's default cap.
INSERT OR IGNORE INTO facilities (id, tenant_id, name, kind, secret, max_fee_fen) VALUES
  ('fac-xinghe', 'platform', '星河湾停车场', 'parking', 'dev-secret-xinghe', NULL),
  ('fac-xinghe-ev', 'platform', '星河湾充电站', 'charging', 'dev-secret-xinghe-ev', 50000);
