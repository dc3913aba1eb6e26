-- The ledger adds each poll's deltas with
--   UPDATE usage_* ... WHERE host = ? AND anchor = ? AND label = ? AND bucket_start = ?
-- H2's planner chose the one-column bucket_start index for that statement (it ties with the
-- primary key on its cost model) and then filtered every row of the bucket: with 5,000 labels a
-- poll took about 14 s. Widening the bucket index to the whole key makes either index a unique
-- lookup, and the range scans by time (billing, retention) still use its leading column.
DROP INDEX ix_usage_5m_bucket;
CREATE INDEX ix_usage_5m_bucket ON usage_5m (bucket_start, host, anchor, label);
DROP INDEX ix_usage_1h_bucket;
CREATE INDEX ix_usage_1h_bucket ON usage_1h (bucket_start, host, anchor, label);
DROP INDEX ix_usage_1d_bucket;
CREATE INDEX ix_usage_1d_bucket ON usage_1d (bucket_start, host, anchor, label);
