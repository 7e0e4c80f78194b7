"""The access policy of every route, written down independently of the code
(``tests/http/test_access_matrix.py`` walks it: R-T1, R-T3, R-I3)."""

from __future__ import annotations

from dataclasses import dataclass

from appliance.core.roles import Role
from tests.support.station import COMPLAINTS, GUIDE, HELPER, MANAGER, WINDOW_CLERK

G, W, H, C, M = Role.GUIDE, Role.WINDOW, Role.HELPER, Role.COMPLAINTS, Role.MANAGER
ALL = {G, W, H, C, M}
WINDOW_OPS = {W, H, M}
PUBLIC = "public"
DEVICE = "device"

# The demo account of each role, and the window it is assigned (None: no window).
ACCOUNTS = {M: MANAGER, W: WINDOW_CLERK, G: GUIDE, H: HELPER, C: COMPLAINTS}
OWN_WINDOW = {M: "2", W: "1", H: "2", G: None, C: None}
WINDOWS = ("1", "2")


@dataclass(frozen=True)
class AtOwnWindow:
    """These roles, each at the window they are signed in at; the head at every window."""

    roles: frozenset[Role]

    def allows(self, role: Role, window: str) -> bool:
        return role in self.roles and (role is M or OWN_WINDOW[role] == window)


OWN = AtOwnWindow(frozenset(WINDOW_OPS))

