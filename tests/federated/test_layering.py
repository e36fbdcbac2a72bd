"""The package the market server imports stays torch-free (and free of the app's Kivy)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_every_federated_module_brings_no_torch_and_no_kivy() -> None:
    code = (
        "import sys, pkgutil, importlib, federated\n"
        "for m in pkgutil.iter_modules(federated.__path__):\n"
        "    importlib.import_module('federated.' + m.name)\n"
        "print(sorted(n for n in ('torch', 'kivy', 'recommenders') if n in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
