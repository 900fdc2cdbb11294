"""The formats pfm-dash reads and writes, one package or module per format.

The typed model (:mod:`pfm_dash.model`) is the hub: each format has a generator from the model
and, where pfm-dash reads it back, a parser into the model, as sqlglot has one per dialect.
"""
