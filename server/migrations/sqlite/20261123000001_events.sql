-- The closed loop of events: categories and the responsibility list, events with their timeline,
-- photos, ratings, supervision notices, reminders, the working calendar, resident sign-in.

ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN wechat_openid TEXT;
CREATE UNIQUE INDEX users_phone ON users(phone);
CREATE UNIQUE INDEX users_wechat ON users(wechat_openid);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    board TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    limit_kind TEXT NOT NULL CHECK (limit_kind IN ('hours','days')),
    limit_value INTEGER NOT NULL CHECK (limit_value > 0),
    default_level TEXT NOT NULL CHECK (default_level IN ('grid','village','township','county')),
    active INTEGER NOT NULL DEFAULT 1
);

-- 权责清单: which department owns a category at a level (by name: every township has its own).
CREATE TABLE responsibilities (
    category_id INTEGER NOT NULL REFERENCES categories(id),
    level TEXT NOT NULL CHECK (level IN ('township','county')),
    department TEXT NOT NULL,
    PRIMARY KEY (category_id, level)
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tracking_no TEXT NOT NULL UNIQUE,
    idem_key TEXT UNIQUE,
    channel TEXT NOT NULL CHECK (channel IN ('app','mailbox','hotline','patrol')),
    category_id INTEGER NOT NULL REFERENCES categories(id),
    grid_id INTEGER NOT NULL REFERENCES org_units(id),
    grid_path TEXT NOT NULL,
    township_id INTEGER NOT NULL REFERENCES org_units(id),
    village_id INTEGER NOT NULL REFERENCES org_units(id),
    level TEXT NOT NULL,
    holder_path TEXT NOT NULL,
    state TEXT NOT NULL,
    assignee_dept_id INTEGER REFERENCES departments(id),
    assignee_user_id INTEGER REFERENCES users(id),
    pending_extension_hours INTEGER NOT NULL DEFAULT 0,
    reporter_user_id INTEGER REFERENCES users(id),
    reporter_name TEXT NOT NULL DEFAULT '',
    reporter_phone TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    lng REAL,
    lat REAL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    verified_at INTEGER,
    resolved_at INTEGER,
    closed_at INTEGER,
    limit_secs INTEGER NOT NULL,
    extension_secs INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER NOT NULL,
    yellow_at INTEGER NOT NULL,
    supervisions INTEGER NOT NULL DEFAULT 0,
    resolved_level TEXT,
    resolved_on_time INTEGER,
    merged_into INTEGER REFERENCES events(id),
    result_note TEXT NOT NULL DEFAULT '',
    reject_reason TEXT NOT NULL DEFAULT '',
    rated INTEGER NOT NULL DEFAULT 0,
    satisfied INTEGER,
    reopened INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_holder ON events(holder_path, state);
CREATE INDEX events_grid_path ON events(grid_path);
CREATE INDEX events_township_created ON events(township_id, created_at);
CREATE INDEX events_created ON events(created_at);
CREATE INDEX events_state_due ON events(state, due_at);
CREATE INDEX events_reporter ON events(reporter_user_id);
CREATE INDEX events_dept ON events(assignee_dept_id, state);
CREATE INDEX events_user ON events(assignee_user_id, state);

CREATE TABLE event_co_handlers (
    event_id INTEGER NOT NULL REFERENCES events(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (event_id, department_id)
);

-- The timeline; append-only like the audit log.
CREATE TABLE event_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES events(id),
    at INTEGER NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    from_level TEXT,
    to_level TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_steps_event ON event_steps(event_id, id);

CREATE TABLE event_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES events(id),
    step_id INTEGER REFERENCES event_steps(id),
    file TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    uploaded_by INTEGER,
    at INTEGER NOT NULL
);
CREATE INDEX event_photos_event ON event_photos(event_id);

CREATE TABLE ratings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES events(id),
    user_id INTEGER,
    attitude INTEGER NOT NULL CHECK (attitude BETWEEN 1 AND 5),
    ability INTEGER NOT NULL CHECK (ability BETWEEN 1 AND 5),
    conduct INTEGER NOT NULL CHECK (conduct BETWEEN 1 AND 5),
    result INTEGER NOT NULL CHECK (result BETWEEN 1 AND 5),
    satisfied INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    rated_dept_id INTEGER REFERENCES departments(id),
    rated_user_id INTEGER REFERENCES users(id),
    at INTEGER NOT NULL
);
CREATE INDEX ratings_event ON ratings(event_id);
CREATE INDEX ratings_at ON ratings(at);

CREATE TABLE supervision_notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES events(id),
    by_user INTEGER NOT NULL,
    at INTEGER NOT NULL,
    note TEXT NOT NULL,
    target_dept_id INTEGER REFERENCES departments(id),
    target_user_id INTEGER REFERENCES users(id),
    target_path TEXT NOT NULL
);
CREATE INDEX supervision_event ON supervision_notices(event_id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER REFERENCES users(id),
    department_id INTEGER REFERENCES departments(id),
    unit_path TEXT,
    event_id INTEGER REFERENCES events(id),
    kind TEXT NOT NULL,
    at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);
CREATE INDEX notifications_dept ON notifications(department_id, read_at);

CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday','workday')),
    name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('auto_close_days', '7');

CREATE TABLE otp_codes (
    phone TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at INTEGER NOT NULL
);
