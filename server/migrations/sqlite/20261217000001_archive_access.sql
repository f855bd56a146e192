-- Every unmasking of a resident's identifier: who, when, which field, why. The resident reads
-- these on their own page; the row and its audit row are written in one transaction.
CREATE TABLE data_access (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    viewer_id BIGINT NOT NULL REFERENCES users(id),
    resident_id BIGINT NOT NULL REFERENCES residents(id),
    field TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX data_access_resident ON data_access(resident_id, at);

-- Unmaskings per person and clock hour, counted by one conditional upsert.
CREATE TABLE unmask_quota (
    user_id BIGINT NOT NULL,
    hour BIGINT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (user_id, hour)
);
