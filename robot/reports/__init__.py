"""What a run tells: each location's result, as JSON, JUnit XML, and the status table."""
