-- Documented report queries over the accounting schema (not a migration: Flyway only loads
-- V<N>__*.sql). They run on H2 and PostgreSQL. Times are UTC; billing reports that follow a time
-- zone and billing day are made by pfmeter itself (pfmeter billing), not by these queries.

-- Bytes and packets per label and UTC day for one host over a range (daily rollups).
SELECT anchor, label, bucket_start AS day_utc,
       bytes_in, bytes_out, bytes_in + bytes_out AS bytes_total,
       packets_in, packets_out
  FROM usage_1d
 WHERE host = 'fw1'
   AND bucket_start >= TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00'
   AND bucket_start <  TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00'
 ORDER BY anchor, label, bucket_start;

-- The busiest labels of a UTC month across the fleet.
SELECT anchor, label, SUM(bytes_in + bytes_out) AS bytes_total, COUNT(DISTINCT host) AS hosts
  FROM usage_1d
 WHERE bucket_start >= TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00'
   AND bucket_start <  TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00'
 GROUP BY anchor, label
 ORDER BY bytes_total DESC;

-- The 5-minute rates of one label (bit/s), the samples behind its 95th percentile: every slot in
-- which the host was polled (host_poll_slot, migration V4), 0 where the label had no row. A slot
-- nobody polled is not a sample (see accounting/README.md, "Coverage of a report").
SELECT p.slot_start, COALESCE(u.bytes_in, 0) * 8 / 300.0 AS in_bps, COALESCE(u.bytes_out, 0) * 8 / 300.0 AS out_bps
  FROM host_poll_slot p
  LEFT JOIN usage_5m u ON u.host = p.host AND u.anchor = '' AND u.label = 'web' AND u.bucket_start = p.slot_start
 WHERE p.host = 'fw1'
   AND p.slot_start >= TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00'
   AND p.slot_start <  TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00'
 ORDER BY p.slot_start;

-- How much of a month each host was polled: 5-minute slots with a poll (8,928 in a 31-day month).
SELECT host, COUNT(*) AS polled_slots
  FROM host_poll_slot
 WHERE slot_start >= TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00'
   AND slot_start <  TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00'
 GROUP BY host;

-- Why a label's counters were taken as a new start (reloads, pfctl -z, restarts): the audit trail.
SELECT event_at, kind, anchor, label, detail
  FROM ledger_event
 WHERE host = 'fw1'
 ORDER BY event_at DESC;

-- How fresh each host's accounting is (a stale host: its pfmeter is down or cannot write).
SELECT host, last_polled_at, ruleset_checksum FROM pf_host ORDER BY host;

-- How far each host's days are sealed (usage_5m_day, migration V3): every UTC day before
-- sealed_until is packed, one row a label and day, and reports read those rows for it.
SELECT h.host, h.sealed_until, COUNT(d.day_start) AS day_rows
  FROM pf_host h LEFT JOIN usage_5m_day d ON d.host = h.host
 GROUP BY h.host, h.sealed_until
 ORDER BY h.host;
