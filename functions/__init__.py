"""Every cloud function of the project: one module per function (`fenxiao.runtime.registry` finds them).

This package's import is the first of every function's cold start, so it pauses the garbage collector for
the imports that follow (`fenxiao.coldstart`: the function's first event resumes it).
"""
from fenxiao import coldstart

coldstart.pause()
