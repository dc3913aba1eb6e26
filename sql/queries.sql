-- Documented report queries over the accounting schema v5 (not a migration: Flyway only loads
-- V<N>__*.sql). They run on H2 and PostgreSQL. Times are UTC; billing reports that follow a time
-- zone and billing day are made by pfmeter itself (pfmeter billing), not by these queries. The
-- host 'fw1', the label 'web' and the dates are examples.
--
-- Schema v5 (V5__series_ids_poll_journal.sql): the label tables carry a series_id; the host,
-- anchor and label of a series are in `series`. Since v6 (V6__series_kind.sql) a series may also be
-- a table's or a table entry's (series.kind 'table', 'address'): label queries select
-- kind = 'label'. What the ledger holds per label:
--   usage_5m      closed 5-minute buckets, one row per series and bucket that moved;
--   usage_5m_day  sealed UTC days (every day before pf_host.sealed_until), one row per series and
--                 day with the day's sums in bytes_in, bytes_out, packets_in, packets_out;
--   poll_journal  the polls of the buckets still open (the last few minutes), packed in a binary
--                 format (JournalCodec) that SQL cannot read: they are in neither table yet.
-- pfmeter billing and usage add the open buckets; these queries leave them out.
--
-- After an upgrade to v5, usage_5m_day starts empty and sealed_until is NULL: the ledger seals the
-- days again from usage_5m, one day per closed bucket. The daily queries below therefore take the
-- sealed days from usage_5m_day and the other days from usage_5m. "x AT TIME ZONE 'UTC'" keeps the
-- day boundaries in UTC whatever the session's time zone (PostgreSQL returns a TIMESTAMP there).

-- Bytes and packets per label and UTC day for one host over a range (daily totals).
SELECT anchor, label, day_utc, SUM(bytes_in) AS bytes_in, SUM(bytes_out) AS bytes_out,
       SUM(bytes_in) + SUM(bytes_out) AS bytes_total, SUM(packets_in) AS packets_in, SUM(packets_out) AS packets_out
  FROM (SELECT s.anchor, s.label, d.day_start AT TIME ZONE 'UTC' AS day_utc,
               d.bytes_in, d.bytes_out, d.packets_in, d.packets_out
          FROM usage_5m_day d
          JOIN series s ON s.series_id = d.series_id
         WHERE s.host = 'fw1' AND s.kind = 'label'
           AND d.day_start >= TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00'
           AND d.day_start <  TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00'
        UNION ALL
        SELECT s.anchor, s.label, DATE_TRUNC('DAY', u.bucket_start AT TIME ZONE 'UTC') AS day_utc,
               u.bytes_in, u.bytes_out, u.packets_in, u.packets_out
          FROM usage_5m u
          JOIN series s ON s.series_id = u.series_id
          JOIN pf_host h ON h.host = s.host
         WHERE s.host = 'fw1' AND s.kind = 'label'
           AND u.bucket_start >= TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00'
           AND u.bucket_start <  TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00'
           AND (h.sealed_until IS NULL OR u.bucket_start >= h.sealed_until)) days
 GROUP BY anchor, label, day_utc
 ORDER BY anchor, label, day_utc;

-- The busiest labels of a UTC month across the fleet.
SELECT anchor, label, SUM(bytes_total) AS bytes_total, COUNT(DISTINCT host) AS hosts
  FROM (SELECT s.host, s.anchor, s.label, d.bytes_in + d.bytes_out AS bytes_total
          FROM usage_5m_day d
          JOIN series s ON s.series_id = d.series_id
         WHERE s.kind = 'label'
           AND d.day_start >= TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00'
           AND d.day_start <  TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00'
        UNION ALL
        SELECT s.host, s.anchor, s.label, u.bytes_in + u.bytes_out AS bytes_total
          FROM usage_5m u
          JOIN series s ON s.series_id = u.series_id
          JOIN pf_host h ON h.host = s.host
         WHERE s.kind = 'label'
           AND u.bucket_start >= TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00'
           AND u.bucket_start <  TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00'
           AND (h.sealed_until IS NULL OR u.bucket_start >= h.sealed_until)) moved
 GROUP BY anchor, label
 ORDER BY bytes_total DESC;

-- The 5-minute rates of one label (bit/s), the samples behind its 95th percentile: every slot in
-- which the host was polled (host_poll_slot, migration V4), 0 where the label had no row. A slot
-- nobody polled is not a sample (see accounting/README.md, "Coverage of a report"). usage_5m keeps
-- the rows of a sealed day only for accounting.five-minute-retention (default 3 days); older slots
-- are only in usage_5m_day, packed (DaySlots), which SQL cannot unpack: use pfmeter usage for them.
SELECT p.slot_start, COALESCE(u.bytes_in, 0) * 8 / 300.0 AS in_bps, COALESCE(u.bytes_out, 0) * 8 / 300.0 AS out_bps
  FROM host_poll_slot p
  LEFT JOIN series s ON s.host = p.host AND s.kind = 'label' AND s.anchor = '' AND s.label = 'web'
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

-- How far each host's days are sealed (usage_5m_day): every UTC day before sealed_until is packed,
-- one row a label and day, and reports read those rows for it. NULL: no day sealed yet (a new
-- host, or a database just upgraded to v5).
SELECT h.host, h.sealed_until, COUNT(d.day_start) AS day_rows
  FROM pf_host h
  LEFT JOIN series s ON s.host = h.host
  LEFT JOIN usage_5m_day d ON d.series_id = s.series_id
 GROUP BY h.host, h.sealed_until
 ORDER BY h.host;

-- Polls not in usage_5m yet: the journal rows of each host's open buckets (deleted when the ledger
-- closes a bucket, at the first poll in a later one). Since v9 a poll's row is stored in parts of at
-- most 256 KiB (poll_journal.part), so polls are counted as distinct polled_at.
SELECT host, COUNT(DISTINCT polled_at) AS journal_polls, COUNT(*) AS journal_parts,
       MIN(polled_at) AS oldest, MAX(polled_at) AS newest
  FROM poll_journal
 GROUP BY host
 ORDER BY host;
