"""Benchmarks of the decision phase (issue 5): a realistic data set, the dashboard query, subscription fan-out.

Run with `make bench` or `python -m bench --help`; results land in bench/results/.
"""
