-- Every write appends to its organisation's change log after its newest entry (the hash chain's
-- head): with only (organisation_id, effective_on) indexed, finding that entry sorted all of the
-- organisation's entries, a cost that grew with the organisation (issue 16, point 5).
CREATE INDEX changes_chain ON changes (organisation_id, id);
