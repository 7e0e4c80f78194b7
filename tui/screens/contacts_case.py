"""转收件 (R-C1, R-K1): the intake screen, filled from a first contact without retyping.

The case screen itself (``tui/screens/cases_intake.py``) is used as it is: this screen
puts the contact's item (its code, else the matter) in the item search, so Enter picks it,
and the visitor's name and mobile number and the channel in the applicant fields. Once the
case is opened the contact is linked to it (``POST /api/contacts/{id}/case``); the case API
is unchanged.
"""

from __future__ import annotations

from textual.widgets import Input, Static

from appliance.contacts.schemas import ContactView
from appliance.core.identity import is_mobile
from tui.case_widgets import ChoiceBar
from tui.screens.case_common import guarded
from tui.screens.case_detail import CaseDetailScreen
from tui.screens.cases_intake import IntakeScreen

# 接待渠道 → 收件渠道 of the case
CASE_CHANNELS = {"onsite": "counter", "phone": "counter", "online": "online", "letter": "post"}


class ContactIntakeScreen(IntakeScreen):
    """收件, prefilled from a contact; the opened case is linked back to the contact."""

    def __init__(self, contact: ContactView) -> None:
        super().__init__(ticket=None)
        self.contact = contact

    def on_mount(self) -> None:
        """Runs before the intake screen's own ``on_mount`` (Textual calls both)."""
        contact = self.contact
        self.query_one("#intake-title", Static).update(f"收件 · 来自首问登记：{contact.matter}")
        self.query_one("#item-search", Input).value = contact.item_code or contact.matter
        self.query_one("#applicant-name", Input).value = contact.visitor_name
        if is_mobile(contact.visitor_contact):
            self.query_one("#applicant-phone", Input).value = contact.visitor_contact
        self.query_one("#channel", ChoiceBar).select(CASE_CHANNELS[contact.channel.value])

    async def action_submit(self) -> None:
        """Open the case as the intake screen does, then link it to the contact."""
        app, api = self.app, self.yz.api
        await super().action_submit()
        top = app.screen_stack[-1] if app.screen_stack else None
        if not isinstance(top, CaseDetailScreen):
            return  # refused: the intake screen shows why and keeps every value
        linked = await guarded(
            app,
            api.link_contact_case(self.contact.id, top.case_number),
            lambda message: app.notify(f"办件已收，但未能关联首问登记：{message}", markup=False),
        )
        if linked is not None:
            app.notify(f"首问登记已关联办件 {top.case_number}", markup=False)
