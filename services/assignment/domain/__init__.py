"""The assignment domain: routing, working-day deadlines, the answer workflow, reports, conclusions.

Pure Python: no I/O, no clock; handlers pass the time, the calendar and the policy in.
"""
