import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")

app = Celery("ejournal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def queue_each(task, calls: list[tuple]) -> None:
    """One task per call (per family, per recipient), so that one failing address neither stops nor repeats the
    others'. With a worker each runs apart; in eager mode (the demo) a failure that outlived its retries is logged
    here instead of stopping the rest."""
    import logging

    for args in calls:
        try:
            task.delay(*args)
        except Exception:
            if not task.app.conf.task_always_eager:
                raise
            logging.getLogger(task.__module__).exception("%s%r failed", task.name, args)
