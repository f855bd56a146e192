-- Reminders addressed to a department or a unit are shared; whether one has been read is each
-- reader's own.
CREATE TABLE notification_reads (
    notification_id BIGINT NOT NULL REFERENCES notifications(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL,
    PRIMARY KEY (notification_id, user_id)
);
