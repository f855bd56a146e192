-- 代办: a resident's request for an item to be done by a proxy of their village. Taking it is
-- one conditional update (state 'requested' → 'taken'), so two proxies racing cannot both hold
-- it; every step is a row of proxy_steps, which the resident sees. The deadline and the yellow
-- point come from the item's time limit on the working calendar, as an event's do.
CREATE TABLE proxy_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES service_items(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    unit_path TEXT NOT NULL,
    note TEXT NOT NULL,
    state TEXT NOT NULL,
    proxy_user_id INTEGER REFERENCES users(id),
    proxy_role TEXT,
    created_at INTEGER NOT NULL,
    yellow_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    returned_at INTEGER,
    stars INTEGER,
    rated_at INTEGER
);
CREATE INDEX proxy_requests_path ON proxy_requests(unit_path, state);
CREATE INDEX proxy_requests_user ON proxy_requests(user_id);
-- One open request per resident and item.
CREATE UNIQUE INDEX proxy_requests_one_open ON proxy_requests(user_id, item_id)
    WHERE state IN ('requested', 'taken', 'collected', 'submitted');
CREATE INDEX proxy_requests_proxy ON proxy_requests(proxy_user_id, state);

CREATE TABLE proxy_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES proxy_requests(id),
    state TEXT NOT NULL,
    by_user INTEGER REFERENCES users(id),
    note TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX proxy_steps_request ON proxy_steps(request_id, id);