# The access policy, written down independently of the code.
POLICY: dict[tuple[str, str], object] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/display"): PUBLIC,
    ("GET", "/kiosk"): PUBLIC,
    ("GET", "/board"): PUBLIC,
    ("GET", "/station.js"): PUBLIC,
    ("GET", "/t/{ticket_id:str}"): PUBLIC,
    ("GET", "/api/display"): PUBLIC,
    ("GET", "/api/display/stream"): PUBLIC,
    ("GET", "/api/board"): PUBLIC,
    ("GET", "/api/health"): PUBLIC,
    ("GET", "/api/categories"): PUBLIC,
    ("GET", "/api/windows"): PUBLIC,
    ("GET", "/static/{file_path:path}"): PUBLIC,
    ("HEAD", "/static/{file_path:path}"): PUBLIC,
    ("POST", "/api/kiosk/tickets"): PUBLIC,
    ("GET", "/api/tickets/{ticket_id:str}/progress"): PUBLIC,
    ("POST", "/api/auth/login"): PUBLIC,
    ("POST", "/api/auth/change-pin"): PUBLIC,
    ("POST", "/api/auth/unlock"): {M},
    ("POST", "/api/tickets"): {G, W, H, M},
    ("POST", "/api/tickets/{ticket:str}/rejoin"): {G, W, H, M},
    ("GET", "/api/queue"): ALL,
    ("GET", "/api/windows/{window:str}"): ALL,
    ("POST", "/api/windows/{window:str}/call-next"): OWN,
    ("POST", "/api/windows/{window:str}/call"): OWN,
    ("POST", "/api/windows/{window:str}/recall"): OWN,
    ("POST", "/api/windows/{window:str}/start"): OWN,
    ("POST", "/api/windows/{window:str}/finish"): OWN,
    ("POST", "/api/windows/{window:str}/no-show"): OWN,
    ("POST", "/api/windows/{window:str}/transfer"): OWN,
    ("POST", "/api/windows/{window:str}/pause"): OWN,
    ("POST", "/api/windows/{window:str}/resume"): OWN,
    ("POST", "/api/auth/logout"): ALL,
    ("GET", "/api/auth/me"): ALL,
    ("GET", "/api/staff"): {M},
    ("POST", "/api/staff"): {M},
    ("POST", "/api/staff/{staff_id:str}/deactivate"): {M},
    ("POST", "/api/staff/me/clock-in"): ALL,
    ("POST", "/api/staff/me/clock-out"): ALL,
    ("POST", "/api/staff/me/whereabouts"): ALL,
    ("GET", "/api/alerts"): ALL,
    ("POST", "/api/categories"): {M},
    ("POST", "/api/windows"): {M},
    ("PUT", "/api/categories/{ref:str}"): {M},
    ("PUT", "/api/windows/{ref:str}"): {M},
    ("POST", "/api/device/button-press"): DEVICE,
    ("POST", "/api/device/print-jobs/claim"): DEVICE,
    ("POST", "/api/device/print-jobs/{job_id:str}/done"): DEVICE,
    ("POST", "/api/device/print-jobs/{job_id:str}/failed"): DEVICE,
    ("POST", "/api/device/sms/claim"): DEVICE,
    ("POST", "/api/device/sms/{sms_id:str}/sent"): DEVICE,
    ("POST", "/api/device/sms/{sms_id:str}/failed"): DEVICE,
    ("POST", "/api/device/sms/inbound"): DEVICE,
    ("POST", "/api/device/status"): DEVICE,
    ("POST", "/api/device/alerts"): DEVICE,
    ("POST", "/api/device/ratings"): DEVICE,
    ("GET", "/api/device/events"): DEVICE,
    ("POST", "/api/device/heartbeat"): DEVICE,
    ("GET", "/api/device/heartbeat"): DEVICE,
    ("GET", "/api/print-jobs"): ALL,
    ("POST", "/api/print-jobs/{job_id:str}/cancel"): {G, W, H, M},
    ("POST", "/api/print-jobs/{job_id:str}/reprint"): {G, W, H, M},
    ("POST", "/api/tickets/{ticket_id:str}/reprint"): {G, W, H, M},
    ("GET", "/api/sms"): ALL,
    ("POST", "/api/sms/{sms_id:str}/cancel"): {G, W, H, M},
    ("POST", "/api/sms/{sms_id:str}/retry"): {G, W, H, M},
    ("GET", "/api/sms-templates"): ALL,
    ("PUT", "/api/sms-templates/{kind:str}"): {M},
    ("GET", "/api/devices"): ALL,
    ("GET", "/api/devices/appliance"): ALL,
    ("GET", "/api/sync/status"): ALL,
    ("GET", "/api/catalogue/items"): ALL,
    ("GET", "/api/catalogue/items/{code:str}"): PUBLIC,
    ("POST", "/api/cases"): WINDOW_OPS,
    ("GET", "/api/cases"): ALL,
    ("GET", "/api/cases/{case_number:str}"): ALL,
    ("POST", "/api/cases/{case_number:str}/actions/{action:str}"): WINDOW_OPS,
    ("GET", "/api/cases/{case_number:str}/notices"): ALL,
    ("GET", "/api/cases/{case_number:str}/notices/{notice_id:str}/pdf"): ALL,
    ("POST", "/api/cases/{case_number:str}/notices/{notice_id:str}/reprint"): WINDOW_OPS,
    ("GET", "/api/device/case-notices/{notice_id:str}/pdf"): DEVICE,
    ("GET", "/api/catalogue/items/{code:str}/guide.pdf"): PUBLIC,
    ("POST", "/api/catalogue/items/{code:str}/guide/print"): ALL,
    ("POST", "/api/public/case-query"): PUBLIC,
    ("GET", "/cases"): PUBLIC,
    ("GET", "/cases/{case_number:str}"): PUBLIC,
    ("GET", "/schema"): PUBLIC,
    ("GET", "/schema/openapi.json"): PUBLIC,
    ("GET", "/schema/{path:str}"): PUBLIC,
    # ratings (R-E2, R-E3): visitors rate in public (a staff login is refused there), the
    # head and 投诉受理 transcribe the comment box and work the follow-ups, the head decides
    ("GET", "/rate"): PUBLIC,
    ("GET", "/rate/window/{window:str}"): PUBLIC,
    ("GET", "/api/ratings/options"): PUBLIC,
    ("GET", "/api/ratings/windows/{window:str}/offer"): PUBLIC,
    ("POST", "/api/ratings/windows/{window:str}"): PUBLIC,
    ("POST", "/api/ratings/link/check"): PUBLIC,
    ("POST", "/api/ratings/link"): PUBLIC,
    ("POST", "/api/ratings/comment-box"): {C, M},
    ("GET", "/api/ratings/rates"): {C, M},
    ("GET", "/api/ratings/followups"): {C, M},
    ("GET", "/api/ratings/followups/{followup_id:str}"): {C, M},
    ("POST", "/api/ratings/followups/{followup_id:str}/steps"): {C, M},
    ("POST", "/api/ratings/followups/{followup_id:str}/appeal"): {C, M},
    ("POST", "/api/ratings/followups/{followup_id:str}/appeal/decision"): {M},
    # archives (R-A1–R-A3): window staff and the head file and hand over (HN-5 7.3)
    ("GET", "/api/archives/due"): WINDOW_OPS,
    ("GET", "/api/archives/packages"): WINDOW_OPS,
    ("POST", "/api/archives/build"): WINDOW_OPS,
    ("GET", "/api/archives/packages/{archive_no:str}/verify"): WINDOW_OPS,
    ("GET", "/api/archives/packages/{archive_no:str}/zip"): WINDOW_OPS,
    ("GET", "/api/archives/transfers"): WINDOW_OPS,
    ("POST", "/api/archives/transfers"): WINDOW_OPS,
    ("GET", "/api/archives/transfers/{number:str}"): WINDOW_OPS,
    ("POST", "/api/archives/transfers/{number:str}/return"): WINDOW_OPS,
    ("POST", "/api/archives/transfers/{number:str}/resubmit"): WINDOW_OPS,
    ("POST", "/api/archives/transfers/{number:str}/accept"): WINDOW_OPS,
    ("GET", "/api/archives/transfers/{number:str}/rounds/{round_no:int}/pdf"): WINDOW_OPS,
    # "办不成事" desk (R-P1): every staff member registers and follows; the head exports
    ("POST", "/api/desk"): ALL,
    ("GET", "/api/desk"): ALL,
    ("GET", "/api/desk/export.csv"): {M},
    ("GET", "/api/desk/export.xlsx"): {M},
    ("GET", "/api/desk/{ref:str}"): ALL,
    **{("POST", f"/api/desk/{{ref:str}}/{a}"): ALL for a in ("close", "notes", "notify")},
    # complaints (R-P2): 投诉受理 and the head handle them; anyone reads one that is not
    # confidential, a confidential one only C and M (tests/complaints/test_complaint_access.py)
    ("POST", "/api/complaints"): {C, M},
    ("GET", "/api/complaints"): ALL,
    ("GET", "/api/complaints/export.csv"): {C, M},
    ("GET", "/api/complaints/export.xlsx"): {C, M},
    ("GET", "/api/complaints/{ref:str}"): ALL,
    **{
        ("POST", f"/api/complaints/{{ref:str}}/{step}"): {C, M}
        for step in ("verify", "handle", "transfer", "follow", "result", "answer", "close")
    },
    # first contact, consultations, knowledge base (R-C1–R-C3): every member of staff is a
    # first responder and keeps the ledgers; the head exports them; the public reads 常见问题
    ("POST", "/api/contacts"): ALL,
    ("GET", "/api/contacts"): ALL,
    ("GET", "/api/contacts/export.csv"): {M},
    ("GET", "/api/contacts/export.xlsx"): {M},
    ("GET", "/api/contacts/{contact_id:str}"): ALL,
    ("POST", "/api/contacts/{contact_id:str}/close"): ALL,
    ("POST", "/api/contacts/{contact_id:str}/case"): ALL,
    ("POST", "/api/consultations"): ALL,
    ("GET", "/api/consultations"): ALL,
    ("GET", "/api/consultations/export.csv"): {M},
    ("GET", "/api/consultations/export.xlsx"): {M},
    ("GET", "/api/consultations/{ref:str}"): ALL,
    ("POST", "/api/consultations/{ref:str}/close"): ALL,
    ("POST", "/api/consultations/{ref:str}/promote"): ALL,
    # 帮办代办 (R-D1, R-D2): every member of staff logs 帮办 and works delegations (a village
    # station has one to three people); the head exports the ledger
    ("POST", "/api/delegations/help"): ALL,
    ("POST", "/api/delegations"): ALL,
    ("GET", "/api/delegations"): ALL,
    ("GET", "/api/delegations/reasons"): ALL,
    ("GET", "/api/delegations/export.csv"): {M},
    ("GET", "/api/delegations/export.xlsx"): {M},
    ("GET", "/api/delegations/{ref:str}"): ALL,
    ("GET", "/api/delegations/{ref:str}/documents/{document_id:str}/pdf"): ALL,
    **{
        ("POST", f"/api/delegations/{{ref:str}}/{step}"): ALL
        for step in ("progress", "suspend", "resume", "complete", "visits", "fees")
    },
    ("POST", "/api/delegations/{ref:str}/visits/{visit_id:str}/done"): ALL,
    ("GET", "/api/knowledge"): ALL,
    ("POST", "/api/knowledge"): ALL,
    ("GET", "/api/knowledge/export.csv"): {M},
    ("GET", "/api/knowledge/export.xlsx"): {M},
    ("GET", "/api/knowledge/{entry_id:str}"): ALL,
    ("PUT", "/api/knowledge/{entry_id:str}"): ALL,
    ("POST", "/api/knowledge/{entry_id:str}/retire"): ALL,
    ("GET", "/api/public/knowledge"): PUBLIC,
    ("GET", "/faq"): PUBLIC,
    # fault log and emergencies (R-I1, R-I2): any member of staff records a fault or runs an
    # emergency checklist; the head exports the ledger
    ("POST", "/api/faults"): ALL,
    ("GET", "/api/faults"): ALL,
    ("GET", "/api/faults/export.csv"): {M},
    ("GET", "/api/faults/export.xlsx"): {M},
    ("GET", "/api/faults/{ref:str}"): ALL,
    ("POST", "/api/faults/{ref:str}/actions"): ALL,
    ("POST", "/api/faults/{ref:str}/close"): ALL,
    ("GET", "/api/faults/{ref:str}/sheet.pdf"): ALL,
    ("POST", "/api/faults/{ref:str}/print"): ALL,
    ("GET", "/api/emergencies/procedures"): ALL,
    ("GET", "/api/emergencies"): ALL,
    ("POST", "/api/emergencies"): ALL,
    ("GET", "/api/emergencies/{ref:str}"): ALL,
    ("POST", "/api/emergencies/{ref:str}/steps"): ALL,
    ("POST", "/api/emergencies/{ref:str}/end"): ALL,
    # appointments and the outage register (R-Q7, R-Q8): any member of staff books, cancels,
    # moves and registers an outage; those who issue numbers check in; the head exports
    ("GET", "/api/appointments/slots"): ALL,
    ("GET", "/api/appointments"): ALL,
    ("POST", "/api/appointments"): ALL,
    ("GET", "/api/appointments/stats"): ALL,
    ("GET", "/api/appointments/export.csv"): {M},
    ("GET", "/api/appointments/export.xlsx"): {M},
    ("GET", "/api/appointments/{ref:str}"): ALL,
    ("POST", "/api/appointments/{ref:str}/check-in"): {G, W, H, M},
    ("POST", "/api/appointments/{ref:str}/cancel"): ALL,
    ("POST", "/api/appointments/{ref:str}/move"): ALL,
    ("POST", "/api/outages"): ALL,
    ("GET", "/api/outages"): ALL,
    ("GET", "/api/outages/{ref:str}"): ALL,
    ("GET", "/api/public/appointments/slots"): PUBLIC,
    ("POST", "/api/public/appointments"): PUBLIC,
    ("GET", "/book"): PUBLIC,
    # station figures and their export (R-M1, R-M3): the station head only
    ("GET", "/api/figures"): {M},
    ("GET", "/api/figures/home"): {M},
    ("GET", "/api/figures/export.csv"): {M},
    ("GET", "/api/figures/export.xlsx"): {M},
}

PARAMS = {
    "{window:str}": "1",
    "{ticket:str}": "A001",
    "{ticket_id:str}": "no-such-ticket",
    "{staff_id:str}": "no-such-staff",
    "{file_path:path}": "yizhan-missing.css",
    "{job_id:str}": "no-such-job",
    "{sms_id:str}": "no-such-sms",
    "{kind:str}": "no-such-kind",
    "{code:str}": "no-such-item",
    "{case_number:str}": "YZ0001-20261123-9999",
    "{action:str}": "accept",
    "{notice_id:str}": "no-such-notice",
    "{path:str}": "no-such-page",
    "{followup_id:str}": "no-such-followup",
    "{archive_no:str}": "no-such-archive",
    "{number:str}": "no-such-transfer",
    "{round_no:int}": "1",
    "{ref:str}": "no-such-ref",
    "{contact_id:str}": "no-such-contact",
    "{entry_id:str}": "no-such-entry",
}


# Valid bodies for the window actions, so that a refusal can only be about who asks.
BODIES = {"call": {"ticket": "A001"}, "transfer": {"to_category": "B"}, "pause": {"reason": "会议"}}
