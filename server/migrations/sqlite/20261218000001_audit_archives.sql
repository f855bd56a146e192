-- Audit rows past the retention period are moved to a file, never dropped silently: each move
-- is recorded here with the last archived row's place and hash, which anchor the kept chain.
CREATE TABLE audit_archives (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    first_seq BIGINT NOT NULL,
    through_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL,
    rows_archived BIGINT NOT NULL,
    file TEXT NOT NULL
);
