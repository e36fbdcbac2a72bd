"""What every screen shares: the services a screen is handed (run a job, tell the
user, open another screen), reusable widgets, keyboard focus and the confirmation dialog."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Keyboard, Window
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors.focus import FocusBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.checkbox import CheckBox
from kivy.uix.dropdown import DropDown
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView
from kivy.uix.popup import Popup
from kivy.uix.screenmanager import Screen
from kivy.uix.scrollview import ScrollView
from kivy.uix.spinner import Spinner, SpinnerOption
from kivy.uix.switch import Switch
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from client_app.ui.controllers import Appearance, Notice
from client_app.ui.worker import Progress

KV_DIR = Path(__file__).resolve().parent.parent / "kv"


def load_kv(name: str) -> None:
    """Load one screen's rules, once (modules are imported once)."""
    Builder.load_file(str(KV_DIR / name))


@dataclass(frozen=True)
class Services:
    """What a screen may ask of the app, handed to it instead of a global app object."""

    run: Callable[..., None]  # Worker.submit(description, work, on_done, on_error, quiet=)
    notify: Callable[[Notice], None]  # the status line
    go_to: Callable[[str], None]  # open another screen
    restyle: Callable[[Appearance], None]  # apply a theme and text size at once


def no_progress(work: Callable[[], Any]) -> Callable[[Progress], Any]:
    """A job for the worker from a call that reports no progress."""
    return lambda _progress: work()


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
    ) -> None:
        """Submit a job; the screen is busy (its buttons disabled) until its jobs end."""
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

        self.services.run(description, work, done, failed)

    def act(self, description: str, action: Callable[[], Notice]) -> None:
        """Run an action that answers with a notice, then show the screen afresh."""
        self.run(description, no_progress(action), lambda _notice: self.load())


# --- keyboard focus -----------------------------------------------------------------------------
# Tab and Shift-Tab walk the widgets a user can act on, in reading order, within the dialog on
# top (or the window when there is none); Enter or Space acts on the focused one; the focused
# widget is ringed (common.kv) once the keyboard is in use.

ACTIVATE_KEYS = frozenset({"enter", "numpadenter", "spacebar"})
KEY_NAMES = {code: name for name, code in Keyboard.keycodes.items()}


def top_layer() -> Widget | None:
    """What the keyboard acts in: the dialog or drop-down list on top, else the app's root."""
    return Window.children[0] if Window.children else None


def layer_of(widget: Widget) -> Widget:
    """The window's child (the app's root, a dialog, a drop-down list) that holds ``widget``."""
    while widget.parent is not None and widget.parent is not Window and widget.parent is not widget:
        widget = widget.parent
    return widget


def focus_chain(root: Widget) -> list[Widget]:
    """The widgets under ``root`` that Tab visits, in reading order: focusable, enabled and
    shown (not hidden by a zero size or opacity, theirs or an ancestor's)."""
    chain: list[Widget] = []

    def visit(widget: Widget) -> None:
        if widget.opacity == 0 or widget.width <= 0 or widget.height <= 0:
            return
        if isinstance(widget, FocusBehavior) and widget.is_focusable and not widget.disabled:
            chain.append(widget)
        for child in reversed(widget.children):  # children are stored last-added first
            visit(child)

    visit(root)
    return chain


def focus_step(current: Widget | None, step: int) -> Widget | None:
    """The widget ``step`` places after (or before) ``current`` in its layer's chain; the first
    (or last) of the top layer when ``current`` is not in it."""
    layer = top_layer()
    if layer is None:
        return None
    chain = focus_chain(layer)
    if not chain:
        return None
    if current in chain:
        return chain[(chain.index(current) + step) % len(chain)]
    return chain[0] if step > 0 else chain[-1]


class Focusable(FocusBehavior):
    """Keyboard focus for a widget: Tab order by `focus_chain`, scrolled into view when focused.
    Mixed in before the widget's class (``class X(Focusable, TextInput)``)."""

    focused: Focusable | None = None  # the widget holding the keyboard, if any
    by_keyboard = False  # whether the keyboard (not a pointer) was used last: see `Shortcuts`

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fbind("focus", self._focus_changed)

    def get_focus_next(self) -> Widget | None:
        return focus_step(self, +1)

    def keyboard_on_key_up(self, window: Any, keycode: tuple[int, str]) -> bool:
        # Kivy drops the focus on Escape; here Escape closes the dialog on top (`Shortcuts`),
        # and the focus goes back where it was before the dialog, so it must stay there.
        if keycode[1] == "escape":
            return True
        return bool(super().keyboard_on_key_up(window, keycode))

    def get_focus_previous(self) -> Widget | None:
        return focus_step(self, -1)

    def _focus_changed(self, _widget: Widget, focused: bool) -> None:
        if focused:
            Focusable.focused = self
            if Focusable.by_keyboard:  # a click needs no scrolling: what it hit is in view
                self._reveal()
        elif Focusable.focused is self:
            Focusable.focused = None

    def _reveal(self) -> None:
        parent = self.parent
        while parent is not None and parent is not Window and parent is not parent.parent:
            if isinstance(parent, ScrollView):
                parent.scroll_to(self, padding=dp(24), animate=False)
                return
            parent = parent.parent


