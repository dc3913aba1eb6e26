-- Poll slots: one row per host and 5-minute slot in which the ledger stored a poll of that host, so
-- that a billing report can say how much of its period was polled and where the gaps are.
--
-- Why: usage_5m has a row only for a label that moved, so a slot without rows may be a quiet slot
-- or a slot nobody polled; billing must tell them apart (coverage, gaps, and a 95th percentile
-- over the slots with data only; see accounting/README.md, "Coverage of a report").
--
-- The ledger inserts the row in the poll's transaction, when the poll is the host's first in its
-- slot (a poll at t is in the slot (start, start + 5 min] of usage_5m); it never updates one.
-- Retention deletes rows with the 5-minute buckets (accounting.retention.5m).
CREATE TABLE host_poll_slot (
    host            VARCHAR(255)             NOT NULL,
    slot_start      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_host_poll_slot PRIMARY KEY (host, slot_start)
);

-- A database made before this migration: the best record of its polls is the slots in which some
-- label moved. A slot in which the host was polled but nothing moved stays unknown (not polled).
INSERT INTO host_poll_slot (host, slot_start) SELECT DISTINCT host, bucket_start FROM usage_5m;
