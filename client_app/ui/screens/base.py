"""What every screen shares: the colours, the services a screen is handed (run a job, tell the
user, open another screen), reusable widgets and the confirmation dialog."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.popup import Popup
from kivy.uix.screenmanager import Screen
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from client_app.ui.controllers import Notice
from client_app.ui.worker import Progress

KV_DIR = Path(__file__).resolve().parent.parent / "kv"

# The palette (RGBA), read by the .kv files.
BACKGROUND = (0.105, 0.114, 0.133, 1)
SURFACE = (0.153, 0.165, 0.192, 1)
RAISED = (0.208, 0.224, 0.259, 1)
PRESSED = (0.30, 0.32, 0.37, 1)
TEXT = (0.93, 0.94, 0.96, 1)
MUTED = (0.64, 0.67, 0.72, 1)
ACCENT = (0.24, 0.49, 0.93, 1)
GOOD = (0.30, 0.69, 0.44, 1)
BAD = (0.90, 0.33, 0.33, 1)
ERROR_TEXT = (1.0, 0.47, 0.45, 1)
OK_TEXT = (0.45, 0.85, 0.58, 1)
WARN = (0.96, 0.65, 0.18, 1)


def load_kv(name: str) -> None:
    """Load one screen's rules, once (modules are imported once)."""
    Builder.load_file(str(KV_DIR / name))


@dataclass(frozen=True)
class Services:
    """What a screen may ask of the app, handed to it instead of a global app object."""

    run: Callable[..., None]  # Worker.submit(description, work, on_done, on_error, quiet=, quick=)
    notify: Callable[[Notice], None]  # the status line
    go_to: Callable[[str], None]  # open another screen
    busy_with: Callable[[], str | None]  # the long job running now, if any (Worker.busy_with)
    refuse: Callable[[str], None]  # say at once that a click cannot run now (the status line)


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
    ) -> bool:
        """Submit a job (a result that is a Notice is shown); the screen is busy (its buttons
        disabled) until its jobs end. A quick job (the local store only) runs at once beside
        any long one. A long job asked for ``now`` (a click) while another long job runs is
        refused, and the user told so, instead of running later when nobody expects it.
        Returns whether the job was submitted."""
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

        self.services.run(description, work, done, failed, quick=quick)
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


class Card(BoxLayout):
    pass


class AutoCard(Card):
    """A card as tall as its content."""


class FlatButton(Button):
    primary = BooleanProperty(False)


class Field(TextInput):
    pass


class TableRow(BoxLayout):
    """Cells side by side, with the same weights as the table's header, so columns line up."""

    shaded = BooleanProperty(False)

    def __init__(self, cells: list[tuple[str, float]], header: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for text, weight in cells:
            cell = Cell(text=text, size_hint_x=weight, bold=header)
            if header:
                cell.color = MUTED
            self.add_widget(cell)


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


class ConfirmPopup(Popup):
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