class Activatable(Focusable):
    """A focusable control that Enter or Space acts on, as a click would."""

    def keyboard_on_key_down(
        self, window: Any, keycode: tuple[int, str], codepoint: str, modifiers: list[str]
    ) -> bool:
        if keycode[1] in ACTIVATE_KEYS and not {"ctrl", "alt", "meta"} & set(modifiers):
            self.activate()
            return True
        return bool(super().keyboard_on_key_down(window, keycode, codepoint, modifiers))

    def activate(self) -> None:
        self.trigger_action(duration=0)


class KeyButton(Activatable, Button):
    """A plain button that takes keyboard focus."""


class ActiveToggle(Activatable):
    """Enter or Space flips ``active`` (a switch, a check box)."""

    def activate(self) -> None:
        toggle: Any = self  # (mypy cannot see Kivy's properties through the mixins)
        toggle.active = not toggle.active


class KeySwitch(ActiveToggle, Switch):
    pass


class KeyCheckBox(ActiveToggle, CheckBox):
    pass


class KeySpinnerOption(Activatable, SpinnerOption):
    pass


class KeySpinner(Activatable, Spinner):
    """Enter or Space opens the list (its options take focus, Escape closes it); Up and Down
    pick the previous or next value in place."""

    def keyboard_on_key_down(
        self, window: Any, keycode: tuple[int, str], codepoint: str, modifiers: list[str]
    ) -> bool:
        step = {"up": -1, "down": +1}.get(keycode[1])
        spinner: Any = self  # (mypy cannot see Kivy's properties through the mixins)
        values: list[str] = list(spinner.values)
        if step is not None and values:
            index = values.index(spinner.text) if spinner.text in values else -1
            spinner.text = values[(index + step) % len(values)]
            return True
        return super().keyboard_on_key_down(window, keycode, codepoint, modifiers)

    def activate(self) -> None:
        if not self.values:
            return
        self.is_open = True
        options = list(reversed(self._dropdown.container.children))
        chosen = [option for option in options if option.text == self.text]
        (chosen or options)[0].focus = True

    def on_is_open(self, instance: Any, value: bool) -> None:
        super().on_is_open(instance, value)
        focused = Focusable.focused
        if not value and (focused is None or isinstance(focused, KeySpinnerOption)):
            self.focus = True  # back where the keyboard was before the list opened


class KeyboardPopup(Popup):
    """A dialog the keyboard works in: its first control takes focus when it opens, and the
    focus goes back where it was when it closes (Escape closes it: see `Shortcuts`)."""

    def on_open(self) -> None:
        self._focus_before = Focusable.focused
        chain = focus_chain(self)
        if chain:
            chain[0].focus = True

    def on_dismiss(self) -> None:
        before = getattr(self, "_focus_before", None)
        if before is not None and before.get_root_window() is not None:
            before.focus = True


class Shortcuts:
    """The window's keys: Ctrl+1…9 open the screens in the navigation bar's order, Escape
    closes the dialog or list on top, and Tab enters the top layer when nothing there has the
    focus. ``on_keyboard_use`` is told whether the keyboard (True) or a pointer (False) was
    used last, for the focus ring."""

    def __init__(
        self,
        screens: Sequence[str],
        go_to: Callable[[str], None],
        on_keyboard_use: Callable[[bool], None],
    ) -> None:
        self.screens = list(screens)
        self.go_to = go_to
        self.on_keyboard_use = on_keyboard_use

    def install(self) -> None:
        Window.bind(on_key_down=self.key_down, on_touch_down=self.touch_down)

    def uninstall(self) -> None:
        Window.unbind(on_key_down=self.key_down, on_touch_down=self.touch_down)

    def touch_down(self, *_args: Any) -> bool:
        self._used(keyboard=False)
        return False

    def _used(self, keyboard: bool) -> None:
        Focusable.by_keyboard = keyboard
        self.on_keyboard_use(keyboard)

    def key_down(
        self, _window: Any, key: int, _scancode: int, _text: str | None, modifiers: list[str]
    ) -> bool:
        name = KEY_NAMES.get(key, "")
        held = set(modifiers) & {"ctrl", "alt", "meta", "shift"}
        self._used(keyboard=True)
        layer = top_layer()
        in_dialog = isinstance(layer, (ModalView, DropDown))
        if name == "escape" and isinstance(layer, (ModalView, DropDown)):
            layer.dismiss()
            return True
        if held == {"ctrl"} and name in {str(n) for n in range(1, 10)} and not in_dialog:
            index = int(name) - 1
            if index < len(self.screens):
                self.go_to(self.screens[index])
                return True
        if name == "tab" and held <= {"shift"}:
            focused = Focusable.focused
            if focused is None or layer_of(focused) is not layer:
                target = focus_step(None, -1 if "shift" in held else +1)
                if target is not None:
                    target.focus = True
                return True
        return False


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

    def __init__(self, on_yes: Callable[[], None], **kwargs: Any) -> None:
        self._on_yes = on_yes
        super().__init__(**kwargs)

    def confirmed(self) -> None:
        self.dismiss()
        self._on_yes()


def confirm(title: str, question: str, action: str, on_yes: Callable[[], None]) -> ConfirmPopup:
    """Ask before something that cannot be undone; ``on_yes`` runs only on the action button."""
    popup = ConfirmPopup(on_yes, title=title, question=question, action=action)
    popup.open()
    return popup


load_kv("common.kv")
