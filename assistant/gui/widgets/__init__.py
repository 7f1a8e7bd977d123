"""Small reusable widgets: glossary-linked text, status icons."""
