"""The daemon's timing constants."""

from datetime import timedelta

#: how often the daemon beats its heart, looks for schedule changes and urgent requests
SYNC_INTERVAL_S = 1.0
#: how far ahead jobs are built
HORIZON = timedelta(minutes=15)
#: how early an air job starts waiting for its cut-off (see radio.station.decide), so that
#: speech still rendering and the ident (which may wait on gTTS) are readied in time
PREPARE_LEAD_S = 60.0
#: a heartbeat older than this means the daemon was away (suspend, crash, clock jump)
GAP_S = 10.0
#: how long before the instant an occurrence is claimed (before the warm-up)
CLAIM_AHEAD = timedelta(seconds=0.2)
#: a start later than this is noted in the log row
LATE_NOTE_S = 2.0
#: air jobs that may wait for their instant at once (occurrences within PREPARE_LEAD_S)
AIR_WORKERS = 64
#: how often the claim of a programme on air records the seconds consumed
PROGRESS_INTERVAL_S = 1.0
#: how long the progress writer waits for the database before skipping a beat
PROGRESS_BUSY_S = 0.5
#: how often a log row the database refused is tried again
LOG_RETRY_S = 5.0
#: how long stopping waits for the jobs on their way (an airing cut and logged, a tick)
STOP_TIMEOUT_S = 60.0
