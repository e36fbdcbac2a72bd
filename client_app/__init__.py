"""Desktop app (Kivy) and client SDK: local activity, keys, encryption, ranking, ratings."""
