-- Period-end drop (issue 17): which closed periods of bills the daemon has written as files (CSV,
-- JSON and printable HTML) into billing.drop-directory, so that each period's files are written
-- exactly once: a restart writes the ones a crash left out, a late poll writes nothing again.
--
-- One row per bill and period, inserted after the period's three files have been renamed into
-- place (bill_period stays insert-only and is not touched); never updated. A period of
-- bill_period without a row here is still to be written.
--
--  * bill, period: as in bill_period; dropped_at: when its files were in place.
CREATE TABLE bill_drop (
    bill            VARCHAR(64)              NOT NULL,
    period          VARCHAR(7)               NOT NULL,
    dropped_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_bill_drop PRIMARY KEY (bill, period)
);
