"""What every screen shares: the services a screen is handed (run a job, tell the
user, open another screen), reusable widgets (keyboard-ready: see keyboard.py) and the
confirmation dialog."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from client_app.ui.controllers import Appearance, Notice
from client_app.ui.screens.keyboard import Focusable, KeyboardPopup, KeyButton
from client_app.ui.worker import Progress

KV_DIR = Path(__file__).resolve().parent.parent / "kv"


def load_kv(name: str) -> None:
    """Load one screen's rules, once (modules are imported once)."""
    Builder.load_file(str(KV_DIR / name))


@dataclass(frozen=True)
class Services:
    """What a screen may ask of the app, handed to it instead of a global app object."""

    # Worker.submit(description, work, on_done, on_error, quiet=, quick=, training=)
    run: Callable[..., None]
    notify: Callable[[Notice], None]  # the status line
    go_to: Callable[[str], None]  # open another screen
    busy_with: Callable[[], str | None]  # the long job running now, if any (Worker.busy_with)
    refuse: Callable[[str], None]  # say at once that a click cannot run now (the status line)
    restyle: Callable[[Appearance], None]  # apply a theme and text size at once
    # The training job running now, if any (Worker.training_with): at most one at a time.
    training_with: Callable[[], str | None] = lambda: None


def no_progress(work: Callable[[], Any]) -> Callable[[Progress], Any]:
    """A job for the worker from a call that reports no progress."""
    return lambda _progress: work()


def fill_field(field: TextInput, text: str) -> None:
    """Show a value from a reload in a field, unless the user is typing in it: what they type
    is never replaced behind their back."""
    if not field.focus:
        field.text = text


def clear_field(field: TextInput, submitted: str) -> None:
    """Empty a field whose text was acted on, unless the user has typed something else since."""
    if field.text == submitted:
        field.text = ""


class AppScreen(Screen):
    """A screen over one controller. ``load()`` runs each time the screen is shown."""

    busy = BooleanProperty(False)

    def __init__(self, controller: Any, services: Services, **kwargs: Any) -> None:
        self.controller = controller
        self.services = services
        self._jobs = 0
        super().__init__(**kwargs)

    def on_enter(self, *_args: Any) -> None:
        self.load()

    def load(self) -> None:
        """Fetch the screen's view on the worker and show it."""

    def run(
        self,
        description: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        *,
        quick: bool = False,
        now: bool = False,
        training: bool = False,
    ) -> bool:
        """Submit a job (a result that is a Notice is shown); the screen is busy (its buttons
        disabled) until its jobs end. A quick job (the local store only) runs at once beside
        any long one; a training job (a training round) beside both, never two at once. A long
        job asked for ``now`` (a click) while another long job runs is refused, and the user
        told so, instead of running later when nobody expects it; so is a training job while
        another one runs (the button's or the background pass). Returns whether the job was
        submitted."""
        if training:
            running = self.services.training_with()
        else:
            running = None if quick or not now else self.services.busy_with()
        if running is not None:
            self.services.refuse(f"Still {running}: try again when it is done.")
            return False
        self._jobs += 1
        self.busy = True

        def settle() -> None:
            self._jobs -= 1
            self.busy = self._jobs > 0

        def done(result: Any) -> None:
            settle()
            if isinstance(result, Notice):
                self.services.notify(result)
            if on_done is not None:
                on_done(result)

        def failed(message: str) -> None:
            settle()
            if on_error is not None:
                on_error(message)

        self.services.run(description, work, done, failed, quick=quick, training=training)
        return True

    def act(self, description: str, action: Callable[[], Notice], *, quick: bool = False) -> None:
        """Run a user's action that answers with a notice (now, or not at all: see ``run``),
        then show the screen afresh."""
        self.run(
            description, no_progress(action), lambda _notice: self.load(), quick=quick, now=True
        )


# --- reusable widgets (their rules are in common.kv) --------------------------------------------


class TextBlock(Label):
    """A paragraph that wraps to its width and is as tall as its text. Never markup."""


class Muted(TextBlock):
    pass


