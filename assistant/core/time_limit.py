"""How long one test of one server and port may take, when nobody chose otherwise.

A module of its own so that every place that words a time-out ("no answer within 10 seconds"),
the command line's `--timeout` default and the probe's hard deadline read one number, without
loading the probe (and with it ssl) where only the number is needed.
"""

DEFAULT_TIMEOUT_S = 10.0
