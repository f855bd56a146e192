-- Org network: county → township → village → grid → building, one table, materialised path.
CREATE TABLE org_units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id INTEGER REFERENCES org_units(id),
    level TEXT NOT NULL CHECK (level IN ('county','township','village','grid','building')),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL DEFAULT '',
    geometry TEXT,
    geometry_generated INTEGER NOT NULL DEFAULT 1,
    center_lng REAL,
    center_lat REAL
);
CREATE INDEX org_units_parent ON org_units(parent_id);
CREATE INDEX org_units_path ON org_units(path);

CREATE TABLE departments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    name TEXT NOT NULL,
    UNIQUE (org_unit_id, name)
);

CREATE TABLE party_branches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_unit_id INTEGER NOT NULL UNIQUE REFERENCES org_units(id),
    name TEXT NOT NULL,
    secretary TEXT NOT NULL DEFAULT ''
);

CREATE TABLE party_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    building_id INTEGER NOT NULL UNIQUE REFERENCES org_units(id),
    name TEXT NOT NULL,
    leader TEXT NOT NULL DEFAULT ''
);

CREATE TABLE grid_staff (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grid_id INTEGER NOT NULL REFERENCES org_units(id),
    duty TEXT NOT NULL CHECK (duty IN ('leader','worker','instructor')),
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT ''
);
CREATE INDEX grid_staff_grid ON grid_staff(grid_id);

CREATE TABLE households (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grid_id INTEGER NOT NULL REFERENCES org_units(id),
    building_id INTEGER REFERENCES org_units(id),
    address TEXT NOT NULL,
    head_name TEXT NOT NULL
);
CREATE INDEX households_grid ON households(grid_id);

CREATE TABLE residents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id INTEGER NOT NULL REFERENCES households(id),
    name TEXT NOT NULL,
    id_number TEXT NOT NULL UNIQUE,
    phone TEXT NOT NULL DEFAULT '',
    gender TEXT NOT NULL DEFAULT '',
    birth_year INTEGER NOT NULL,
    relation TEXT NOT NULL DEFAULT ''
);
CREATE INDEX residents_household ON residents(household_id);

CREATE TABLE party_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    resident_id INTEGER REFERENCES residents(id),
    name TEXT NOT NULL,
    post TEXT NOT NULL DEFAULT '',
    migrant INTEGER NOT NULL DEFAULT 0,
    joined_year INTEGER NOT NULL
);
CREATE INDEX party_members_branch ON party_members(branch_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    department_id INTEGER REFERENCES departments(id),
    resident_id INTEGER REFERENCES residents(id),
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expiry INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expiry);

-- Append-only: nothing updates or deletes rows here.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    user_id INTEGER,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);

CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    county_code TEXT NOT NULL,
    summary TEXT NOT NULL
);
