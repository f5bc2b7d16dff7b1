-- Dashboard administration: settings the dashboard needs across restarts and collectors (the admin password's scrypt hash).
CREATE TABLE admin_settings (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
