-- 党群微心愿: small wishes posted by residents, claimed and fulfilled by party members of the
-- area, confirmed by the resident. The claim is one guarded UPDATE (state = 'open'), so two
-- members racing for a wish cannot both get it.
CREATE TABLE wishes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    poster_id INTEGER NOT NULL REFERENCES users(id),
    household_id INTEGER REFERENCES households(id),
    -- The poster's household grid, for scope filters and the village wall.
    unit_path TEXT NOT NULL,
    title TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('open','claimed','fulfilled','confirmed','withdrawn')),
    claimer_id INTEGER REFERENCES party_members(id),
    claimed_at INTEGER,
    fulfilled_at INTEGER,
    confirmed_at INTEGER,
    -- What the member did, and what the resident said was still missing.
    fulfil_note TEXT NOT NULL DEFAULT '',
    not_yet_note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX wishes_path ON wishes(unit_path, created_at);
CREATE INDEX wishes_poster ON wishes(poster_id);
CREATE INDEX wishes_claimer ON wishes(claimer_id);

-- Wishes under way per poster: raised and lowered by one guarded statement each, so parallel
-- posts cannot pass the limit.
CREATE TABLE wish_quota (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    active INTEGER NOT NULL CHECK (active >= 0)
);
