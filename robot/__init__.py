"""The vpptoken robot: renews the server tokens of Cortado's App-Store accounts from Apple Business Manager."""
