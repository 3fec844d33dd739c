-- Webhooks: subscriptions, and an outbox of deliveries written in the transaction of the change that
-- causes them, so a crash between commit and send delays a delivery but never loses it.

CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    url         TEXT    NOT NULL,
    events      TEXT    NOT NULL,  -- JSON array of event types, e.g. ["initiative.overdue"]
    -- Needed in clear to sign deliveries; never returned by the API after the create response.
    secret      TEXT    NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

-- One row per event that has at least one subscriber: the envelope's id, type, occurredAt and data,
-- kept once however many webhooks receive it.
CREATE TABLE webhook_events (
    id          TEXT    PRIMARY KEY,  -- the envelope's "id", the same in every webhook that receives it
    type        TEXT    NOT NULL,
    occurred_at TEXT    NOT NULL,
    body        TEXT    NOT NULL      -- the JSON envelope exactly as it is sent and signed
);
CREATE INDEX ix_webhook_events_occurred ON webhook_events (occurred_at);

CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id       INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id         TEXT    NOT NULL REFERENCES webhook_events (id),
    event            TEXT    NOT NULL,         -- the event's type, kept here to list and filter deliveries
    delivery_id      TEXT    NOT NULL UNIQUE,  -- Tracker-Delivery: the same across retries and redeliveries
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,                     -- when pending: due from then (or leased until then while sending)
    last_attempt_at  TEXT,
    last_status_code INTEGER,
    last_error       TEXT,
    created_at       TEXT    NOT NULL
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
-- Finished deliveries are pruned after Tracker:Webhooks:RetentionDays.
CREATE INDEX ix_webhook_deliveries_finished ON webhook_deliveries (last_attempt_at) WHERE status IN ('delivered', 'failed');
CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX ix_webhook_deliveries_event ON webhook_deliveries (event_id);

-- What the deadline scan has fired: initiative.overdue and initiative.due_soon go out once per initiative
-- and deadline. A moved deadline is a new key, so it can fire again; a restart finds what already fired.
CREATE TABLE webhook_deadline_events (
    initiative_id INTEGER NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    deadline      TEXT    NOT NULL,
    type          TEXT    NOT NULL CHECK (type IN ('initiative.overdue', 'initiative.due_soon')),
    fired_at      TEXT    NOT NULL,
    PRIMARY KEY (initiative_id, deadline, type)
) WITHOUT ROWID;

-- The weekly report.overdue_digest, once per week (keyed by that week's Monday in the tracker's zone).
CREATE TABLE webhook_digests (
    week_of   TEXT PRIMARY KEY,
    fired_at  TEXT NOT NULL
) WITHOUT ROWID;
