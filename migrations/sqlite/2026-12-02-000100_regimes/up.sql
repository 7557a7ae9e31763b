-- Regimes (issue 14). A transfer can state why the importer is outside an adequacy decision's
-- scope (TRANSFER-RULES.md §2.1): scope condition ids from seeds/rules/scope.toml, comma-separated,
-- '' for none. A certification names the parts of the framework's list it covers, as regime ids
-- (eu = the EU-U.S. DPF, uk = its UK Extension, ch = the Swiss-U.S. DPF); rows recorded before
-- were the EU list, the only one assessed then.
ALTER TABLE transfers ADD COLUMN outside_scope TEXT NOT NULL DEFAULT '';
ALTER TABLE vendor_certifications ADD COLUMN parts TEXT NOT NULL DEFAULT 'eu';
