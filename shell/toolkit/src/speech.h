/*
 * Read-aloud: espeak-ng on a thread of its own, so speaking never blocks the UI. The UI
 * thread hands over the newest text (cutting off what is being spoken); the thread
 * synthesises it with the voice for the language and either plays it through SDL audio
 * or writes it to a WAV file (tests: the build machine has no sound card).
 */
#ifndef ONWARD_UI_SPEECH_H
#define ONWARD_UI_SPEECH_H

#include <stdbool.h>
#include <stddef.h>

#define SPEECH_MAX_TEXT 8192 /* bytes read aloud from one request */

struct speech;

/* Starts the thread. `wav_path` (copied; NULL: sound card) receives every utterance,
 * replaced atomically when one is complete. espeak-ng itself starts on the thread, so a
 * missing voice shows up later as speech_failed(). */
int speech_new(const char *wav_path, struct speech **ret_speech);
/* Cancels what is playing and joins the thread. */
void speech_free(struct speech *s);
/* Queues `text` in `language`, replacing anything queued or playing. */
int speech_say(struct speech *s, const char *text, const char *language);
/* True from speech_say() until that utterance has been played or written. */
bool speech_busy(struct speech *s);
/* How many utterances have been finished (played or written). */
unsigned speech_done_count(struct speech *s);
/* True once espeak-ng or the output could not be used. */
bool speech_failed(struct speech *s);

#endif
