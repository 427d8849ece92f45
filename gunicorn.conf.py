# gunicorn reads this file from the directory it is started in. The access log keeps
# only the first characters of subscription keys (kmcommission/log_redaction.py).
logger_class = "kmcommission.log_redaction.RedactingAccessLogger"
