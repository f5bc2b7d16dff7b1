-- Persons too large to materialize (docs/read-model.md, "Persons read live"): the journey refresher
-- turns one mark of such a person into a held mark (live = true) and drops the person's touches and
-- its other marks. Reads walk from every mark, held ones too, so the person is built live at each
-- read; the refresher skips held marks. A new mark of the visitor clears the flag (journey-marks.ts),
-- so the person is weighed again when it changes. A constant default: no table rewrite.
ALTER TABLE journey_dirty ADD COLUMN live boolean NOT NULL DEFAULT false;
