"""Demo data for `manage.py seed_demo`: content (names, places, texts) and the seeding itself."""
