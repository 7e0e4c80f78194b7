"""Case handling domain (办件, R-K1–R-K8): pure rules, no storage, no HTTP, no TUI.

Modules:
- ``states``: case states and actions with their Chinese labels;
- ``materials``: ``ItemRules`` (a catalogue item as the machine sees it) and the checklist;
- ``records``: applicant, commitments, handover, outcome, delivery variants;
- ``case``: the ``CaseFile`` and ``open_case``;
- ``commands``: one command per action with its required fields, and ``Context``;
- ``table``: the transition table as data;
- ``machine``: ``perform``, ``legal_actions``;
- ``deadlines``: due dates, stops, extensions, reminders, overdue, auto-acceptance;
- ``working_days``: the ``WorkingDays`` protocol, a weekends-only calendar and the
  ``ByDateCoverage`` adapter for ``appliance.calendar.rules.WorkingCalendar``;
- ``case_number``: ``YZ0001-20261123-0007`` formatting and parsing;
- ``item_view``: a catalogue ``ItemSpec`` → ``ItemRules``.
"""
