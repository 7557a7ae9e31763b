-- What the public list shows of the assessments and the evidence (issue 17, point 9): verdicts
-- and their reasons are shown as before; the hints meant for the privacy officer and the names of
-- evidence files are internal unless an admin chooses to publish them. 0/1: no Bool shared by
-- both backends.
ALTER TABLE organisations ADD COLUMN publish_verdicts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organisations ADD COLUMN publish_reasons INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organisations ADD COLUMN publish_hints INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organisations ADD COLUMN publish_evidence_documents INTEGER NOT NULL DEFAULT 0;
