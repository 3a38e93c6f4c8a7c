"""Scheduling: the scheduler that fires agents on their cron schedules, and its settings."""
