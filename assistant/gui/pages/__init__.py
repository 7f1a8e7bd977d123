"""The wizard's pages, one module each, built in code."""
