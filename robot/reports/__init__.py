"""What a run tells: each location's result, as JSON, JUnit XML, the summary table, the status table, a monitoring
check's line or textfile, and notifications."""
