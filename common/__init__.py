"""Infrastructure every app may use that is not about the network (floor 0, STYLE.md).

The public pages' cache, and small helpers shared by every floor. Nothing here knows a
charter rule, and no domain app needs to call into it for its rules to hold.
"""
