-- Reminders for officers: a weekly e-mail of what falls due (opt-in per account), and an
-- iCalendar feed at a secret address per account.
CREATE TABLE reminders (
    user_id INTEGER PRIMARY KEY NOT NULL REFERENCES users (id),
    -- 1: the weekly e-mail is wanted
    weekly INTEGER NOT NULL DEFAULT 0,
    -- SHA-256 (hex) of the calendar address's secret; NULL: no calendar address
    calendar_token TEXT,
    -- the day the last weekly e-mail was queued
    reminded_on DATE
);
