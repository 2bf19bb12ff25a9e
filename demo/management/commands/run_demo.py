"""Serve the demo with runserver, and run the beat schedule beside it (``demo.scheduler``)."""

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from demo import scheduler


class Command(RunserverCommand):
    help = (
        "runserver, plus the Celery beat schedule in-process (shortened intervals), so that "
        "deadlines close and mails go out while you watch. For the demo only."
    )

    def inner_run(self, *args, **options):
        # With the autoreloader, only the child process that serves gets here (once per
        # reload), so the schedule never runs twice.
        if scheduler.start() is not None:
            self.stdout.write(
                "Scheduled jobs (deadlines, digests, reminders, sweeps) run in this process."
            )
        else:
            self.stdout.write("Scheduled jobs are off (DEMO_SCHEDULER, or a real broker).")
        super().inner_run(*args, **options)
