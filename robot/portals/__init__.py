"""A session per portal (ABM, Cortado): signed in once, recovered when the portal ends it, kept for the next run."""
