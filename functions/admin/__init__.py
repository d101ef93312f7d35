"""The merchant admin function: every admin route group, composed in handler.py."""
