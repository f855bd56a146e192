-- Personal identifiers sealed at rest (app::crypto): ID numbers and phones hold
-- `enc1:<key id>:…`, and lookups go through keyed blind indexes. Rows written before this are
-- sealed at the next start (server::keys), which also fills their indexes.
ALTER TABLE residents ADD COLUMN id_number_bidx TEXT NOT NULL DEFAULT '';
ALTER TABLE residents ADD COLUMN phone_bidx TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX residents_id_number_bidx ON residents(id_number_bidx) WHERE id_number_bidx <> '';
CREATE INDEX residents_phone_bidx ON residents(phone_bidx);
ALTER TABLE users ADD COLUMN phone_bidx TEXT;
CREATE UNIQUE INDEX users_phone_bidx ON users(phone_bidx);
-- A sealed phone is unique by its nonce alone; the index above keeps one account per phone.
DROP INDEX users_phone;
-- One-time codes are kept by the phone's blind index from now on; a code sent before is a few
-- minutes from expiry and is simply sent again.
DELETE FROM otp_codes;

-- What each key seals a known text to, and the index key's mark: a start with another key
-- ring than the one this database was sealed with is refused instead of writing values no
-- one can read.
CREATE TABLE key_probes (
    key_id TEXT PRIMARY KEY,
    probe TEXT NOT NULL,
    index_mark TEXT NOT NULL
);
