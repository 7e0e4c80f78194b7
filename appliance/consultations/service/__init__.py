"""Consultation ledger services (咨询台账, R-C2)."""
