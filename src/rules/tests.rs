//! The engine, one row per legal case, each with the provision that decides it, for the three
//! regimes (EU/EEA: TRANSFER-RULES.md; UK and Swiss: REGIMES-UK-CH.md).
//! Dates are first and last days: `valid_from` is the first day a rule applies, `valid_until`
//! the first day it no longer does.

use chrono::NaiveDate;

use super::*;
use crate::date::parse_date;

use Severity::{Critical, Info, Ok as Fine, Warning};
use Verdict::*;

struct Case {
    /// The legal source that decides the row.
    cite: &'static str,
    from: &'static str,
    to: &'static str,
    /// `id` or `id:YYYY-MM-DD` (signed).
    claims: &'static [&'static str],
    /// `framework` or `framework:eu,uk` (the parts of its list).
    certified: &'static [&'static str],
    /// Scope conditions the record states (TRANSFER-RULES.md §2.1).
    outside: &'static [&'static str],
    tia: bool,
    changed: bool,
    on: &'static str,
    verdict: Verdict,
    severity: Severity,
    mechanism: Option<&'static str>,
    /// A phrase the reason must contain.
    reason: &'static str,
}

const C: Case = Case {
    cite: "",
    from: "FR",
    to: "IN",
    claims: &[],
    certified: &[],
    outside: &[],
    tia: false,
    changed: false,
    on: "2024-01-01",
    verdict: Unsafeguarded,
    severity: Critical,
    mechanism: None,
    reason: "",
};

