-- Accounting of tables and addresses (issue 16, point 5): a series is a rule label, a table's own
-- counters, or one entry of a table that keeps per-address counters.
--
--  * series.kind: 'label' (every series before V6), 'table' or 'address'.
--  * series.table_name: the table's name (pf's PF_TABLE_NAME_SIZE is 32 with the NUL) for 'table'
--    and 'address'; '' for 'label'. anchor is the anchor path of the label's or the table's
--    ruleset; label is the label, the entry as pfctl prints it ('address', e.g. '!10.0.0.0/8',
--    '2001:db8::/64'), or '' ('table').
--  * The unique key is (host, kind, anchor, table_name, label).
--
-- Every other table is unchanged: label_counters, usage_5m, usage_5m_day and poll_journal hold
-- series of any kind by their number (for tables and addresses, label_counters.rule_count holds the
-- low 32 bits of the counters' pfrts_tzero / pfras_tzero, which tells a reset; see
-- accounting/README.md, "Tables and addresses"). Readers of labels select kind = 'label', so
-- reports and exports read exactly what they read before.

ALTER TABLE series ADD COLUMN kind VARCHAR(8) DEFAULT 'label' NOT NULL;
ALTER TABLE series ADD COLUMN table_name VARCHAR(32) DEFAULT '' NOT NULL;
ALTER TABLE series DROP CONSTRAINT uq_series_key;
ALTER TABLE series ADD CONSTRAINT uq_series_key UNIQUE (host, kind, anchor, table_name, label);
ALTER TABLE series ADD CONSTRAINT ck_series_kind CHECK (kind IN ('label', 'table', 'address'));
