-- Visitor aliases (DESIGN.md L10): a ghost visitor, minted by one of several racing cookieless first
-- navigations of one browser, and the canonical visitor it is the same browser as. applyProcessed
-- moves every row of a ghost to its canonical visitor whenever either the alias or the ghost's items
-- arrive (docs/racing-first-navigations.md); the alias stays so later items of the ghost follow it.
-- A ghost has one canonical: the earliest minted id of its browser (a smaller canonical replaces it).
CREATE TABLE visitor_aliases (
  account_key           integer NOT NULL REFERENCES accounts (key),
  ghost_id              text COLLATE "C" NOT NULL,
  canonical_id          text COLLATE "C" NOT NULL,
  -- The ghost's session that joins the canonical's (both began as the browser's first session).
  ghost_session_id      text,
  canonical_session_id  text,
  PRIMARY KEY (account_key, ghost_id),
  CHECK (ghost_id <> canonical_id)
);

-- Moving a ghost's conversions finds them by visitor.
CREATE INDEX conversions_by_visitor ON conversions (account_key, visitor_id);
