-- The audit trail as a hash chain (domain::audit): each row's place, the hash of the row before
-- it and its own. Rows written before this migration are chained at the next start, in id order.
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN prev TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_seq ON audit_log(seq);

-- The chain's end: one row, updated by every audit write in its transaction, so writers take
-- their places one at a time and a row removed from the end is noticed.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
