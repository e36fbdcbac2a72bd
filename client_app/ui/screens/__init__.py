"""The app's screens: thin Kivy classes that show a controller's view-models and submit its
actions to the worker. Their looks live in ``client_app/ui/kv/<screen>.kv``."""
