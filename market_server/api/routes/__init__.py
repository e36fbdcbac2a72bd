"""One router module per resource; api/main.py mounts them."""
