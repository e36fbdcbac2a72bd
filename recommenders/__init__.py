"""Recommender models, their feature schema, training, evaluation and bundled data."""
