-- Bills (issue 17): the figures of a bill's period, stored once when the period has closed, so that
-- a closed period prints the same figures for ever: whatever later polls add, whatever a retention
-- deletes, and whatever the bills file says later (the bill's type, commit or quota are kept here).
--
-- One row per bill and period, written once by the daemon's poll path (or pfmeter simulate) the
-- first time every host that polled during the period has polled at or after its end; never
-- updated. The figures that follow from these (95th percentile in bit/s, overage, burst headroom,
-- remaining quota) are computed from the columns as accounting/README.md ("Bills") describes.
--
--  * bill: the name of the bill ([bill NAME] in the bills file); period: YYYY-MM, the month the
--    period starts in; period_start/period_end: [start, end) as instants (the bill's day and zone).
--  * bill_type: '95th', 'quota' or 'volume'; direction: in, out, max, aggregate (95th) or in, out,
--    total (quota), '' for volume; bill_amount: the commit in bit/s (95th), the quota in bytes
--    (quota), 0 (volume).
--  * samples: 5-minute intervals of the period with a stored poll; period_slots: all its intervals.
--  * p95_bytes: bytes of the 95th-percentile interval in the bill's direction; above_commit: the
--    intervals above the commit (both 0 for quota and volume bills).
CREATE TABLE bill_period (
    bill            VARCHAR(64)              NOT NULL,
    period          VARCHAR(7)               NOT NULL,
    customer        VARCHAR(255)             NOT NULL,
    period_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    period_end      TIMESTAMP WITH TIME ZONE NOT NULL,
    stored_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    bill_type       VARCHAR(8)               NOT NULL,
    direction       VARCHAR(16)              NOT NULL,
    bill_amount     BIGINT                   NOT NULL,
    bytes_in        BIGINT                   NOT NULL,
    bytes_out       BIGINT                   NOT NULL,
    packets_in      BIGINT                   NOT NULL,
    packets_out     BIGINT                   NOT NULL,
    samples         INTEGER                  NOT NULL,
    period_slots    INTEGER                  NOT NULL,
    p95_bytes       BIGINT                   NOT NULL,
    above_commit    INTEGER                  NOT NULL,
    CONSTRAINT pk_bill_period PRIMARY KEY (bill, period),
    CONSTRAINT ck_bill_period_type CHECK (bill_type IN ('95th', 'quota', 'volume'))
);
