"""The port-testing engine: plain Python, no Qt, shared by the wizard and the command line."""