#[rustfmt::skip]
const CASES: &[Case] = &[
    // --- §6 step 1: who is inside, as exporter --------------------------------------------
    Case { cite: "US exporter: GDPR Art. 3 aside, Chapter V binds EU/EEA exporters", from: "US", to: "FR", verdict: OutOfScope, severity: Info, reason: "The United States (US) is not in the EU/EEA, the UK, Switzerland on 2024-01-01", ..C },
    Case { cite: "Switzerland has its own law (FADP): the Swiss regime assesses", from: "CH", to: "US", on: "2025-01-01", reason: "[Swiss law] No transfer mechanism is recorded, and the importer is not on the Data Privacy Framework List for the Swiss-U.S. DPF", ..C },
    Case { cite: "Withdrawal Agreement: transition period, EU law applies to UK exporters", from: "GB", to: "IN", on: "2020-12-31", reason: "[EU/EEA law] No transfer mechanism is recorded, and India (IN) has no adequacy decision in force on 2020-12-31", ..C },
    Case { cite: "UK GDPR from IP completion day (SI 2019/419 reg. 1(2)): the UK regime from 2021-01-01", from: "GB", to: "IN", on: "2021-01-01", reason: "[UK law] No transfer mechanism is recorded, and India (IN) has no adequacy decision in force on 2021-01-01", ..C },
    Case { cite: "Gibraltar: EU law until the end of the transition (Withdrawal Agreement Art. 126-127)", from: "GI", to: "IN", on: "2020-12-31", reason: "[EU/EEA law]", ..C },
    Case { cite: "Gibraltar is not the UK (ICO): no regime modelled here from 2021-01-01", from: "GI", to: "IN", on: "2021-01-01", verdict: OutOfScope, severity: Info, reason: "Gibraltar (GI) has been outside the EU/EEA since 2021-01-01, and no other regime", ..C },
    Case { cite: "Jersey is not the UK (ICO)", from: "JE", to: "IN", verdict: OutOfScope, severity: Info, ..C },
    Case { cite: "Act of Accession 2012: Croatia joins 2013-07-01 (last day outside)", from: "HR", to: "IN", on: "2013-06-30", verdict: OutOfScope, severity: Info, reason: "joins the EU/EEA only on 2013-07-01", ..C },
    Case { cite: "Act of Accession 2012: Croatia joins 2013-07-01 (first day)", from: "HR", to: "IN", on: "2013-07-01", reason: "India (IN) has no adequacy decision in force on 2013-07-01", ..C },
    Case { cite: "Directive 95/46/EC adopted 1995-10-24: no EU transfer rules the day before", from: "FR", to: "US", on: "1995-10-23", verdict: OutOfScope, severity: Info, reason: "Directive 95/46/EC applies there from 1995-10-24", ..C },
    Case { cite: "Directive 95/46/EC Art. 25: first day", from: "FR", to: "US", on: "1995-10-24", reason: "has no adequacy decision in force on 1995-10-24", ..C },
    Case { cite: "EEA JCD 83/1999: Directive in the EEA Agreement", from: "NO", to: "IN", on: "1999-06-24", verdict: OutOfScope, severity: Info, reason: "applies there from 1999-06-25", ..C },
    // --- step 2: destination inside ----------------------------------------------------------
    Case { cite: "GDPR Art. 44: Chapter V covers third countries only", from: "FR", to: "DE", verdict: IntraEea, severity: Fine, reason: "Germany (DE) is in the European Union on 2024-01-01", ..C },
    Case { cite: "EEA Agreement: EFTA states inside", from: "IE", to: "NO", verdict: IntraEea, severity: Fine, reason: "EEA EFTA states", ..C },
    Case { cite: "TFEU Art. 349, 355(1): outermost regions are in the EU", from: "DE", to: "MQ", verdict: IntraEea, severity: Fine, ..C },
    Case { cite: "Mayotte an outermost region from 2014-01-01 (Decision 2012/419/EU)", from: "FR", to: "YT", on: "2013-12-31", reason: "Mayotte (YT) has no adequacy decision", ..C },
    Case { cite: "Mayotte an outermost region from 2014-01-01 (Decision 2012/419/EU)", from: "FR", to: "YT", on: "2014-01-01", verdict: IntraEea, severity: Fine, ..C },
    Case { cite: "Act of Accession 2003: Poland outside on 2004-04-30", from: "FR", to: "PL", on: "2004-04-30", reason: "Poland (PL) has no adequacy decision in force on 2004-04-30", ..C },
    Case { cite: "Act of Accession 2003: Poland inside from 2004-05-01", from: "FR", to: "PL", on: "2004-05-01", verdict: IntraEea, severity: Fine, ..C },
    Case { cite: "Act of Accession 2012: Croatia a third country on 2013-06-30", from: "FR", to: "HR", on: "2013-06-30", reason: "Croatia (HR) has no adequacy decision", ..C },
    Case { cite: "Act of Accession 2012: Croatia inside from 2013-07-01", from: "FR", to: "HR", on: "2013-07-01", verdict: IntraEea, severity: Fine, ..C },
    Case { cite: "UK a member until 2020-01-31", from: "FR", to: "GB", on: "2020-01-31", verdict: IntraEea, severity: Fine, reason: "The United Kingdom (GB) is in the European Union", ..C },
    Case { cite: "Withdrawal Agreement Art. 126-127: transition period from 2020-02-01", from: "FR", to: "GB", on: "2020-02-01", verdict: IntraEea, severity: Fine, reason: "EU law still applied in the United Kingdom (GB) on 2020-02-01, until 2020-12-31", ..C },
    Case { cite: "EU-UK TCA Art. FINPROV.10A: bridge from 2021-01-01", from: "FR", to: "GB", on: "2021-01-01", verdict: IntraEea, severity: Fine, reason: "Transfers to the United Kingdom (GB) are not treated as transfers to a third country from 2021-01-01 to 2021-06-28", ..C },
    Case { cite: "EU-UK TCA Art. FINPROV.10A: the bridge's last day is 2021-06-28, the day of adoption (§0)", from: "FR", to: "GB", on: "2021-06-28", verdict: IntraEea, severity: Fine, ..C },
    Case { cite: "(EU) 2021/1772 covers GB once the bridge is over", from: "FR", to: "GB", on: "2021-06-29", verdict: Adequate, severity: Fine, mechanism: Some("adq_GB_2021"), ..C },
    Case { cite: "Norway gave the bridge effect by a temporary regulation (Datatilsynet)", from: "NO", to: "GB", on: "2021-03-01", verdict: IntraEea, severity: Fine, ..C },
    Case { cite: "The bridge in Iceland: not verified, so not applied (TRANSFER-RULES §7.13)", from: "IS", to: "GB", on: "2021-03-01", reason: "the United Kingdom (GB) has no adequacy decision in force on 2021-03-01", ..C },
    Case { cite: "Saint-Barthélemy inside up to 2011-12-31 (Decision 2010/718/EU)", from: "FR", to: "BL", on: "2011-12-31", verdict: IntraEea, severity: Fine, ..C },
    Case { cite: "Saint-Barthélemy an OCT from 2012-01-01 (Decision 2010/718/EU)", from: "FR", to: "BL", on: "2012-01-01", reason: "Saint Barthélemy (BL) has no adequacy decision in force on 2012-01-01", ..C },
    Case { cite: "Gibraltar inside with the UK up to 2020-12-31 (TFEU Art. 355(3))", from: "FR", to: "GI", on: "2020-12-31", verdict: IntraEea, severity: Fine, ..C },
    Case { cite: "Gibraltar a third country from 2021-01-01, no bridge (Technical Notice 14)", from: "FR", to: "GI", on: "2021-01-01", reason: "Gibraltar (GI) has no adequacy decision in force on 2021-01-01", ..C },
    Case { cite: "Greenland an OCT (TFEU Annex II): outside", from: "DK", to: "GL", reason: "Greenland (GL) has no adequacy decision", ..C },
    Case { cite: "Åland inside with Finland (TFEU Art. 355(4))", from: "SE", to: "AX", verdict: IntraEea, severity: Fine, ..C },
    Case { cite: "Svalbard outside the EEA Agreement (Protocol 40); status open", from: "NO", to: "SJ", reason: "Svalbard and Jan Mayen (SJ) has no adequacy decision", ..C },
    Case { cite: "The bridge covered the UK, not Gibraltar", from: "FR", to: "GI", on: "2021-03-01", reason: "Gibraltar (GI) has no adequacy decision", ..C },
    // --- step 3: adequacy decisions, first day and the day before ----------------------------
    Case { cite: "Decision 2000/518/EC (CH), day before", from: "FR", to: "CH", on: "2000-07-25", ..C },
    Case { cite: "Decision 2000/518/EC (CH)", from: "FR", to: "CH", on: "2000-07-26", verdict: Adequate, severity: Fine, mechanism: Some("adq_CH"), reason: "The adequacy decision for Switzerland (CH), Commission Decision 2000/518/EC, C(2000) 2304, OJ L 215, 25.8.2000, Art. 1, in force since 2000-07-26", ..C },
    Case { cite: "Decision 2000/519/EC (HU), day before", from: "FR", to: "HU", on: "2000-07-25", reason: "Hungary (HU) has no adequacy decision in force on 2000-07-25", ..C },
    Case { cite: "Decision 2000/519/EC (HU), first day", from: "FR", to: "HU", on: "2000-07-26", verdict: Adequate, severity: Fine, mechanism: Some("adq_HU"), ..C },
    Case { cite: "Decision 2000/519/EC (HU), last day before accession", from: "FR", to: "HU", on: "2004-04-30", verdict: Adequate, severity: Fine, mechanism: Some("adq_HU"), ..C },
    Case { cite: "Act of Accession 2003: Hungary inside from 2004-05-01", from: "FR", to: "HU", on: "2004-05-01", verdict: IntraEea, severity: Fine, ..C },
    Case { cite: "Decision 2002/2/EC (CA): date of effect 2002-01-04 (EUR-Lex), day before", from: "FR", to: "CA", on: "2002-01-03", ..C },
    Case { cite: "Decision 2002/2/EC (CA), PIPEDA scope, date of effect", from: "FR", to: "CA", on: "2002-01-04", verdict: Adequate, severity: Fine, mechanism: Some("adq_CA"), ..C },
    Case { cite: "Decision 2003/490/EC (AR), day before", from: "FR", to: "AR", on: "2003-06-29", ..C },
    Case { cite: "Decision 2003/490/EC (AR)", from: "FR", to: "AR", on: "2003-06-30", verdict: Adequate, severity: Fine, mechanism: Some("adq_AR"), ..C },
    Case { cite: "Decision 2003/821/EC (GG), day before", from: "FR", to: "GG", on: "2003-11-20", ..C },
    Case { cite: "Decision 2003/821/EC (GG)", from: "FR", to: "GG", on: "2003-11-21", verdict: Adequate, severity: Fine, mechanism: Some("adq_GG"), ..C },
    Case { cite: "Decision 2004/411/EC (IM), day before", from: "FR", to: "IM", on: "2004-04-27", ..C },
    Case { cite: "Decision 2004/411/EC (IM)", from: "FR", to: "IM", on: "2004-04-28", verdict: Adequate, severity: Fine, mechanism: Some("adq_IM"), ..C },
    Case { cite: "Decision 2008/393/EC (JE), day before", from: "FR", to: "JE", on: "2008-05-07", ..C },
    Case { cite: "Decision 2008/393/EC (JE)", from: "FR", to: "JE", on: "2008-05-08", verdict: Adequate, severity: Fine, mechanism: Some("adq_JE"), ..C },
    Case { cite: "Decision 2010/146/EU (FO), day before", from: "FR", to: "FO", on: "2010-03-04", ..C },
    Case { cite: "Decision 2010/146/EU (FO)", from: "FR", to: "FO", on: "2010-03-05", verdict: Adequate, severity: Fine, mechanism: Some("adq_FO"), ..C },
    Case { cite: "Decision 2010/625/EU (AD), day before", from: "FR", to: "AD", on: "2010-10-18", ..C },
    Case { cite: "Decision 2010/625/EU (AD)", from: "FR", to: "AD", on: "2010-10-19", verdict: Adequate, severity: Fine, mechanism: Some("adq_AD"), ..C },
    Case { cite: "Decision 2011/61/EU (IL), day before", from: "FR", to: "IL", on: "2011-01-30", ..C },
    Case { cite: "Decision 2011/61/EU (IL)", from: "FR", to: "IL", on: "2011-01-31", verdict: Adequate, severity: Fine, mechanism: Some("adq_IL"), ..C },
    Case { cite: "Decision 2012/484/EU (UY), day before", from: "FR", to: "UY", on: "2012-08-20", ..C },
    Case { cite: "Decision 2012/484/EU (UY)", from: "FR", to: "UY", on: "2012-08-21", verdict: Adequate, severity: Fine, mechanism: Some("adq_UY"), ..C },
    Case { cite: "Decision 2013/65/EU (NZ), day before", from: "FR", to: "NZ", on: "2012-12-18", ..C },
    Case { cite: "Decision 2013/65/EU (NZ)", from: "FR", to: "NZ", on: "2012-12-19", verdict: Adequate, severity: Fine, mechanism: Some("adq_NZ"), ..C },
    Case { cite: "(EU) 2019/419 (JP), day before", from: "FR", to: "JP", on: "2019-01-22", ..C },
    Case { cite: "(EU) 2019/419 (JP)", from: "FR", to: "JP", on: "2019-01-23", verdict: Adequate, severity: Fine, mechanism: Some("adq_JP"), ..C },
    Case { cite: "(EU) 2022/254 (KR), day before", from: "FR", to: "KR", on: "2021-12-16", ..C },
    Case { cite: "(EU) 2022/254 (KR)", from: "FR", to: "KR", on: "2021-12-17", verdict: Adequate, severity: Fine, mechanism: Some("adq_KR"), ..C },
    Case { cite: "(EU) 2025/2574 (GB) adopted 2025-12-19 takes over from the extended 2021 decision", from: "FR", to: "GB", on: "2025-12-19", verdict: Adequate, severity: Fine, mechanism: Some("adq_GB_2025"), ..C },
    Case { cite: "(EU) 2021/1772 extended by (EU) 2025/1226 to 2025-12-26", from: "FR", to: "GB", on: "2025-12-18", verdict: Adequate, severity: Fine, mechanism: Some("adq_GB_2021"), ..C },
    Case { cite: "(EU) 2025/2574 (GB): \"shall expire on 27 December 2031\", its last day (§0)", from: "FR", to: "GB", on: "2031-12-27", verdict: Adequate, severity: Fine, mechanism: Some("adq_GB_2025"), ..C },
    Case { cite: "(EU) 2025/2574 (GB) expired: 2031-12-28", from: "FR", to: "GB", on: "2031-12-28", reason: "the United Kingdom (GB) has no adequacy decision in force on 2031-12-28", ..C },
    Case { cite: "(EU) 2021/1772 excludes immigration-control data (§2.1)", from: "FR", to: "GB", outside: &["gb_immigration_control"], on: "2025-12-18", reason: "does not cover this importer, which the record places outside its scope: personal data for UK immigration control", ..C },
    Case { cite: "(EU) 2025/2574 lifts the immigration exclusion from 2025-12-19", from: "FR", to: "GB", outside: &["gb_immigration_control"], on: "2025-12-19", verdict: Adequate, severity: Fine, mechanism: Some("adq_GB_2025"), ..C },
    Case { cite: "(EU) 2025/1382 (European Patent Organisation): date of effect 2025-07-18, day before", from: "FR", to: "IO-EPO", on: "2025-07-17", ..C },
    Case { cite: "(EU) 2025/1382 (European Patent Organisation), date of effect", from: "FR", to: "IO-EPO", on: "2025-07-18", verdict: Adequate, severity: Fine, mechanism: Some("adq_EPO"), ..C },
    Case { cite: "(EU) 2026/179 (BR), day before", from: "FR", to: "BR", on: "2026-01-25", ..C },
    Case { cite: "(EU) 2026/179 (BR)", from: "FR", to: "BR", on: "2026-01-26", verdict: Adequate, severity: Fine, mechanism: Some("adq_BR"), ..C },
    Case { cite: "(EU) 2026/179 (BR) not incorporated in the EEA Agreement: binds no Norwegian exporter", from: "NO", to: "BR", on: "2026-02-01", ..C },
    Case { cite: "Adequacy covers the transfer whatever is claimed (GDPR Art. 45(1))", from: "FR", to: "JP", claims: &["consent"], verdict: Adequate, severity: Fine, mechanism: Some("adq_JP"), ..C },
    // --- §2.1: scope conditions the record states -------------------------------------------
    Case { cite: "2002/2/EC recital 5: a body not subject to PIPEDA is outside", from: "FR", to: "CA", outside: &["ca_not_pipeda"], reason: "The adequacy decision for Canada (Commission Decision 2002/2/EC", ..C },
    Case { cite: "2002/2/EC outside the scope: the SCCs then safeguard", from: "FR", to: "CA", outside: &["ca_not_pipeda"], claims: &["scc_2021"], tia: true, verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2021"), ..C },
    Case { cite: "(EU) 2019/419 recital 38: APPI Art. 76 exclusions", from: "FR", to: "JP", outside: &["jp_appi_76"], reason: "processing within the APPI Art. 76 exclusions", ..C },
    Case { cite: "(EU) 2019/419 recitals 10, 38: the public sector is outside", from: "FR", to: "JP", outside: &["jp_public_sector"], ..C },
    Case { cite: "(EU) 2022/254: religious organisations (missionary activities) outside", from: "FR", to: "KR", outside: &["kr_religious"], claims: &["scc_2021"], tia: true, verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2021"), ..C },
    Case { cite: "(EU) 2022/254: political parties (nomination of candidates) outside", from: "FR", to: "KR", outside: &["kr_political_party"], ..C },
    Case { cite: "(EU) 2022/254: credit information at FSC-supervised controllers outside", from: "FR", to: "KR", outside: &["kr_credit_fsc"], ..C },
    Case { cite: "2011/61/EU Art. 1, recital 12: manual processing only is outside", from: "FR", to: "IL", outside: &["manual_only"], reason: "manual (non-automated) processing", ..C },
    Case { cite: "2011/61/EU recital 14: outside the State of Israel under international law", from: "FR", to: "IL", outside: &["il_outside_territory"], ..C },
    Case { cite: "2012/484/EU: Art. 1 not read, so UY stays whole even for manual processing (§7.6)", from: "FR", to: "UY", outside: &["manual_only"], verdict: Adequate, severity: Fine, mechanism: Some("adq_UY"), ..C },
    Case { cite: "2010/146/EU recital 6: Danish authorities in the Faroes outside", from: "FR", to: "FO", outside: &["fo_danish_authority"], ..C },
    Case { cite: "(EU) 2026/179: recipients outside the LGPD", from: "FR", to: "BR", outside: &["br_not_lgpd"], on: "2026-06-01", ..C },
    // --- step 3: the US frameworks: in force, and the importer on the list -----------------
    Case { cite: "Decision 2000/520/EC (Safe Harbour), day before", from: "FR", to: "US", claims: &["safe_harbour"], certified: &["safe_harbour"], on: "2000-07-25", reason: "applies only from 2000-07-26", ..C },
    Case { cite: "Decision 2000/520/EC (Safe Harbour), Directive era", from: "FR", to: "US", claims: &["safe_harbour"], certified: &["safe_harbour"], on: "2000-07-26", verdict: Adequate, severity: Fine, mechanism: Some("safe_harbour"), ..C },
    Case { cite: "Safe Harbour's last day before Schrems I", from: "FR", to: "US", claims: &["safe_harbour"], certified: &["safe_harbour"], on: "2015-10-05", verdict: Adequate, severity: Fine, mechanism: Some("safe_harbour"), ..C },
    Case { cite: "CJEU C-362/14 (Schrems I) invalidated Safe Harbour on 2015-10-06", from: "FR", to: "US", claims: &["safe_harbour"], certified: &["safe_harbour"], on: "2015-10-06", reason: "The EU-US Safe Harbour was invalidated on 2015-10-06 (CJEU C-362/14, Schrems I).", ..C },
    Case { cite: "(EU) 2016/1250 (Privacy Shield), day before", from: "FR", to: "US", claims: &["privacy_shield"], certified: &["privacy_shield"], on: "2016-07-11", reason: "The EU-US Privacy Shield applies only from 2016-07-12", ..C },
    Case { cite: "(EU) 2016/1250 (Privacy Shield)", from: "FR", to: "US", claims: &["privacy_shield"], certified: &["privacy_shield"], on: "2016-07-12", verdict: Adequate, severity: Fine, mechanism: Some("privacy_shield"), ..C },
    Case { cite: "Privacy Shield under the GDPR (Art. 45(9)), last day", from: "FR", to: "US", claims: &["privacy_shield"], certified: &["privacy_shield"], on: "2020-07-15", verdict: Adequate, severity: Fine, mechanism: Some("privacy_shield"), ..C },
    Case { cite: "CJEU C-311/18 (Schrems II), no grace period", from: "FR", to: "US", claims: &["privacy_shield"], certified: &["privacy_shield"], on: "2020-07-16", reason: "The EU-US Privacy Shield was invalidated on 2020-07-16 (CJEU C-311/18).", ..C },
    Case { cite: "Privacy Shield claimed, framework needs the importer on the list", from: "FR", to: "US", claims: &["privacy_shield"], on: "2019-05-23", reason: "covers only organisations on the Privacy Shield List, and the importer is not recorded as certified on 2019-05-23", ..C },
    Case { cite: "A certification on an invalidated framework covers nothing (C-311/18)", from: "FR", to: "US", certified: &["privacy_shield"], on: "2021-03-01", reason: "The EU-US Privacy Shield was invalidated on 2020-07-16", ..C },
    Case { cite: "(EU) 2023/1795 (DPF), day before", from: "FR", to: "US", claims: &["dpf"], certified: &["dpf"], on: "2023-07-09", reason: "The EU-US Data Privacy Framework applies only from 2023-07-10", ..C },
    Case { cite: "(EU) 2023/1795 (DPF)", from: "FR", to: "US", claims: &["dpf"], certified: &["dpf"], on: "2023-07-10", verdict: Adequate, severity: Fine, mechanism: Some("dpf"), reason: "The importer is on the Data Privacy Framework List", ..C },
    Case { cite: "(EU) 2023/1795: the EU part of the list counts for EU exporters", from: "DE", to: "US", certified: &["dpf:eu"], verdict: Adequate, severity: Fine, mechanism: Some("dpf"), ..C },
    Case { cite: "(EU) 2023/1795: an importer on the UK Extension only is not on the EU list", from: "DE", to: "US", certified: &["dpf:uk"], reason: "the importer is not on the Data Privacy Framework List", ..C },
    Case { cite: "(EU) 2023/1795 Art. 1: only organisations on the DPF List", from: "FR", to: "US", claims: &["dpf"], reason: "covers only organisations on the Data Privacy Framework List, and the importer is not recorded as certified on 2024-01-01", ..C },
    Case { cite: "(EU) 2023/1795: a certified importer is covered even if the contract says otherwise", from: "FR", to: "US", claims: &["privacy_shield"], certified: &["dpf"], verdict: Adequate, severity: Fine, mechanism: Some("dpf"), ..C },
    Case { cite: "(EU) 2023/1795: covers transfers to the US only", from: "FR", to: "IN", claims: &["dpf"], certified: &["dpf"], reason: "covers transfers to the United States only, not to India (IN)", ..C },
    Case { cite: "GDPR Art. 44-46: nothing claimed for the US, importer not on the DPF List", from: "FR", to: "US", reason: "the importer is not on the Data Privacy Framework List", ..C },
    // --- step 4: Art. 46/47 safeguards -------------------------------------------------------
    Case { cite: "Decision 2001/497/EC, day before", from: "FR", to: "IN", claims: &["scc_2001"], on: "2001-09-02", reason: "could not be relied on before 2001-09-03", ..C },
    Case { cite: "Decision 2001/497/EC Art. 6; Directive Art. 26(4)", from: "FR", to: "IN", claims: &["scc_2001"], on: "2001-09-03", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2001"), ..C },
    Case { cite: "Decision 2002/16/EC", from: "FR", to: "IN", claims: &["scc_2002:2001-12-27"], on: "2001-12-27", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2002"), ..C },
    Case { cite: "Decision 2010/87/EU Art. 7: no new 2002 contracts from 2010-05-15", from: "FR", to: "IN", claims: &["scc_2002:2010-05-15"], on: "2011-01-01", reason: "could no longer be used for new contracts from 2010-05-15", ..C },
    Case { cite: "Decision 2010/87/EU Art. 7: 2002 contracts signed before keep counting", from: "FR", to: "IN", claims: &["scc_2002:2010-05-14"], on: "2011-01-01", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2002"), reason: "until 2022-12-27", ..C },
    Case { cite: "Decision 2004/915/EC, day before", from: "FR", to: "IN", claims: &["scc_2004"], on: "2005-03-31", ..C },
    Case { cite: "Decision 2004/915/EC", from: "FR", to: "IN", claims: &["scc_2004"], on: "2005-04-01", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2004"), ..C },
    Case { cite: "Decision 2010/87/EU, day before", from: "FR", to: "IN", claims: &["scc_2010"], on: "2010-05-14", ..C },
    Case { cite: "Decision 2010/87/EU", from: "FR", to: "IN", claims: &["scc_2010"], on: "2010-05-15", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2010"), ..C },
    Case { cite: "(EU) 2021/914, day before", from: "FR", to: "IN", claims: &["scc_2021"], on: "2021-06-26", reason: "could not be relied on before 2021-06-27", ..C },
    Case { cite: "(EU) 2021/914; TIA expected (Clause 14, C-311/18)", from: "FR", to: "IN", claims: &["scc_2021"], on: "2021-06-27", verdict: Safeguarded, severity: Warning, mechanism: Some("scc_2021"), reason: "no transfer impact assessment is on record", ..C },
    Case { cite: "(EU) 2021/914 with a TIA on record", from: "FR", to: "IN", claims: &["scc_2021:2023-03-01"], tia: true, verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2021"), reason: "a transfer impact assessment is on record", ..C },
    Case { cite: "No TIA expected before Schrems II (C-311/18 of 2020-07-16)", from: "FR", to: "IN", claims: &["scc_2010:2019-01-01"], on: "2020-07-15", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2010"), ..C },
    Case { cite: "TIA expected from Schrems II (C-311/18 of 2020-07-16)", from: "FR", to: "IN", claims: &["scc_2010:2019-01-01"], on: "2020-07-16", verdict: Safeguarded, severity: Warning, mechanism: Some("scc_2010"), ..C },
    Case { cite: "A contract cannot count before it is signed", from: "FR", to: "IN", claims: &["scc_2021:2024-05-01"], on: "2024-04-30", reason: "contract is dated 2024-05-01, after the date assessed (2024-04-30)", ..C },
    Case { cite: "(EU) 2021/914: no 2021 SCCs before 2021-06-27", from: "FR", to: "IN", claims: &["scc_2021:2021-01-01"], on: "2022-01-01", reason: "dated 2021-01-01, before the clauses could be used (2021-06-27", ..C },
    // The legacy-SCC rule ((EU) 2021/914 Art. 4): signed before 2021-09-27, unchanged, until 2022-12-27.
    Case { cite: "(EU) 2021/914 Art. 4: old SCCs open to new contracts until 2021-09-26", from: "FR", to: "IN", claims: &["scc_2010"], tia: true, on: "2021-09-26", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2010"), ..C },
    Case { cite: "(EU) 2021/914 Art. 4 condition 1: signed before 2021-09-27", from: "FR", to: "IN", claims: &["scc_2010:2021-09-26"], tia: true, on: "2022-01-01", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2010"), reason: "until 2022-12-27 provided the processing is unchanged", ..C },
    Case { cite: "(EU) 2021/914 Art. 4 condition 1: signed on 2021-09-27 is too late", from: "FR", to: "IN", claims: &["scc_2010:2021-09-27"], on: "2022-01-01", reason: "could no longer be used for new contracts from 2021-09-27 (Commission Implementing Decision (EU) 2021/914, Art. 4", ..C },
    Case { cite: "2002/16/EC under (EU) 2021/914 Art. 4(4): kept until 2022-12-27 (purposive reading, §4), last day before the doubt", from: "FR", to: "IN", claims: &["scc_2002:2009-01-01"], tia: true, on: "2021-09-26", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2002"), ..C },
    Case { cite: "2002/16/EC under (EU) 2021/914 Art. 4(4): doubtful from 2021-09-27, verdict kept", from: "FR", to: "IN", claims: &["scc_2002:2009-01-01"], tia: true, on: "2021-09-27", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2002"), ..C },
    Case { cite: "2002/16/EC: over with the other old sets on 2022-12-28", from: "FR", to: "IN", claims: &["scc_2002:2009-01-01"], tia: true, on: "2022-12-28", reason: "ceased to safeguard transfers after 2022-12-27", ..C },
    Case { cite: "(EU) 2021/914 Art. 4 condition 1: the signing date must be known", from: "FR", to: "IN", claims: &["scc_2004"], on: "2022-01-01", reason: "record the date the contract was signed", ..C },
    Case { cite: "(EU) 2021/914 Art. 4 condition 2: processing unchanged", from: "FR", to: "IN", claims: &["scc_2001:2015-01-01"], changed: true, on: "2022-01-01", reason: "only while the processing they cover is unchanged", ..C },
    Case { cite: "(EU) 2021/914 Art. 4 condition 3: last day 2022-12-27", from: "FR", to: "IN", claims: &["scc_2010:2019-01-01"], tia: true, on: "2022-12-27", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2010"), ..C },
    Case { cite: "(EU) 2021/914 Art. 4 condition 3: over on 2022-12-28", from: "FR", to: "IN", claims: &["scc_2010:2019-01-01"], tia: true, on: "2022-12-28", reason: "Contracts on the 2010 SCCs ceased to safeguard transfers after 2022-12-27", ..C },
    Case { cite: "(EU) 2021/914 Art. 4: an in-force safeguard is preferred to a grandfathered one", from: "FR", to: "IN", claims: &["scc_2010:2019-01-01", "scc_2021:2022-01-01"], tia: true, on: "2022-06-01", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2021"), ..C },
    Case { cite: "GDPR Art. 46(2)(b), 47: BCRs", from: "DE", to: "IN", claims: &["bcr"], tia: true, verdict: Safeguarded, severity: Fine, mechanism: Some("bcr"), ..C },
    Case { cite: "Directive 95/46/EC Art. 26(2): authorised BCRs", from: "DE", to: "IN", claims: &["bcr"], on: "2012-01-01", verdict: Safeguarded, severity: Fine, mechanism: Some("bcr"), ..C },
    Case { cite: "Directive 95/46/EC Art. 26(2): clauses authorised by a member state", from: "DE", to: "IN", claims: &["ad_hoc_clauses"], on: "2012-01-01", verdict: Safeguarded, severity: Fine, mechanism: Some("ad_hoc_clauses"), ..C },
    Case { cite: "GDPR Art. 46(5): Directive-era authorisations stay valid", from: "DE", to: "IN", claims: &["ad_hoc_clauses"], tia: true, on: "2018-05-25", verdict: Safeguarded, severity: Fine, mechanism: Some("ad_hoc_clauses"), ..C },
    Case { cite: "GDPR Art. 46(2)(e): codes of conduct only under the GDPR", from: "FR", to: "IN", claims: &["code_of_conduct"], on: "2018-05-24", reason: "is not a transfer tool under Directive 95/46/EC", ..C },
    Case { cite: "GDPR Art. 46(2)(e), 40(3): codes of conduct", from: "FR", to: "IN", claims: &["code_of_conduct"], on: "2018-05-25", verdict: Safeguarded, severity: Fine, mechanism: Some("code_of_conduct"), ..C },
    Case { cite: "GDPR Art. 46(2)(f): certification", from: "FR", to: "IN", claims: &["certification"], tia: true, verdict: Safeguarded, severity: Fine, mechanism: Some("certification"), ..C },
    Case { cite: "GDPR Art. 46(3)(a): authorised clauses", from: "FR", to: "IN", claims: &["ad_hoc_clauses"], tia: true, verdict: Safeguarded, severity: Fine, mechanism: Some("ad_hoc_clauses"), ..C },
    Case { cite: "GDPR Art. 46(2)(a): public-body instruments", from: "FR", to: "IN", claims: &["public_bodies"], tia: true, verdict: Safeguarded, severity: Fine, mechanism: Some("public_bodies"), ..C },
    Case { cite: "A safeguard covers the US when the importer is not certified", from: "FR", to: "US", claims: &["privacy_shield", "scc_2021"], tia: true, verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2021"), ..C },
    // --- step 5: a safeguard claimed but not named ----------------------------------------------
    Case { cite: "GDPR Art. 46(1), 5(2): a safeguard claimed but not named cannot be checked", from: "NL", to: "US", claims: &["unnamed_safeguard"], verdict: Unverified, severity: Warning, mechanism: Some("unnamed_safeguard"), reason: "A safeguard is claimed but not named (GDPR Art. 46(1))", ..C },
    Case { cite: "Directive 95/46/EC Art. 26(2): the same before the GDPR", from: "NL", to: "US", claims: &["unnamed_safeguard"], on: "2017-01-01", verdict: Unverified, severity: Warning, reason: "Directive 95/46/EC Art. 26(2)", ..C },
    Case { cite: "GDPR Art. 49(1): derogations only in the absence of safeguards, so a claimed safeguard comes first", from: "NL", to: "US", claims: &["consent", "unnamed_safeguard"], verdict: Unverified, severity: Warning, ..C },
    Case { cite: "A named safeguard valid on the date beats an unnamed claim (GDPR Art. 46(2)(c))", from: "NL", to: "US", claims: &["unnamed_safeguard", "scc_2021"], tia: true, verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2021"), ..C },
    Case { cite: "An unnamed claim with an expired named one: unverified, the failure in the hints", from: "NL", to: "US", claims: &["privacy_shield", "unnamed_safeguard"], on: "2021-01-01", verdict: Unverified, severity: Warning, ..C },
    Case { cite: "Adequacy first: an unnamed claim to Japan is adequate (GDPR Art. 45)", from: "NL", to: "JP", claims: &["unnamed_safeguard"], verdict: Adequate, severity: Fine, mechanism: Some("adq_JP"), ..C },
    Case { cite: "Directive 95/46/EC adopted 1995-10-24: no claim is assessed the day before", from: "NL", to: "US", claims: &["unnamed_safeguard"], on: "1995-10-23", verdict: OutOfScope, severity: Info, ..C },
    // --- step 6: derogations -----------------------------------------------------------------
    Case { cite: "GDPR Art. 49(1)(a); EDPB Guidelines 2/2018", from: "FR", to: "IN", claims: &["consent"], verdict: Derogation, severity: Warning, mechanism: Some("consent"), reason: "Only a derogation is claimed (explicit consent of the data subject, GDPR Art. 49(1)(a))", ..C },
    Case { cite: "GDPR Art. 49(1)(b)", from: "FR", to: "IN", claims: &["contract_necessity"], verdict: Derogation, severity: Warning, mechanism: Some("contract_necessity"), ..C },
    Case { cite: "Directive 95/46/EC Art. 26(1)(a)", from: "FR", to: "US", claims: &["consent"], on: "2016-01-01", verdict: Derogation, severity: Warning, mechanism: Some("consent"), reason: "Directive 95/46/EC Art. 26(1)(a)", ..C },
    Case { cite: "GDPR Art. 49(1) second subparagraph: new with the GDPR", from: "FR", to: "IN", claims: &["compelling_legitimate_interests"], on: "2018-05-24", reason: "is not a transfer tool under Directive 95/46/EC", ..C },
    Case { cite: "GDPR Art. 49(1) second subparagraph, first day", from: "FR", to: "IN", claims: &["compelling_legitimate_interests"], on: "2018-05-25", verdict: Derogation, severity: Warning, ..C },
    Case { cite: "EEA JCD 154/2018: GDPR in Norway only from 2018-07-20", from: "NO", to: "IN", claims: &["compelling_legitimate_interests"], on: "2018-07-19", reason: "Directive 95/46/EC, which governs this exporter on 2018-07-19", ..C },
    Case { cite: "EEA JCD 154/2018: GDPR in Norway from 2018-07-20", from: "NO", to: "IN", claims: &["compelling_legitimate_interests"], on: "2018-07-20", verdict: Derogation, severity: Warning, ..C },
    Case { cite: "An expired safeguard plus a derogation is a derogation", from: "FR", to: "US", claims: &["privacy_shield", "consent"], on: "2021-01-01", verdict: Derogation, severity: Warning, mechanism: Some("consent"), ..C },
    // --- a destination the record does not name ("outside the EU") --------------------------
    Case { cite: "GDPR Art. 45(1): adequacy is decided per country, so an unnamed one has none", from: "FR", to: "", reason: "the destination is not named, so no adequacy decision can cover this transfer on 2024-01-01", ..C },
    Case { cite: "GDPR Art. 46(2)(c): SCCs do not depend on the country", from: "FR", to: "", claims: &["scc_2021"], tia: true, verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2021"), ..C },
    Case { cite: "(EU) 2016/1250 covers the US only", from: "FR", to: "", claims: &["privacy_shield"], certified: &["privacy_shield"], on: "2019-05-23", reason: "the destination of this transfer is not named", ..C },
    Case { cite: "GDPR Art. 49(1)(a) with an unnamed destination", from: "FR", to: "", claims: &["consent"], verdict: Derogation, severity: Warning, ..C },
    Case { cite: "A US exporter is out of scope wherever the data goes", from: "US", to: "", verdict: OutOfScope, severity: Info, ..C },

    // --- step 7: nothing valid -----------------------------------------------------------------
    Case { cite: "GDPR Art. 44, 46: no adequacy, nothing claimed", from: "FR", to: "IN", reason: "No transfer mechanism is recorded, and India (IN) has no adequacy decision in force on 2024-01-01.", ..C },

    // === The UK regime (REGIMES-UK-CH.md Part A) ================================================
    Case { cite: "UK GDPR: a GB to GB transfer is not a restricted transfer", from: "GB", to: "GB", verdict: Domestic, severity: Fine, reason: "[UK law] The United Kingdom (GB) is where the exporter is established", ..C },
    Case { cite: "DPA 2018 Sch. 21 para. 5(1)(a): an EEA state is adequate for UK law, not intra-EEA", from: "GB", to: "DE", on: "2021-01-01", verdict: Adequate, severity: Fine, mechanism: Some("uk_adq_eea"), reason: "[UK law] The UK adequacy finding for Germany (DE), DPA 2018 Sch. 21 para. 5(1)(a)", ..C },
    Case { cite: "DPA 2018 Sch. 21 para. 5(1)(a): the EFTA states of the EEA too", from: "GB", to: "NO", verdict: Adequate, severity: Fine, mechanism: Some("uk_adq_eea"), ..C },
    Case { cite: "DPA 2018 Sch. 21 para. 5(1)(b): Gibraltar", from: "GB", to: "GI", verdict: Adequate, severity: Fine, mechanism: Some("uk_adq_GI"), ..C },
    Case { cite: "DPA 2018 Sch. 21 para. 5(2)(a): Switzerland", from: "GB", to: "CH", verdict: Adequate, severity: Fine, mechanism: Some("uk_adq_CH"), ..C },
    Case { cite: "DPA 2018 Sch. 21 para. 5(2)(m): Japan", from: "GB", to: "JP", on: "2021-01-01", verdict: Adequate, severity: Fine, mechanism: Some("uk_adq_JP"), ..C },
    Case { cite: "DPA 2018 Sch. 21 para. 5(2)(b): Canada, PIPEDA only", from: "GB", to: "CA", outside: &["ca_not_pipeda"], ..C },
    Case { cite: "EU decisions after 2020-12-31 are not UK adequacy: Brazil", from: "GB", to: "BR", on: "2026-06-01", reason: "Brazil (BR) has no adequacy decision in force on 2026-06-01", ..C },
    Case { cite: "EU decisions after 2020-12-31 are not UK adequacy: the EPO", from: "GB", to: "IO-EPO", on: "2026-06-01", ..C },
    Case { cite: "SI 2022/1213 (Korea), day before", from: "GB", to: "KR", on: "2022-12-18", ..C },
    Case { cite: "SI 2022/1213 (Korea), in force 2022-12-19", from: "GB", to: "KR", on: "2022-12-19", verdict: Adequate, severity: Fine, mechanism: Some("uk_adq_KR"), ..C },
    Case { cite: "SI 2022/1213: wider than the EU decision, credit information included", from: "GB", to: "KR", outside: &["kr_credit_fsc"], verdict: Adequate, severity: Fine, mechanism: Some("uk_adq_KR"), ..C },
    Case { cite: "SI 2022/1213: religious organisations still outside", from: "GB", to: "KR", outside: &["kr_religious"], ..C },
    Case { cite: "SI 2023/1028 (UK Extension), day before", from: "GB", to: "US", certified: &["dpf"], on: "2023-10-11", reason: "[UK law] The UK Extension to the EU-U.S. Data Privacy Framework applies only from 2023-10-12", ..C },
    Case { cite: "SI 2023/1028 reg. 3: the UK Extension from 2023-10-12", from: "GB", to: "US", certified: &["dpf"], on: "2023-10-12", verdict: Adequate, severity: Fine, mechanism: Some("dpf"), reason: "participating in the UK Extension", ..C },
    Case { cite: "SI 2023/1028 reg. 3(2)(a): on the DPF List for the EU part only is not enough", from: "GB", to: "US", certified: &["dpf:eu"], reason: "the importer is not on the Data Privacy Framework List as participating in the UK Extension", ..C },
    Case { cite: "SI 2023/1028: an importer on both parts", from: "GB", to: "US", certified: &["dpf:eu,uk"], verdict: Adequate, severity: Fine, mechanism: Some("dpf"), ..C },
    Case { cite: "The EU-U.S. DPF never bound UK exporters: nothing between 2023-07-10 and 2023-10-11", from: "GB", to: "US", certified: &["dpf:eu"], on: "2023-08-01", ..C },
    Case { cite: "DPA 2018 Sch. 21 para. 5(2)(l) omitted: the Privacy Shield is no UK tool", from: "GB", to: "US", claims: &["privacy_shield"], certified: &["privacy_shield"], on: "2021-03-01", reason: "The EU-US Privacy Shield was never a UK transfer tool", ..C },
    Case { cite: "Sch. 21 para. 7(2): the EU 2021 SCCs alone are no UK tool", from: "GB", to: "IN", claims: &["scc_2021"], reason: "The EU 2021 SCCs are not a UK transfer tool without the ICO Addendum", ..C },
    Case { cite: "IDTA (s. 119A, UK GDPR Art. 46(2)(d)), day before", from: "GB", to: "IN", claims: &["idta"], on: "2022-03-20", reason: "could not be relied on before 2022-03-21", ..C },
    Case { cite: "IDTA in force 2022-03-21", from: "GB", to: "IN", claims: &["idta"], tia: true, on: "2022-03-21", verdict: Safeguarded, severity: Fine, mechanism: Some("idta"), ..C },
    Case { cite: "UK Addendum B1.0 in force 2022-03-21 (with the 2021 SCCs, one claim)", from: "GB", to: "IN", claims: &["uk_addendum"], on: "2022-03-21", verdict: Safeguarded, severity: Warning, mechanism: Some("uk_addendum"), reason: "no transfer risk assessment is on record.", ..C },
    Case { cite: "UK GDPR Art. 46(1A)(a)(ii) from 2026-02-05: the TRA is part of the safeguard (reason cites it)", from: "GB", to: "IN", claims: &["idta"], on: "2026-02-05", verdict: Safeguarded, severity: Warning, mechanism: Some("idta"), reason: "(UK GDPR Art. 46(1A)(a)(ii)", ..C },
    Case { cite: "Sch. 21 para. 7: old SCCs retained from IP completion day", from: "GB", to: "IN", claims: &["scc_2010:2019-01-01"], tia: true, on: "2021-01-01", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2010"), ..C },
    Case { cite: "ICO transitional provisions: old SCCs concluded on or before 2022-09-21", from: "GB", to: "IN", claims: &["scc_2010:2022-09-21"], tia: true, on: "2023-01-01", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2010"), reason: "until 2024-03-20", ..C },
    Case { cite: "ICO transitional provisions: concluded on 2022-09-22 is too late", from: "GB", to: "IN", claims: &["scc_2010:2022-09-22"], tia: true, on: "2023-01-01", reason: "could no longer be used for new contracts from 2022-09-22", ..C },
    Case { cite: "UK and EU differ: a contract of 2021-10-01 on old SCCs counts in the UK", from: "GB", to: "IN", claims: &["scc_2004:2021-10-01"], tia: true, on: "2022-06-01", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2004"), ..C },
    Case { cite: "... and not in the EU ((EU) 2021/914 Art. 4)", from: "FR", to: "IN", claims: &["scc_2004:2021-10-01"], tia: true, on: "2022-06-01", reason: "this contract was signed on 2021-10-01", ..C },
    Case { cite: "ICO transitional provisions: last day 2024-03-20", from: "GB", to: "IN", claims: &["scc_2010:2019-01-01"], tia: true, on: "2024-03-20", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2010"), ..C },
    Case { cite: "ICO transitional provisions: over on 2024-03-21 (A8: read as the first day of invalidity)", from: "GB", to: "IN", claims: &["scc_2010:2019-01-01"], tia: true, on: "2024-03-21", reason: "ceased to safeguard transfers after 2024-03-20", ..C },
    Case { cite: "UK GDPR Art. 49(1), second subparagraph: compelling legitimate interests", from: "GB", to: "IN", claims: &["compelling_legitimate_interests"], verdict: Derogation, severity: Warning, reason: "UK GDPR Art. 49(1), second subparagraph", ..C },
    Case { cite: "UK GDPR Art. 46(1): a safeguard claimed but not named", from: "GB", to: "IN", claims: &["unnamed_safeguard"], verdict: Unverified, severity: Warning, reason: "[UK law] A safeguard is claimed but not named (UK GDPR Art. 46(1)", ..C },
    Case { cite: "UK GDPR Art. 47: ICO-approved BCRs", from: "GB", to: "IN", claims: &["bcr"], tia: true, verdict: Safeguarded, severity: Fine, mechanism: Some("bcr"), ..C },
    Case { cite: "An IDTA claimed by a GB exporter in 2020: EU law then, where it is no tool", from: "GB", to: "IN", claims: &["idta"], on: "2020-06-01", reason: "The IDTA is not a transfer tool under EU/EEA law", ..C },
    // === The Swiss regime (REGIMES-UK-CH.md Part B) =============================================
    Case { cite: "Original FADP Art. 6 (1992) not modelled: out of scope before 2008-01-01", from: "CH", to: "IN", on: "2007-12-31", verdict: OutOfScope, severity: Info, reason: "applies there from 2008-01-01", ..C },
    Case { cite: "Old FADP Art. 6 as amended in 2006, in force 2008-01-01", from: "CH", to: "IN", on: "2008-01-01", reason: "[Swiss law] No transfer mechanism is recorded", ..C },
    Case { cite: "FADP: a CH to CH transfer is not a transfer abroad", from: "CH", to: "CH", verdict: Domestic, severity: Fine, ..C },
    Case { cite: "FDPIC list (old DPO Art. 7): EEA states, guidance", from: "CH", to: "FR", on: "2010-01-01", verdict: Adequate, severity: Fine, mechanism: Some("ch_old_eea"), reason: "FDPIC list entry (guidance)", ..C },
    Case { cite: "FDPIC list: Croatia from its accession, day before", from: "CH", to: "HR", on: "2013-06-30", ..C },
    Case { cite: "FDPIC list: Croatia from its accession", from: "CH", to: "HR", on: "2013-07-01", verdict: Adequate, severity: Fine, mechanism: Some("ch_old_HR"), ..C },
    Case { cite: "FDPIC list: last day 2023-08-31", from: "CH", to: "DE", on: "2023-08-31", verdict: Adequate, severity: Fine, mechanism: Some("ch_old_eea"), ..C },
    Case { cite: "DPO Annex 1 from 2023-09-01 (DPO Art. 8)", from: "CH", to: "DE", on: "2023-09-01", verdict: Adequate, severity: Fine, mechanism: Some("ch_annex1_eea"), reason: "listing in Annex 1 DPO", ..C },
    Case { cite: "DPO Annex 1: the United Kingdom", from: "CH", to: "GB", verdict: Adequate, severity: Fine, mechanism: Some("ch_annex1_others"), ..C },
    Case { cite: "DPO Annex 1: Monaco (not adequate for the EU)", from: "CH", to: "MC", verdict: Adequate, severity: Fine, mechanism: Some("ch_annex1_others"), ..C },
    Case { cite: "DPO Annex 1: Japan is not listed", from: "CH", to: "JP", reason: "Japan (JP) has no adequacy decision in force", ..C },
    Case { cite: "Australia 'adequate under certain conditions' on the old list: treated as not adequate (B3)", from: "CH", to: "AU", on: "2015-01-01", ..C },
    Case { cite: "DPO Annex 1 note on Canada: provincial private-sector acts count", from: "CH", to: "CA", outside: &["ca_not_pipeda"], verdict: Adequate, severity: Fine, mechanism: Some("ch_annex1_CA"), ..C },
    Case { cite: "DPO Annex 1 note on Canada: no private-sector law, outside", from: "CH", to: "CA", outside: &["ca_no_private_sector_law"], ..C },
    Case { cite: "U.S.-Swiss Safe Harbor, day before", from: "CH", to: "US", certified: &["safe_harbour"], on: "2009-02-15", reason: "The U.S.-Swiss Safe Harbor Framework applies only from 2009-02-16", ..C },
    Case { cite: "U.S.-Swiss Safe Harbor from 2009-02-16", from: "CH", to: "US", certified: &["safe_harbour"], on: "2009-02-16", verdict: Adequate, severity: Fine, mechanism: Some("safe_harbour"), ..C },
    Case { cite: "U.S.-Swiss Safe Harbor: last day 2015-10-21", from: "CH", to: "US", certified: &["safe_harbour"], on: "2015-10-21", verdict: Adequate, severity: Fine, mechanism: Some("safe_harbour"), ..C },
    Case { cite: "FDPIC of 22 October 2015: Safe Harbor no longer sufficient", from: "CH", to: "US", certified: &["safe_harbour"], on: "2015-10-22", reason: "was invalidated on 2015-10-22", ..C },
    Case { cite: "Schrems I did not bind Switzerland: Swiss Safe Harbor on 2015-10-10", from: "CH", to: "US", certified: &["safe_harbour"], on: "2015-10-10", verdict: Adequate, severity: Fine, ..C },
    Case { cite: "Swiss-U.S. Privacy Shield, day before", from: "CH", to: "US", certified: &["privacy_shield"], on: "2017-01-11", ..C },
    Case { cite: "Swiss-U.S. Privacy Shield from 2017-01-12", from: "CH", to: "US", certified: &["privacy_shield"], on: "2017-01-12", verdict: Adequate, severity: Fine, mechanism: Some("privacy_shield"), ..C },
    Case { cite: "Schrems II did not bind Switzerland: Privacy Shield on 2020-09-07", from: "CH", to: "US", certified: &["privacy_shield"], on: "2020-09-07", verdict: Adequate, severity: Fine, mechanism: Some("privacy_shield"), ..C },
    Case { cite: "FDPIC position paper of 8 September 2020", from: "CH", to: "US", certified: &["privacy_shield"], on: "2020-09-08", reason: "invalidated on 2020-09-08", ..C },
    Case { cite: "Swiss-U.S. DPF (Annex 1 as amended 2024-08-14), day before", from: "CH", to: "US", certified: &["dpf"], on: "2024-09-14", ..C },
    Case { cite: "Swiss-U.S. DPF in force 2024-09-15", from: "CH", to: "US", certified: &["dpf"], on: "2024-09-15", verdict: Adequate, severity: Fine, mechanism: Some("dpf"), reason: "Swiss-U.S. DPF", ..C },
    Case { cite: "Swiss-U.S. DPF: an importer on the EU part only", from: "CH", to: "US", certified: &["dpf:eu,uk"], on: "2025-01-01", ..C },
    Case { cite: "FDPIC recognition of the 2021 SCCs, day before", from: "CH", to: "IN", claims: &["scc_2021"], on: "2021-08-26", reason: "could not be relied on before 2021-08-27", ..C },
    Case { cite: "FDPIC recognition of the 2021 SCCs, 2021-08-27", from: "CH", to: "IN", claims: &["scc_2021"], tia: true, on: "2021-08-27", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2021"), ..C },
    Case { cite: "FDPIC: TIA expected from 2020-09-08, day before", from: "CH", to: "IN", claims: &["scc_2010:2015-01-01"], on: "2020-09-07", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2010"), ..C },
    Case { cite: "FDPIC: TIA expected from 2020-09-08", from: "CH", to: "IN", claims: &["scc_2010:2015-01-01"], on: "2020-09-08", verdict: Safeguarded, severity: Warning, mechanism: Some("scc_2010"), ..C },
    Case { cite: "Swiss old-SCC transition: signed before 2021-09-27", from: "CH", to: "IN", claims: &["scc_2010:2021-09-26"], tia: true, on: "2022-06-01", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2010"), reason: "until 2022-12-31", ..C },
    Case { cite: "Swiss old-SCC transition: signed on 2021-09-27 is too late", from: "CH", to: "IN", claims: &["scc_2010:2021-09-27"], tia: true, on: "2022-06-01", reason: "could no longer be used for new contracts from 2021-09-27", ..C },
    Case { cite: "Swiss old-SCC transition: last day 2022-12-31, four days after the EU's", from: "CH", to: "IN", claims: &["scc_2010:2019-01-01"], tia: true, on: "2022-12-31", verdict: Safeguarded, severity: Fine, mechanism: Some("scc_2010"), ..C },
    Case { cite: "Swiss old-SCC transition: over on 2023-01-01", from: "CH", to: "IN", claims: &["scc_2010:2019-01-01"], tia: true, on: "2023-01-01", reason: "ceased to safeguard transfers after 2022-12-31", ..C },
    Case { cite: "revFADP Art. 16(3): codes of conduct only from 2023-09-01", from: "CH", to: "IN", claims: &["code_of_conduct"], on: "2023-08-31", reason: "is not a transfer tool under the FADP of 1992", ..C },
    Case { cite: "revFADP Art. 16(3), DPO Art. 12: codes of conduct", from: "CH", to: "IN", claims: &["code_of_conduct"], tia: true, on: "2023-09-01", verdict: Safeguarded, severity: Fine, mechanism: Some("code_of_conduct"), ..C },
    Case { cite: "Old FADP Art. 6(2)(g): intra-group rules as a safeguard", from: "CH", to: "IN", claims: &["bcr"], on: "2015-01-01", verdict: Safeguarded, severity: Fine, mechanism: Some("bcr"), ..C },
    Case { cite: "Old FADP Art. 6(2)(f): data made public by the data subject", from: "CH", to: "IN", claims: &["made_public"], on: "2015-01-01", verdict: Derogation, severity: Warning, reason: "old FADP Art. 6(2)(f)", ..C },
    Case { cite: "revFADP Art. 17(1)(e): data made public by the data subject", from: "CH", to: "IN", claims: &["made_public"], verdict: Derogation, severity: Warning, reason: "revFADP Art. 17(1)(e)", ..C },
    Case { cite: "Old FADP Art. 6(2)(c): no contract in the data subject's interest, last day", from: "CH", to: "IN", claims: &["contract_in_interest"], on: "2023-08-31", reason: "is not a transfer tool under the FADP of 1992", ..C },
    Case { cite: "revFADP Art. 17(1)(b)(2): contract in the data subject's interest from 2023-09-01", from: "CH", to: "IN", claims: &["contract_in_interest"], on: "2023-09-01", verdict: Derogation, severity: Warning, ..C },
    Case { cite: "revFADP Art. 17(1)(f): public registers only from 2023-09-01", from: "CH", to: "IN", claims: &["public_register"], on: "2023-08-31", ..C },
    Case { cite: "revFADP Art. 17(1)(f): public registers", from: "CH", to: "IN", claims: &["public_register"], on: "2023-09-01", verdict: Derogation, severity: Warning, ..C },
    Case { cite: "No compelling legitimate interests in Swiss law", from: "CH", to: "IN", claims: &["compelling_legitimate_interests"], reason: "Swiss law has no exception for compelling legitimate interests", ..C },
    Case { cite: "revFADP Art. 16(2): a safeguard claimed but not named", from: "CH", to: "IN", claims: &["unnamed_safeguard"], verdict: Unverified, severity: Warning, reason: "revFADP Art. 16(2)", ..C },
    // === The EEA EFTA states and the exporters under EU law, beyond the reference's examples ======
    Case { cite: "Liechtenstein is EEA (GDPR), not Swiss law", from: "LI", to: "CH", on: "2024-01-01", verdict: Adequate, severity: Fine, mechanism: Some("adq_CH"), reason: "[EU/EEA law]", ..C },
    Case { cite: "EU exporter to Switzerland (2000/518/EC), and a Swiss exporter back (Annex 1)", from: "CH", to: "LI", verdict: Adequate, severity: Fine, mechanism: Some("ch_annex1_eea"), ..C },
];

fn date(s: &str) -> NaiveDate {
    parse_date(s).unwrap_or_else(|e| panic!("{e}"))
}

fn facts(case: &Case, rules: &RuleSet) -> Facts {
    // An empty `to` is a destination the record does not name.
    let importer = (!case.to.is_empty()).then(|| CountryCode::parse(case.to).unwrap());
    let mut facts = Facts::to(CountryCode::parse(case.from).unwrap(), importer);
    facts.claims = case
        .claims
        .iter()
        .map(|c| {
            let (id, signed) = match c.split_once(':') {
                Some((id, d)) => (id, Some(date(d))),
                None => (*c, None),
            };
            Claim {
                mechanism: rules.mechanism_id(id).unwrap(),
                signed,
            }
        })
        .collect();
    facts.certified = case
        .certified
        .iter()
        .map(|f| match f.split_once(':') {
            Some((id, parts)) => Certified {
                framework: rules.framework_id(id).unwrap(),
                parts: rules.parts(parts.split(',')).unwrap(),
            },
            None => Certified::all(rules.framework_id(f).unwrap()),
        })
        .collect();
    facts.outside_scope = case
        .outside
        .iter()
        .map(|e| ScopeExclusion::parse(e).unwrap())
        .collect();
    facts.tia = case.tia;
    facts.processing_changed = case.changed;
    facts
}

#[test]
fn every_legal_case() {
    let rules = RuleSet::embedded();
    let mut failures = Vec::new();
    for case in CASES {
        let facts = facts(case, rules);
        if let Err(e) = rules.check(&facts) {
            failures.push(format!("{} — refused as bad input: {e}", case.cite));
            continue;
        }
        let a = assess(&facts, rules, date(case.on));
        let ok = a.verdict == case.verdict
            && a.severity == case.severity
            && a.flagged == case.verdict.is_flagged()
            && (case.mechanism.is_none() || a.mechanism == case.mechanism)
            && a.reason().contains(case.reason)
            && a.reason().ends_with('.');
        if !ok {
            failures.push(format!(
                "{} — {} -> {} on {} {:?}\n    expected {:?}/{:?}/{:?} with {:?}\n    got      {:?}/{:?}/{:?}: {}",
                case.cite, case.from, case.to, case.on, case.claims,
                case.verdict, case.severity, case.mechanism, case.reason,
                a.verdict, a.severity, a.mechanism, a.reason()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn every_verdict_and_severity_is_covered_by_the_table() {
    for v in Verdict::ALL {
        assert!(CASES.iter().any(|c| c.verdict == v), "{v:?}");
    }
    for regime in ["[EU/EEA law]", "[UK law]", "[Swiss law]"] {
        assert!(
            CASES.iter().any(|c| c.reason.starts_with(regime)),
            "{regime}"
        );
    }
    for s in [Info, Fine, Warning, Critical] {
        assert!(CASES.iter().any(|c| c.severity == s), "{s:?}");
    }
}

fn one(
    from: &str,
    to: &str,
    claims: &'static [&'static str],
    certified: &'static [&'static str],
    on: &'static str,
) -> Assessment<'static> {
    let rules = RuleSet::embedded();
    let case = Case {
        from: "FR",
        to: "US",
        claims,
        certified,
        on,
        ..C
    };
    let mut f = facts(&case, rules);
    f.exporter = CountryCode::parse(from).unwrap();
    f.importer = Some(CountryCode::parse(to).unwrap());
    assess(&f, rules, date(on))
}

#[test]
fn hints_say_what_to_do() {
    let a = one("FR", "US", &["privacy_shield"], &["dpf"], "2024-01-01");
    assert!(
        a.hints().iter().any(|h| h.contains(
            "record the EU-US Data Privacy Framework instead of the EU-US Privacy Shield"
        )),
        "{:?}",
        a.hints()
    );

    let a = one("FR", "US", &[], &[], "2024-01-01");
    assert!(
        a.hints()
            .iter()
            .any(|h| h.contains("If the importer is on the Data Privacy Framework List")),
        "{:?}",
        a.hints()
    );
    assert!(
        a.hints().iter().any(|h| h.contains("Sign the 2021 SCCs")),
        "{:?}",
        a.hints()
    );

    let a = one("FR", "IN", &["scc_2010:2019-01-01"], &[], "2022-06-01");
    assert!(
        a.hints()
            .iter()
            .any(|h| h.contains("Replace the 2010 SCCs with the 2021 SCCs")),
        "{:?}",
        a.hints()
    );
    assert!(
        a.hints()
            .iter()
            .any(|h| h.contains("Record a transfer impact assessment")),
        "{:?}",
        a.hints()
    );

    let a = one("FR", "BR", &[], &[], "2025-06-01");
    assert!(
        a.hints()
            .iter()
            .any(|h| h.contains("An adequacy decision for Brazil applies from 2026-01-26")),
        "{:?}",
        a.hints()
    );

    let a = one("NO", "BR", &[], &[], "2026-06-01");
    assert!(
        a.hints()
            .iter()
            .any(|h| h.contains("does not bind exporters in the EEA EFTA states")),
        "{:?}",
        a.hints()
    );

    let a = one("FR", "CA", &[], &[], "2024-01-01");
    assert!(
        a.hints()
            .iter()
            .any(|h| h.contains("Commercial organisations subject to PIPEDA")),
        "{:?}",
        a.hints()
    );

    // A rule from general knowledge says so; a rule checked in the Official Journal does not.
    let a = one("FR", "IN", &["scc_2002:2005-01-01"], &[], "2008-01-01");
    assert!(
        a.hints()
            .iter()
            .any(|h| h.contains("'scc_2002' is tagged [K]")),
        "{:?}",
        a.hints()
    );
    let a = one("FR", "JP", &[], &[], "2024-01-01");
    assert!(
        !a.hints().iter().any(|h| h.contains("tagged")),
        "{:?}",
        a.hints()
    );
}

#[test]
fn references_name_the_rules_that_decided() {
    let a = one("FR", "US", &["privacy_shield"], &[], "2021-01-01");
    let rules: Vec<&str> = a.references.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(rules, ["gdpr_eu", "privacy_shield"]);
    assert_eq!(a.references[1].confidence, Confidence::Primary);

    let a = one(
        "FR",
        "IN",
        &["scc_2010:2019-01-01", "consent"],
        &[],
        "2023-01-01",
    );
    assert_eq!(a.verdict, Derogation);
    let rules: Vec<&str> = a.references.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["gdpr_eu", "consent", "derogations", "scc_2021_art4"]
    );
    assert!(
        a.hints()
            .iter()
            .any(|h| h.starts_with("Also: Contracts on the 2010 SCCs ceased")),
        "{:?}",
        a.hints()
    );
}

#[test]
fn the_json_shape_is_the_contract() {
    let a = one("FR", "US", &["privacy_shield"], &[], "2021-01-01");
    let json = serde_json::to_value(&a).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "flagged",
            "hints",
            "mechanism",
            "reason",
            "references",
            "regime",
            "severity",
            "verdict"
        ]
    );
    assert_eq!(json["regime"], "eu");
    assert_eq!(json["verdict"], "unsafeguarded");
    assert_eq!(json["severity"], "critical");
    assert_eq!(json["flagged"], true);
    assert_eq!(json["mechanism"], serde_json::Value::Null);
    assert_eq!(json["references"][1]["rule"], "privacy_shield");
    assert_eq!(json["references"][1]["confidence"], "P");
}

#[test]
fn rules_in_force_follow_the_date() {
    let rules = RuleSet::embedded().regime("eu").unwrap();
    let on = |d| rules.in_force(date(d));

    let r = on("2024-01-01");
    assert!(r.frameworks.iter().any(|f| f.id == "dpf"));
    assert!(!r.frameworks.iter().any(|f| f.id == "privacy_shield"));
    assert!(!r.safeguards.iter().any(|s| s.id == "scc_2010"));
    assert_eq!(
        r.inside
            .iter()
            .filter(|i| !["GF", "GP", "MQ", "RE", "MF", "YT", "AX"].contains(&i.country.as_str()))
            .count(),
        30
    );

    let r = on("2022-01-01");
    let old = r
        .safeguards
        .iter()
        .find(|s| s.id == "scc_2010")
        .expect("old SCCs in their grace period");
    assert_eq!(old.only_contracts_signed_before, Some(date("2021-09-27")));
    assert_eq!(old.valid_until, Some(date("2022-12-28")));

    let r = on("2021-03-01");
    let gb = r
        .inside
        .iter()
        .find(|i| i.country.as_str() == "GB")
        .expect("GB bridged");
    assert_eq!(gb.status, MembershipStatus::Bridge);

    let r = on("2018-06-01");
    let laws: Vec<(&str, &str)> = r.laws.iter().map(|l| (l.group, l.law)).collect();
    assert_eq!(laws, [("eu", "gdpr"), ("efta_eea", "directive_95_46")]);
    assert_eq!(
        r.derogations
            .iter()
            .find(|d| d.id == "consent")
            .unwrap()
            .basis
            .len(),
        2
    );

    assert!(on("1990-01-01").laws.is_empty());
}

// --- loading and validating the rules data -------------------------------------------------

const EMBEDDED: &str = include_str!("../../seeds/rules/eu.toml");

fn load_error(from: &str, to: &str) -> String {
    assert!(EMBEDDED.contains(from), "fixture text not found: {from}");
    match Regime::from_toml(&EMBEDDED.replacen(from, to, 1)) {
        Ok(_) => panic!("accepted rules with {to:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_embedded_rules_load_with_every_mechanism_id_of_the_cli() {
    let rules = RuleSet::embedded();
    for id in [
        "scc_2021",
        "scc_2010",
        "scc_2004",
        "scc_2002",
        "scc_2001",
        "bcr",
        "code_of_conduct",
        "certification",
        "ad_hoc_clauses",
        "public_bodies",
        "privacy_shield",
        "safe_harbour",
        "dpf",
        "consent",
        "contract_necessity",
        "contract_in_interest",
        "public_interest",
        "legal_claims",
        "vital_interests",
        "public_register",
        "compelling_legitimate_interests",
    ] {
        rules.mechanism_id(id).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(rules.framework_id("scc_2021").is_err());
    let err = rules.mechanism_id("scc_2099").unwrap_err().to_string();
    assert!(
        err.contains(
            "unknown mechanism 'scc_2099'; valid ids: safe_harbour, privacy_shield, dpf, scc_2001"
        ),
        "{err}"
    );
}

#[test]
fn an_unknown_country_code_names_the_row() {
    let e = load_error("country = \"CH\"", "country = \"XX\"");
    assert!(
        e.contains("adequacy 'adq_CH': unknown country code 'XX'"),
        "{e}"
    );
    let e = load_error("countries = [\"HR\"]", "countries = [\"HR\", \"EL\"]");
    assert!(
        e.contains("membership 'eu_2013': unknown country code 'EL'"),
        "{e}"
    );
    let e = load_error("country = \"CH\"", "country = \"ch\"");
    assert!(
        e.contains("adequacy 'adq_CH': write country code 'ch' as 'CH'"),
        "{e}"
    );
}

#[test]
fn valid_until_must_be_after_valid_from() {
    let e = load_error(
        "valid_until = \"2020-07-16\"",
        "valid_until = \"2016-07-12\"",
    );
    assert!(
        e.contains(
            "framework 'privacy_shield': valid_until 2016-07-12 is not after valid_from 2016-07-12"
        ),
        "{e}"
    );
    let e = load_error(
        "valid_until = \"2015-10-06\"",
        "valid_until = \"1999-01-01\"",
    );
    assert!(e.contains("framework 'safe_harbour'"), "{e}");
}

#[test]
fn a_rule_naming_an_unknown_id_is_refused() {
    let e = load_error(
        "transition = \"scc_2021_art4\"",
        "transition = \"scc_2031_art4\"",
    );
    assert!(
        e.contains("safeguard 'scc_2001': names unknown transition 'scc_2031_art4'"),
        "{e}"
    );
    let e = load_error("law = \"gdpr\"", "law = \"gdrp\"");
    assert!(
        e.contains("application 'gdpr_eu': names unknown law 'gdrp'"),
        "{e}"
    );
    let e = load_error(
        "exporter_groups = [\"eu\"]",
        "exporter_groups = [\"europe\"]",
    );
    assert!(
        e.contains("membership 'uk_bridge': names unknown group 'europe'"),
        "{e}"
    );
    let e = load_error(
        "gdpr = \"GDPR Art. 49(1)(a)\"",
        "gpdr = \"GDPR Art. 49(1)(a)\"",
    );
    assert!(
        e.contains("derogation 'consent': names unknown law 'gpdr'"),
        "{e}"
    );
    let e = load_error("id = \"adq_AR\"", "id = \"adq_CH\"");
    assert!(e.contains("adequacy 'adq_CH': duplicate id"), "{e}");
}

#[test]
fn every_invalid_row_is_reported_at_once_and_typos_in_fields_are_refused() {
    let broken = EMBEDDED
        .replacen("country = \"CH\"", "country = \"XX\"", 1)
        .replacen("country = \"AR\"", "country = \"YY\"", 1);
    let e = Regime::from_toml(&broken).unwrap_err().to_string();
    assert!(
        e.contains("2 invalid row(s)") && e.contains("'XX'") && e.contains("'YY'"),
        "{e}"
    );

    let e = Regime::from_toml(&EMBEDDED.replacen(
        "valid_from = \"2000-07-26\"",
        "valid_form = \"2000-07-26\"",
        1,
    ))
    .unwrap_err()
    .to_string();
    assert!(e.contains("unknown field `valid_form`"), "{e}");
    let e = Regime::from_toml(&EMBEDDED.replacen(
        "valid_from = \"2000-07-26\"",
        "valid_from = \"2000-07-32\"",
        1,
    ))
    .unwrap_err()
    .to_string();
    assert!(e.contains("line"), "{e}");
}

// --- bad input: facts that describe no possible transfer -----------------------------------

fn checked(from: &str, to: &str, claims: &[&str], outside: &[&str]) -> Result<(), InvalidFacts> {
    let rules = RuleSet::embedded();
    let mut f = Facts::new(
        CountryCode::parse(from).unwrap(),
        CountryCode::parse(to).unwrap(),
    );
    f.claims = claims
        .iter()
        .map(|c| Claim {
            mechanism: rules.mechanism_id(c).unwrap(),
            signed: None,
        })
        .collect();
    f.outside_scope = outside
        .iter()
        .map(|e| ScopeExclusion::parse(e).unwrap())
        .collect();
    rules.check(&f)
}

#[test]
fn invalid_combinations_are_refused_naming_the_field() {
    // TRANSFER-RULES.md §1.4: an international organisation is an importer only.
    let e = checked("IO-EPO", "US", &[], &[]).unwrap_err();
    assert_eq!(e.field, "exporter");
    assert!(e.message.contains("never an exporter"), "{e}");
    // A UK-only tool in the Swiss regime, and in the EU one.
    let e = checked("CH", "IN", &["idta"], &[]).unwrap_err();
    assert_eq!(e.field, "mechanisms");
    assert!(
        e.message
            .contains("'idta' is not a transfer mechanism under Swiss law (ch)"),
        "{e}"
    );
    let e = checked("FR", "IN", &["uk_addendum"], &[]).unwrap_err();
    assert!(e.message.contains("under EU/EEA law (eu)"), "{e}");
    // A Swiss-only exception for an EU exporter.
    assert!(checked("DE", "IN", &["made_public"], &[]).is_err());
    // A GB exporter lived under EU law before 2021: both regimes' ids are valid input.
    assert!(checked("GB", "IN", &["idta", "scc_2021", "privacy_shield"], &[]).is_ok());
    // A scope condition about another country than the destination.
    let e = checked("FR", "JP", &[], &["kr_religious"]).unwrap_err();
    assert_eq!(e.field, "outside_scope");
    assert!(e.message.contains("South Korea (KR)"), "{e}");
    // No regime governs a US exporter: out of scope whatever it claims.
    assert!(checked("US", "IN", &["idta"], &[]).is_ok());
}

#[test]
fn the_regime_follows_the_exporter_and_the_date() {
    let rules = RuleSet::embedded();
    let regime = |c: &str, d: &str| {
        rules
            .regime_for(CountryCode::parse(c).unwrap(), date(d))
            .map(|(_, r, _)| r.regime.as_str())
    };
    assert_eq!(regime("GB", "2020-12-31"), Some("eu"));
    assert_eq!(regime("GB", "2021-01-01"), Some("uk"));
    assert_eq!(regime("GI", "2020-12-31"), Some("eu"));
    assert_eq!(regime("GI", "2021-01-01"), None);
    assert_eq!(regime("CH", "2000-01-01"), Some("ch"));
    assert_eq!(regime("LI", "2024-01-01"), Some("eu"));
    assert_eq!(regime("US", "2024-01-01"), None);
    let a = one("CH", "IN", &[], &[], "2024-01-01");
    assert_eq!(a.regime, Some("ch"));
    assert!(a.references.iter().any(|r| r.rule == "revfadp_ch"));
}

#[test]
fn every_regime_loads_and_answers_every_step() {
    let rules = RuleSet::embedded();
    assert_eq!(rules.regime_ids(), "eu, uk, ch");
    for r in &rules.regimes {
        let in_force = r.in_force(date("2024-06-01"));
        assert!(!in_force.laws.is_empty(), "{}", r.regime);
        assert!(!in_force.open_points.is_empty(), "{}", r.regime);
        assert!(!in_force.unnamed.is_empty(), "{}", r.regime);
    }
    // UK: EEA states listed as adequacy regulations; the UK itself "inside" (domestic).
    let uk = rules.regime("uk").unwrap().in_force(date("2024-06-01"));
    assert!(uk.adequacy.iter().any(|a| a.country.as_str() == "DE"));
    assert!(uk.safeguards.iter().any(|s| s.id == "idta"));
    assert!(!uk.safeguards.iter().any(|s| s.id == "scc_2021"));
    // Swiss: no UK tool ever.
    let ch = rules.regime("ch").unwrap();
    let idta = rules.mechanism_id("idta").unwrap();
    assert!(ch.mechanism(idta).is_none());
}

#[test]
fn a_scope_condition_must_exist_and_concern_the_decision_s_country() {
    let e = load_error(
        "excludes = [\"jp_public_sector\", \"jp_appi_76\"]",
        "excludes = [\"jp_public_sector\", \"kr_religious\", \"jp_appi_77\"]",
    );
    assert!(
        e.contains("adequacy 'adq_JP': excludes 'kr_religious', about another country"),
        "{e}"
    );
    assert!(e.contains("unknown scope condition 'jp_appi_77'"), "{e}");
}

#[test]
fn hints_carry_the_risk_note_the_doubt_and_the_destination_status() {
    let a = one("FR", "US", &[], &["dpf"], "2026-12-01");
    assert!(
        a.hints().iter().any(|h| h.contains("Trump v. Slaughter")),
        "{:?}",
        a.hints()
    );
    let a = one("FR", "IN", &["scc_2002:2009-01-01"], &[], "2022-01-01");
    assert!(
        a.hints()
            .iter()
            .any(|h| h.contains("2002 SCCs") && h.contains("doubtful")),
        "{:?}",
        a.hints()
    );
    let a = one("FR", "PF", &[], &[], "2024-01-01");
    assert!(
        a.hints()
            .iter()
            .any(|h| h.contains("French overseas collectivity")),
        "{:?}",
        a.hints()
    );
    let a = one("NL", "US", &["unnamed_safeguard"], &[], "2024-01-01");
    assert!(
        a.hints()
            .iter()
            .any(|h| h.contains("Ask for the transfer mechanism by name")),
        "{:?}",
        a.hints()
    );
    let a = one("FR", "KR", &[], &[], "2024-01-01");
    assert!(
        a.hints().iter().any(|h| h.contains("kr_religious")),
        "{:?}",
        a.hints()
    );
}

/// The sentences are written only when read, by running `explain` again aloud: across every
/// exporter, destination, mechanism, framework part and date, the muted pass that gave the
/// verdict must decide exactly as the spoken one (`Assessment::words` checks this in debug
/// builds), and every reason is a sentence.
#[test]
fn the_words_written_later_match_the_verdict_given_at_once() {
    let rules = RuleSet::embedded();
    let mechanisms: Vec<_> = rules
        .mechanisms()
        .map(|m| rules.mechanism_id(m.id()).unwrap())
        .collect();
    let frameworks: Vec<_> = ["safe_harbour", "privacy_shield", "dpf"]
        .iter()
        .map(|f| rules.framework_id(f).unwrap())
        .collect();
    let exclusions: Vec<ScopeExclusion> = ScopeExclusion::all().collect();
    let exporters = ["FR", "DE", "NO", "GB", "CH", "LI", "HR", "US"];
    let importers = ["US", "IN", "JP", "GB", "CH", "DE", "KR", "IO-EPO", "IL"];
    let mut seed = 7u64;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    let start = date("1996-01-01");
    let mut verdicts = Vec::new();
    for _ in 0..20_000 {
        let mut f = Facts::new(
            CountryCode::parse(exporters[next(exporters.len())]).unwrap(),
            CountryCode::parse(importers[next(importers.len())]).unwrap(),
        );
        for _ in 0..next(3) {
            let signed =
                (next(2) == 0).then(|| start + chrono::Duration::days(next(11_000) as i64));
            f.claims.push(Claim {
                mechanism: mechanisms[next(mechanisms.len())],
                signed,
            });
        }
        if next(3) == 0 {
            let parts = if next(2) == 0 {
                Parts::ALL
            } else {
                Parts::of(next(3))
            };
            f.certified.push(Certified {
                framework: frameworks[next(frameworks.len())],
                parts,
            });
        }
        if next(8) == 0 {
            f.outside_scope.push(exclusions[next(exclusions.len())]);
        }
        f.tia = next(2) == 0;
        f.processing_changed = next(10) == 0;
        let a = assess(
            &f,
            rules,
            start + chrono::Duration::days(next(11_300) as i64),
        );
        let (reason, _) = a.words();
        assert!(reason.ends_with('.'), "{reason}");
        if !verdicts.contains(&a.verdict) {
            verdicts.push(a.verdict);
        }
    }
    assert_eq!(verdicts.len(), Verdict::ALL.len(), "{verdicts:?}");
}
