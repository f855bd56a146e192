-- An account whose password was given out once (the first administrator, create-admin) must
-- choose its own at the first sign-in.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
