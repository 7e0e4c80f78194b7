"""意见箱录入 (R-E2): staff transcribe a paper comment-box card.

The card rates one service: a ticket (its number and day) or a case (its number). It is
stored as a comment-box rating under the transcriber's name — never as the visitor — and the
figures count it apart. A bad card opens a follow-up like any bad rating; the card's own
phone number, if it gives one, makes it real-name. Ctrl+S (or Enter in the last field) sends.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from appliance.ratings.rules.levels import DIMENSION_LABELS, LEVELS, Dimension
from appliance.ratings.schemas import CommentBoxIn, RatingView
from tui.queue_widgets import KeyFooter
from tui.screens.base import AppScreen
from tui.screens.case_common import guarded, local_today
from tui.status_bar import StatusBar

LEVEL_HINT = " · ".join(f"{k} {v}" for k, v in LEVELS.items())


def _score(text: str, what: str) -> int | None:
    """1–5, or None for an empty field; ValueError with a Chinese message otherwise."""
    text = text.strip()
    if not text:
        return None
    if text not in {"1", "2", "3", "4", "5"}:
        raise ValueError(f"{what}请填 1–5 的数字（{LEVEL_HINT}）")
    return int(text)


def parse_form(
    kind: str, ref: str, day: str, level: str, dims: dict[str, str], reason: str, phone: str
) -> CommentBoxIn:
    """The form as a request, or ValueError naming the field to fix."""
    if not ref.strip():
        raise ValueError("请填写卡片上的号码或办件编号")
    overall = _score(level, "总体评价")
    if overall is None:
        raise ValueError(f"请填写总体评价（{LEVEL_HINT}）")
    scores: dict[Dimension, int] = {}
    for key, value in dims.items():
        dim = Dimension(key)
        score = _score(value, DIMENSION_LABELS[dim])
        if score is not None:
            scores[dim] = score
    service_date = None
    if kind == "ticket" and day.strip():
        try:
            service_date = date.fromisoformat(day.strip())
        except ValueError:
            raise ValueError("日期格式应为 2026-11-23") from None
    return CommentBoxIn(
        subject_kind="ticket" if kind == "ticket" else "case",
        ref=ref.strip().upper(),
        service_date=service_date,
        level=overall,
        dimensions=scores,
        reason_text=reason.strip(),
        contact_phone=phone.strip(),
    )


def saved_text(r: RatingView) -> Text:
    text = Text(f"已录入：{r.subject_ref} {r.label}（{r.level} 分）", style="bold")
    text.append(f" · 来源：{r.source_label} · 录入人：{r.transcribed_by_name}")
    if r.level <= 2:
        text.append(" · 已生成差评回访", style="bold red")
    return text


class CommentBoxScreen(AppScreen):
    BINDINGS = [Binding("escape", "back", "返回"), Binding("ctrl+s", "save", "保存")]

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Static("意见箱录入 · 按卡片原样录入，记在录入人名下", id="cb-head")
        with VerticalScroll(id="cb-form"):
            yield Label("卡片评价的是：")
            with RadioSet(id="cb-kind"):
                yield RadioButton("窗口服务（号票）", value=True)
                yield RadioButton("办件")
            yield Label("号码（如 A001）或办件编号：")
            yield Input(id="cb-ref", placeholder="A001 或 YZ0001-20261123-0007")
            yield Label("办理日期（号票用，默认今天）：")
            yield Input(id="cb-date", placeholder="2026-11-23")
            yield Label(f"总体评价（{LEVEL_HINT}）：")
            yield Input(id="cb-level", max_length=1)
            yield Label("分项评价（可不填）：")
            with Horizontal(id="cb-dims"):
                for dim, label in DIMENSION_LABELS.items():
                    yield Input(id=f"cb-dim-{dim.value}", placeholder=label, max_length=1)
            yield Label("卡片上的意见：")
            yield Input(id="cb-reason", max_length=300)
            yield Label("卡片上留的联系电话（可不填）：")
            yield Input(id="cb-phone", max_length=11)
        yield Static("", id="cb-error", classes="dialog-error")
        yield Static("", id="cb-saved")
        yield Static(
            "Tab 切换 · Ctrl+S 或在最后一栏按 Enter 保存 · Esc 返回", classes="dialog-hint"
        )
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#cb-ref", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#cb-{name}", Input).value

    def _error(self, message: str) -> None:
        self.query_one("#cb-error", Static).update(message)

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "cb-phone":
            await self.action_save()
        else:
            self.focus_next()

    async def action_save(self) -> None:
        kind = "ticket" if self.query_one("#cb-kind", RadioSet).pressed_index <= 0 else "case"
        day = self._value("date") or local_today(self.app).isoformat()
        dims = {d.value: self._value(f"dim-{d.value}") for d in Dimension}
        try:
            body = parse_form(
                kind, self._value("ref"), day, self._value("level"), dims,
                self._value("reason"), self._value("phone"),
            )  # fmt: skip
        except ValueError as exc:
            self._error(str(exc))
            return
        saved = await guarded(self.app, self.yz.api.comment_box(body), self._error)
        if saved is None:
            return
        self._error("")
        self.query_one("#cb-saved", Static).update(saved_text(saved))
        for name in ("ref", "level", "reason", "phone", *(f"dim-{d.value}" for d in Dimension)):
            self.query_one(f"#cb-{name}", Input).value = ""
        self.query_one("#cb-ref", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()
