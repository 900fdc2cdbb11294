"""Reviewing a change: the monitoring at a git revision compared with the working tree's.

``revision`` loads a project at a revision; ``changes`` holds the typed change records; the
comparers (``dashboards``, ``rules``, ``routing``) compare two loaded projects as declarations;
``render_*`` print the result for a terminal, a pull request or a program.
"""
