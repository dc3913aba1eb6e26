-- Tables and table entries accounted per pf action (issue 16, points 4 and 5): next to a table's and
-- an entry's sum over the actions (kinds 'table' and 'address', unchanged since V6), one series per
-- action pf counts, as pfctl -T show -v prints them:
--
--  * 'table-block', 'table-match', 'table-pass', 'table-xpass': pfrts_packets[dir][op] and
--    pfrts_bytes[dir][op] of one op (PFR_OP_BLOCK, PFR_OP_MATCH, PFR_OP_PASS, PFR_OP_XPASS);
--  * 'address-block', 'address-match', 'address-pass': pfras_packets[dir][op] (an entry counts no
--    xpass, PFR_OP_ADDR_MAX = 3).
--
-- series.kind grows from 8 to 16 characters for these names. Nothing is converted: the rows of the
-- kinds 'table' and 'address' were sums over the actions and stay sums (the ledger goes on writing
-- them), so what was booked and billed before reads the same; the action series start with the
-- first poll after this migration (their counters then are their baseline). See
-- accounting/README.md, "Tables and addresses".
ALTER TABLE series DROP CONSTRAINT ck_series_kind;
ALTER TABLE series ALTER COLUMN kind SET DATA TYPE VARCHAR(16);
ALTER TABLE series ADD CONSTRAINT ck_series_kind CHECK (kind IN ('label', 'table', 'address',
    'table-block', 'table-match', 'table-pass', 'table-xpass', 'address-block', 'address-match', 'address-pass'));
