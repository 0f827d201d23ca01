"""The benchmark suite: a data generator at scale and the figures measured against their peers.

``python -m bench.run`` (``make bench``, ``make bench-quick``) prepares a database of its own,
generates the data (``bench.generate``), measures (``bench.figures``) and prints the table
(``bench.report``). ``tests/bench`` runs the same code at small scale.
"""
