# gunicorn reads this file from the directory it is started in. The access log keeps
# only the first characters of subscription keys (kmcommission/log_redaction.py).
logger_class = "kmcommission.log_redaction.RedactingAccessLogger"
# Threaded workers: a worker's heartbeat goes on beside its requests, so a long streamed
# download (the whole national timeline as CSV) is not killed by the 30 s worker timeout,
# as a sync worker's is.
worker_class = "gthread"
threads = 4
