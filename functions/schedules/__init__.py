"""Scheduled functions: plain handlers run by EventBridge / SCF timers (and by hand)."""
