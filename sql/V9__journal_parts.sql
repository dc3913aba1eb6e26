-- poll_journal rows in parts (issue 15): a poll's packed row (accounting/README.md, "The journal in
-- parts") is stored as parts of at most 16 KiB, numbered from 0 in the new column part; readers
-- join them in order before decoding, and the checksum covers the joined row.
--
-- Why: H2 2.5.252 never reuses the space of a deleted value longer than about 32 KB, and a poll's
-- row (31 KB at 1,000 labels, 150 KB at 5,000) is deleted when its bucket closes a few minutes
-- later, so the embedded file grew without bound. PostgreSQL gets the same schema so that both
-- stores read and write alike.
--
-- The rows already there become part 0 (each is a whole row, which readers accept as one part).
-- Numbered V9: V8 may be taken by another change at the same time; Flyway accepts the gap.
ALTER TABLE poll_journal ADD COLUMN part INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE poll_journal DROP CONSTRAINT pk_poll_journal;
ALTER TABLE poll_journal ADD CONSTRAINT pk_poll_journal PRIMARY KEY (host, polled_at, part);
ALTER TABLE poll_journal ADD CONSTRAINT ck_poll_journal_part CHECK (part >= 0);
ALTER TABLE poll_journal ALTER COLUMN part DROP DEFAULT;
