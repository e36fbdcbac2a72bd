"""The whole app from the keyboard: Tab and Shift-Tab walk the controls in reading order within
the dialog on top (or the window), Enter or Space acts on the focused one, which is ringed
(common.kv) once the keyboard is in use; Ctrl+N opens the N-th screen, Escape closes a dialog.
A widget gets all this by mixing in `Focusable` or `Activatable` (new screens get it for free
through the shared widgets: FlatButton, Field, the Key* controls, KeyboardPopup)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kivy.core.window import Keyboard, Window
from kivy.metrics import dp
from kivy.uix.behaviors.focus import FocusBehavior
from kivy.uix.button import Button
from kivy.uix.checkbox import CheckBox
from kivy.uix.dropdown import DropDown
from kivy.uix.modalview import ModalView
from kivy.uix.popup import Popup
from kivy.uix.scrollview import ScrollView
from kivy.uix.spinner import Spinner, SpinnerOption
from kivy.uix.switch import Switch
from kivy.uix.togglebutton import ToggleButton
from kivy.uix.widget import Widget

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

    def get_focus_previous(self) -> Widget | None:
        return focus_step(self, -1)

    def keyboard_on_key_up(self, window: Any, keycode: tuple[int, str]) -> bool:
        # Kivy drops the focus on Escape; here Escape closes the dialog on top (`Shortcuts`),
        # and the focus goes back where it was before the dialog, so it must stay there.
        if keycode[1] == "escape":
            return True
        return bool(super().keyboard_on_key_up(window, keycode))

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


class KeyToggleButton(Activatable, ToggleButton):
    """A button that stays down until pressed again (Enter or Space press it too)."""


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
