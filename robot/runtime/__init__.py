"""The run's machinery: settings, the browser and its contexts, kept sessions, artifacts, secrets, lock, logging."""
