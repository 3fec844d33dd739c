-- Email reminders and digests (docs/email.md): the owners' switch, coordinators' subscriptions, and an
-- outbox of emails written in the transaction that decides to send them.

ALTER TABLE owners ADD COLUMN email_reminders INTEGER NOT NULL DEFAULT 1 CHECK (email_reminders IN (0, 1));

CREATE TABLE email_subscriptions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT    NOT NULL,
    name          TEXT,
    -- A subscription narrowed to a direction or task force goes with it: widened, it would mail what was not asked for.
    direction_id  INTEGER REFERENCES directions (id) ON DELETE CASCADE,
    task_force_id INTEGER REFERENCES task_forces (id) ON DELETE CASCADE,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL
);

-- One row per email. The message is rendered when it is decided and kept as sent, so every retry sends
-- the same text under the same Message-ID (derived from id).
CREATE TABLE email_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL CHECK (kind IN ('reminder', 'digest', 'test')),
    owner_id        INTEGER,  -- a reminder's owner (no reference: the row outlives an archived owner)
    subscription_id INTEGER,  -- a digest's subscription (likewise outlives it)
    period          TEXT,     -- a reminder's local date; a digest's ISO week, as its Monday
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    text_body       TEXT    NOT NULL,
    html_body       TEXT    NOT NULL,
    unsubscribe_url TEXT,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,     -- when pending: due from then (or leased until then while sending)
    last_attempt_at TEXT,
    last_error      TEXT,     -- the server's last answer (or what went wrong) of the latest failed attempt
    sent_at         TEXT,
    created_at      TEXT    NOT NULL
);
-- At most one reminder per owner per local day and one digest per subscription per week, whatever
-- restarts or overlapping passes do: the insert that would be a second one is ignored.
CREATE UNIQUE INDEX ux_email_outbox_reminder ON email_outbox (owner_id, period) WHERE kind = 'reminder';
CREATE UNIQUE INDEX ux_email_outbox_digest ON email_outbox (subscription_id, period) WHERE kind = 'digest';
CREATE INDEX ix_email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'pending';

-- The day's reminder run and the week's digest run, once each: a run done is not redone after a restart.
CREATE TABLE email_runs (
    kind    TEXT NOT NULL CHECK (kind IN ('reminder', 'digest')),
    period  TEXT NOT NULL,
    ran_at  TEXT NOT NULL,
    PRIMARY KEY (kind, period)
) WITHOUT ROWID;

-- The key that signs unsubscribe links when Tracker:Email:UnsubscribeSecret is not set: generated once.
CREATE TABLE email_secret (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    secret  TEXT    NOT NULL
);