class OptionalText(Muted):
    """A muted paragraph that takes no room while it has no text."""


class Heading(TextBlock):
    pass


class Subheading(TextBlock):
    pass


class LineLabel(Label):
    """One line that fills the box it is given (cut short with an ellipsis). Never markup."""


class ToolbarTitle(LineLabel):
    pass


class Cell(Label):
    """One cell of a table row: one line, cut short with an ellipsis."""

    header = BooleanProperty(False)


class Card(BoxLayout):
    pass


class AutoCard(Card):
    """A card as tall as its content."""


class CardRow(GridLayout):
    """Cards side by side, as many to a row as fit at ``min_card_width`` (``max_cols`` at most,
    one when the window is narrow), the cards of a row as tall as the tallest, so they line up.
    A card ends with a filler (a bare Widget) so that its content starts at its top."""

    min_card_width = NumericProperty(dp(300))
    max_cols = NumericProperty(3)

    def __init__(self, **kwargs: Any) -> None:
        self._level_soon = Clock.create_trigger(self._level, -1)
        super().__init__(**kwargs)
        self.fbind("width", self._reflow)
        self.fbind("max_cols", self._reflow)
        self.fbind("min_card_width", self._reflow)

    def add_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        widget.size_hint_y = None
        widget.fbind("minimum_height", self._level_soon)
        super().add_widget(widget, *args, **kwargs)
        self._reflow()

    def remove_widget(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        widget.funbind("minimum_height", self._level_soon)
        super().remove_widget(widget, *args, **kwargs)
        self._reflow()

    def _reflow(self, *_args: Any) -> None:
        fit = int((self.width + self.spacing[0]) // (self.min_card_width + self.spacing[0]))
        self.cols = max(1, min(int(self.max_cols), len(self.children), fit))
        self._level_soon()

    def _level(self, *_args: Any) -> None:
        cards = list(reversed(self.children))  # in the order they were added
        for start in range(0, len(cards), self.cols):
            row = cards[start : start + self.cols]
            tallest = max(card.minimum_height for card in row)
            for card in row:
                card.height = tallest


class FlatButton(KeyButton):
    primary = BooleanProperty(False)


class ChoiceButton(FlatButton):
    """One of a few exclusive choices; lit while it is the chosen one."""

    chosen = BooleanProperty(False)


class Field(Focusable, TextInput):
    pass


class TableRow(BoxLayout):
    """Cells side by side, with the same weights as the table's header, so columns line up."""

    shaded = BooleanProperty(False)

    def __init__(self, cells: list[tuple[str, float]], header: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for text, weight in cells:
            self.add_widget(Cell(text=text, size_hint_x=weight, header=header))


Columns = Sequence[tuple[str, float]]  # (heading, relative width)


def fill_table(
    body: Widget, columns: Columns, rows: Iterable[Sequence[str]], empty_text: str
) -> None:
    """Replace ``body``'s children with a header, then one striped row per entry (or a line
    saying there is none)."""
    body.clear_widgets()
    body.add_widget(TableRow(list(columns), header=True))
    weights = [weight for _, weight in columns]
    count = 0
    for count, values in enumerate(rows, start=1):
        cells = list(zip(values, weights, strict=True))
        body.add_widget(TableRow(cells, shaded=count % 2 == 0))
    if count == 0:
        body.add_widget(TableRow([(empty_text, 1.0)]))


class ConfirmPopup(KeyboardPopup):
    question = StringProperty()
    action = StringProperty()

    def __init__(self, on_yes: Callable[[], object], **kwargs: Any) -> None:
        self._on_yes = on_yes
        super().__init__(**kwargs)

    def confirmed(self) -> None:
        self.dismiss()
        self._on_yes()


def confirm(title: str, question: str, action: str, on_yes: Callable[[], object]) -> ConfirmPopup:
    """Ask before something that cannot be undone; ``on_yes`` runs only on the action button."""
    popup = ConfirmPopup(on_yes, title=title, question=question, action=action)
    popup.open()
    return popup


load_kv("common.kv")
