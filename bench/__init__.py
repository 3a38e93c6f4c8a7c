"""Jarvis benchmarks: ``python -m bench`` prints a table and writes the figures as JSON."""
