-- Dashboard administration: the mirror of migrations/sqlite/003-dashboard-admin.sql. Settings the dashboard needs across restarts and collectors (the admin password's scrypt hash).
CREATE TABLE admin_settings (
  name       text COLLATE "C" PRIMARY KEY,
  value      text NOT NULL,
  updated_at bigint NOT NULL
);
