-- pfmeter accounting schema, version 1.
--
-- Runs unchanged on H2 (default mode) and PostgreSQL: only portable types and statements.
-- Never edit this file once released; add V2__….sql instead.
--
-- Every table carries the host it describes, and every primary key starts with it, so a fleet of
-- firewalls can share one PostgreSQL database with one writer per host and no contention.
--
-- Units: raw pf counters are unsigned 64-bit and are kept as NUMERIC(20,0) so that values above
-- 2^63 round-trip exactly. Deltas and bucket sums are BIGINT: the ledger never produces a delta of
-- 2^62 or more (see the README, "Accounting"), and 2^63 bytes in one 5-minute bucket would be
-- 245 Pbit/s. Times are TIMESTAMP WITH TIME ZONE, written in UTC.

-- One row per host: what the ledger last saw of pf as a whole.
CREATE TABLE pf_host (
    host              VARCHAR(255)             NOT NULL,
    first_polled_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_polled_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    ruleset_checksum  VARCHAR(64)              NOT NULL,
    pf_since          NUMERIC(20,0)            NOT NULL,
    CONSTRAINT pk_pf_host PRIMARY KEY (host)
);

-- The previous raw counters per (host, anchor path, label), written in the same transaction as
-- the deltas computed from them: the ledger's crash-safe memory.
CREATE TABLE label_counters (
    host            VARCHAR(255)             NOT NULL,
    anchor          VARCHAR(1024)            NOT NULL,
    label           VARCHAR(255)             NOT NULL,
    polled_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    rule_count      INTEGER                  NOT NULL,
    evaluations     NUMERIC(20,0)            NOT NULL,
    packets_in      NUMERIC(20,0)            NOT NULL,
    packets_out     NUMERIC(20,0)            NOT NULL,
    bytes_in        NUMERIC(20,0)            NOT NULL,
    bytes_out       NUMERIC(20,0)            NOT NULL,
    states_total    NUMERIC(20,0)            NOT NULL,
    CONSTRAINT pk_label_counters PRIMARY KEY (host, anchor, label)
);

-- Deltas per 5-minute bucket aligned to UTC. A row exists only for a bucket in which the label
-- moved (no row = nothing counted). bucket_start is the bucket's first instant; a poll is booked
-- in the bucket (start, start + 5 min] that its time falls in.
CREATE TABLE usage_5m (
    host            VARCHAR(255)             NOT NULL,
    anchor          VARCHAR(1024)            NOT NULL,
    label           VARCHAR(255)             NOT NULL,
    bucket_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    packets_in      BIGINT                   NOT NULL,
    packets_out     BIGINT                   NOT NULL,
    bytes_in        BIGINT                   NOT NULL,
    bytes_out       BIGINT                   NOT NULL,
    evaluations     BIGINT                   NOT NULL,
    states_created  BIGINT                   NOT NULL,
    states_max      BIGINT                   NOT NULL,
    polls           INTEGER                  NOT NULL,
    resets          INTEGER                  NOT NULL,
    CONSTRAINT pk_usage_5m PRIMARY KEY (host, anchor, label, bucket_start)
);
CREATE INDEX ix_usage_5m_bucket ON usage_5m (bucket_start);

-- The same deltas per UTC hour, written in the same transaction.
CREATE TABLE usage_1h (
    host            VARCHAR(255)             NOT NULL,
    anchor          VARCHAR(1024)            NOT NULL,
    label           VARCHAR(255)             NOT NULL,
    bucket_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    packets_in      BIGINT                   NOT NULL,
    packets_out     BIGINT                   NOT NULL,
    bytes_in        BIGINT                   NOT NULL,
    bytes_out       BIGINT                   NOT NULL,
    evaluations     BIGINT                   NOT NULL,
    states_created  BIGINT                   NOT NULL,
    states_max      BIGINT                   NOT NULL,
    polls           INTEGER                  NOT NULL,
    resets          INTEGER                  NOT NULL,
    CONSTRAINT pk_usage_1h PRIMARY KEY (host, anchor, label, bucket_start)
);
CREATE INDEX ix_usage_1h_bucket ON usage_1h (bucket_start);

-- The same deltas per UTC day, written in the same transaction.
CREATE TABLE usage_1d (
    host            VARCHAR(255)             NOT NULL,
    anchor          VARCHAR(1024)            NOT NULL,
    label           VARCHAR(255)             NOT NULL,
    bucket_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    packets_in      BIGINT                   NOT NULL,
    packets_out     BIGINT                   NOT NULL,
    bytes_in        BIGINT                   NOT NULL,
    bytes_out       BIGINT                   NOT NULL,
    evaluations     BIGINT                   NOT NULL,
    states_created  BIGINT                   NOT NULL,
    states_max      BIGINT                   NOT NULL,
    polls           INTEGER                  NOT NULL,
    resets          INTEGER                  NOT NULL,
    CONSTRAINT pk_usage_1d PRIMARY KEY (host, anchor, label, bucket_start)
);
CREATE INDEX ix_usage_1d_bucket ON usage_1d (bucket_start);

-- Why the ledger counted a label's current value instead of current - previous (an audit trail for
-- a disputed bill). Host-wide events (ruleset-changed, pf-restarted, baseline) have anchor = ''
-- and label = ''.
CREATE TABLE ledger_event (
    host            VARCHAR(255)             NOT NULL,
    event_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    kind            VARCHAR(32)              NOT NULL,
    anchor          VARCHAR(1024)            NOT NULL,
    label           VARCHAR(255)             NOT NULL,
    detail          VARCHAR(1024)            NOT NULL,
    CONSTRAINT pk_ledger_event PRIMARY KEY (host, event_at, kind, anchor, label)
);
CREATE INDEX ix_ledger_event_at ON ledger_event (event_at);
