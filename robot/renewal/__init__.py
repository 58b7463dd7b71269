"""The renewal itself: what is due, the per-location loop, and its pure rules (dates, token checks)."""
