-- 网上约办: the service catalogue of a unit (the county's or a township's items with their
-- label, materials, handling department, time limit), service points (a township's 便民服务中心,
-- a village's 代办点), slots with their capacity, and residents' bookings. A slot's `booked`
-- is decided by one conditional update (never above `capacity`, the check is a last guard);
-- a resident holds one active booking per item.
CREATE TABLE service_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_path TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    label TEXT NOT NULL,
    materials TEXT NOT NULL,
    department TEXT NOT NULL,
    time_limit_days INTEGER NOT NULL,
    UNIQUE (unit_path, name_zh)
);

CREATE TABLE service_points (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    unit_path TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    UNIQUE (org_unit_id, name)
);
CREATE INDEX service_points_path ON service_points(unit_path);

CREATE TABLE service_slots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    point_id INTEGER NOT NULL REFERENCES service_points(id),
    item_id INTEGER NOT NULL REFERENCES service_items(id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    capacity INTEGER NOT NULL,
    booked INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    CHECK (booked >= 0 AND booked <= capacity)
);
CREATE INDEX service_slots_point ON service_slots(point_id, starts_at);

CREATE TABLE service_bookings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slot_id INTEGER NOT NULL REFERENCES service_slots(id),
    item_id INTEGER NOT NULL REFERENCES service_items(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    -- When the day-before reminder went out; cleared when the booking moves to another slot.
    reminded_at INTEGER
);
CREATE INDEX service_bookings_slot ON service_bookings(slot_id);
CREATE UNIQUE INDEX service_bookings_one_per_item ON service_bookings(user_id, item_id)
    WHERE state = 'booked';

-- How many bookings a resident holds now, decided by one conditional update.
CREATE TABLE service_holders (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    active INTEGER NOT NULL CHECK (active >= 0)
);
