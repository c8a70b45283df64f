/*
 * London time, for appointments, reminders and housing dates: pure arithmetic, no store, no daemon.
 * Staff give and people read times in London local time; the store keeps UTC. A reminder "a day
 * before" falls at the same London clock time on the day before, so across a change of
 * the clocks it is 23 or 25 hours ahead, not 24; a lead in hours or minutes is elapsed
 * time. These functions read the process's local time zone, which the daemon sets to
 * Europe/London (main.c); tests set it the same way.
 */
#ifndef ONWARD_POLICYD_LONDON_H
#define ONWARD_POLICYD_LONDON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A civil time in London. */
struct london_time {
	int year, month, day; /* 2026, 1-12, 1-31 */
	int hour, minute, second;
	int weekday; /* 1 Monday ... 7 Sunday (filled by london_time_of) */
};

/* How long before an appointment a reminder is due. */
struct reminder_lead {
	int days; /* > 0: that many days before, by the calendar */
	int at_minute; /* with days: at this London minute of the day (0-1439), or -1 for the
	                  appointment's own clock time */
	int minutes; /* without days: this many minutes before, elapsed */
};

#define REMINDER_LEADS_MAX 4

/* Unix seconds to London civil time. */
void london_time_of(int64_t t, struct london_time *ret);

/*
 * London civil time to Unix seconds. 0, with the earlier of the two instants when the time
 * happens twice (the hour the clocks go back); -ERANGE when it does not happen at all (the
 * hour the clocks go forward), with *ret the instant the same clock reading means an hour
 * later (01:30 on that day becomes 02:30 BST); -EINVAL for fields out of range.
 */
int london_time_instant(const struct london_time *lt, int64_t *ret);

/*
 * Parses an appointment time: "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" in London time,
 * or "YYYY-MM-DDTHH:MM:SSZ" in UTC. -EINVAL when malformed, -ERANGE when the London time
 * does not exist (the clocks go forward then).
 */
int london_parse(const char *s, int64_t *ret);

/* Parses "YYYY-MM-DD" to the instant of that London day's midnight. */
int london_parse_day(const char *s, int64_t *ret);

/*
 * The instant the London day after "YYYY-MM-DD" begins: the end of that day, for "until"
 * dates (23 or 25 hours after its start on the days the clocks change).
 */
int london_day_end(const char *s, int64_t *ret);

/*
 * One lead: "Nd" (N days before, same clock time, 1-30), "Nd@HH:MM" (N days before at
 * HH:MM), "Nh" (1-168 hours), "Nm" (1-10080 minutes). -EINVAL otherwise.
 */
int london_lead_parse(const char *s, struct reminder_lead *ret);

/*
 * A comma-separated list of 1 to REMINDER_LEADS_MAX different leads; ret_text gets the
 * list in the canonical form (longest lead first). -EINVAL for a bad or repeated lead.
 */
int london_leads_parse(const char *s, struct reminder_lead ret[REMINDER_LEADS_MAX],
                       size_t *ret_count, char *ret_text, size_t size);

/* The canonical text of a lead: "1d", "1d@18:00", "2h", "90m". */
void london_lead_format(const struct reminder_lead *l, char *buf, size_t size);

/* When a reminder with lead l is due for an appointment starting at starts_at. */
int64_t london_lead_due(int64_t starts_at, const struct reminder_lead *l);

/* "2026-12-03 10:30", London. */
void london_format(int64_t t, char *buf, size_t size);

/* "2026-12-03", the London date of t. */
void london_format_day(int64_t t, char *buf, size_t size);

/*
 * Plain words for when, seen at now: "today at 10:30", "tomorrow at 10:30",
 * "on Thursday 3 December at 10:30" (with the year when it is not now's year).
 */
void london_words(int64_t t, int64_t now, char *buf, size_t size);

/* The same in Welsh: "heddiw am 12:00", "yfory am 09:30", "ddydd Llun 7 Rhagfyr am 14:00". */
void london_words_cy(int64_t t, int64_t now, char *buf, size_t size);

/* Whole London days from now's date to date ("YYYY-MM-DD"); -EINVAL for a bad date. */
int london_days_until(const char *date, int64_t now, int *ret_days);

#endif
