"""A minimal iCalendar (RFC 5545) event for a task, attached to sign-up confirmations."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone


def _escape(text):
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > 74:
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def sequence_now():
    """The event's revision number: minutes since 2024, so each later file wins.

    Calendars keep the copy with the highest ``SEQUENCE`` for a UID; a clock-based number
    orders a changed time, a withdrawal and a later sign-up again without stored state.
    """
    return int((timezone.now() - SEQUENCE_EPOCH).total_seconds() // 60)


def task_ics(task, url="", cancelled=False):
    """The task as a calendar event; ``cancelled`` removes it from the helper's calendar
    (same UID, ``METHOD:CANCEL``), after they withdrew. Sent again after a change, the
    same UID with a higher ``SEQUENCE`` moves the event in the helper's calendar."""
    starts = task.starts_at
    ends = task.ends_at or (starts + timedelta(hours=float(task.estimated_hours or 2)))

    def stamp(moment):
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Wijkkapitaal//Taken//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:CANCEL" if cancelled else "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:task-{task.pk}@wijkkapitaal",
        f"DTSTAMP:{stamp(timezone.now())}",
        f"DTSTART:{stamp(starts)}",
        f"DTEND:{stamp(ends)}",
        f"SUMMARY:{_escape(task.title)}",
        f"LOCATION:{_escape(task.place)}",
        f"DESCRIPTION:{_escape(task.description)}",
        f"SEQUENCE:{sequence_now()}",
    ]
    if url:
        lines.append(f"URL:{url}")
    if cancelled:
        lines.append("STATUS:CANCELLED")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
