ALTER TABLE organisations DROP COLUMN publish_evidence_documents;
ALTER TABLE organisations DROP COLUMN publish_hints;
ALTER TABLE organisations DROP COLUMN publish_reasons;
ALTER TABLE organisations DROP COLUMN publish_verdicts;
