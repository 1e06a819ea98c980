"""The trainer's screens: review, summary, statistics, help, and the empty queue."""
