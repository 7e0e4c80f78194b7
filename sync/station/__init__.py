"""The station side of store-and-forward sync (站点同步代理).

``enrol`` pins the county's keys, ``SyncAgent`` drains the event outbox in signed batches
and pulls signed reference pages; ``cli`` holds the ``yizhan sync …`` entry points.
"""
