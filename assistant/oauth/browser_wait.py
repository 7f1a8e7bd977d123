"""How long the person has to sign in in the browser before we stop waiting.

A module of its own so that the command line's `--sign-in-wait` default and the browser flow read
one number: importing the flow itself costs the command line's start-up about a tenth of a second.
"""

DEFAULT_BROWSER_WAIT_S = 300.0
