"""The step-by-step assistant (Qt only). Everything it shows is derived from the engine's results."""
