"""Translation memory: reviewed translations reused across articles and runs."""
