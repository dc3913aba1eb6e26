-- Documented report queries over the accounting schema (not a migration: Flyway only loads
-- V<N>__*.sql). They run on H2 and PostgreSQL. Times are UTC; billing reports that follow a time
-- zone and billing day are made by pfmeter itself (pfmeter billing), not by these queries.

-- Schema v5: labels are numbered in `series` (host, anchor, label); usage_5m, usage_5m_day and
-- label_counters carry the number. usage_5m holds the closed 5-minute buckets; the buckets still
-- open (normally the last few minutes of each host) are only in poll_journal, packed, so these
-- queries leave them out: pfmeter billing and usage count them.

-- Bytes and packets per label and UTC day for one host over a range: the sealed days
-- (usage_5m_day, one row a label and day; days not yet sealed are only in usage_5m).
SELECT s.anchor, s.label, d.day_start AS day_utc,
       d.bytes_in, d.bytes_out, d.bytes_in + d.bytes_out AS bytes_total,
       d.packets_in, d.packets_out
  FROM usage_5m_day d
  JOIN series s ON s.series_id = d.series_id
 WHERE s.host = 'fw1'
   AND d.day_start >= TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00'
   AND d.day_start <  TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00'
 ORDER BY s.anchor, s.label, d.day_start;

-- The busiest labels of a UTC month across the fleet, from the closed 5-minute buckets (a scan of
-- the month: usage_5m's primary key leads with the time).
SELECT s.anchor, s.label, SUM(u.bytes_in + u.bytes_out) AS bytes_total, COUNT(DISTINCT s.host) AS hosts
  FROM usage_5m u
  JOIN series s ON s.series_id = u.series_id
 WHERE u.bucket_start >= TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00'
   AND u.bucket_start <  TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00'
 GROUP BY s.anchor, s.label
 ORDER BY bytes_total DESC;

-- The 5-minute rates of one label (bit/s), the samples behind its 95th percentile: every slot in
-- which the host was polled (host_poll_slot, migration V4), 0 where the label had no row. A slot
-- nobody polled is not a sample (see accounting/README.md, "Coverage of a report").
SELECT p.slot_start, COALESCE(u.bytes_in, 0) * 8 / 300.0 AS in_bps, COALESCE(u.bytes_out, 0) * 8 / 300.0 AS out_bps
  FROM host_poll_slot p
  LEFT JOIN series s ON s.host = p.host AND s.anchor = '' AND s.label = 'web'
  LEFT JOIN usage_5m u ON u.series_id = s.series_id AND u.bucket_start = p.slot_start
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

-- How far each host's days are sealed (usage_5m_day): every UTC day before sealed_until is
-- packed, one row a label and day, and reports read those rows for it.
SELECT h.host, h.sealed_until, COUNT(d.day_start) AS day_rows
  FROM pf_host h
  LEFT JOIN series s ON s.host = h.host
  LEFT JOIN usage_5m_day d ON d.series_id = s.series_id
 GROUP BY h.host, h.sealed_until
 ORDER BY h.host;
