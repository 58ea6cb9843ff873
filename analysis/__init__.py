"""Analysis of result tables: metrics over replications, figures, and (later) the Solara app.

Depends on :mod:`simulation`, never the other way round.
"""
