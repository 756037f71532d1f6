/* libFuzzer target: notes.csv through the reader, the normaliser and the
 * audit.  Invariants checked on every input, besides no crash, leak or
 * undefined behaviour:
 *  - the normaliser: for ASCII input the direct path gives exactly the
 *    words of the GLib path (NFKC, case folding, g_unichar_isalnum);
 *    any input, valid UTF-8 or not, gives words without failing;
 *  - the reader: rows read = notes kept + rows refused, one rejects entry
 *    per refused row;
 *  - the audit, against a fixed roster (sessions S1-S3, members M1-M6):
 *    every note is used, unmatched, for an absent member or a second
 *    note, and those counts add up; each finding's reason can be written;
 *    counts of findings never exceed the attended lines. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/notes.h"
#include "core/arena.h"
#include "core/words.h"
#include "model/elements.h"
#include "model/notefile.h"
#include "model/roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ROSTER[] =
	"session_id,date,group_id,clinician_id,member_id,payer_id,attended\n"
	"S1,2026-01-05,G1,C1,M1,MCR,Y\nS1,2026-01-05,G1,C1,M2,MCR,Y\n"
	"S1,2026-01-05,G1,C1,M3,MCR,Y\nS1,2026-01-05,G1,C1,M4,MCR,N\n"
	"S2,2026-01-12,G1,C1,M1,MCR,Y\nS2,2026-01-12,G1,C1,M2,MCR,Y\n"
	"S2,2026-01-12,G1,C1,M3,MCR,Y\nS3,2026-01-13,G2,C2,M5,MCR,Y\n"
	"S3,2026-01-13,G2,C2,M6,MCR,Y\n";

static const char ELEMENTS[] =
	"[participation]\nw=participated;engaged;eye contact\n"
	"[response]\nw=reported;insight\n"
	"[plan]\nw=plan;next session;!intent or plan\n";

static void words_agree(const uint8_t *data, size_t size)
{
	struct vec a, b;
	int ascii = 1;

	for (size_t i = 0; i < size; i++)
		if (data[i] >= 0x80 || data[i] == 0)
			ascii = 0;
	vec_init(&a, sizeof(uint64_t));
	vec_init(&b, sizeof(uint64_t));
	long na = words_split((const char *)data, size, &a);
	if (na < 0)
		abort();
	if (ascii) {
		long nb = words_split_glib((const char *)data, size, &b);
		if (nb != na || (na && memcmp(a.data, b.data, (size_t)na * 8)))
			abort();
	}
	vec_free(&a);
	vec_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena ra;
	static struct roster ro;
	static struct rejects rrej;
	static struct elements el;
	static int ready;
	struct gr_err err;

	if (!ready) {
		arena_init(&ra);
		rejects_init(&rrej, &ra);
		if (roster_load_buffer(&ro, "att.csv", ROSTER, strlen(ROSTER), &ra, &rrej,
				       NULL, &err) != 0 ||
		    elements_load_buffer(&el, "el.conf", ELEMENTS, strlen(ELEMENTS), &err))
			abort();
		ready = 1;
	}
	words_agree(data, size);

	struct arena a;
	struct rejects rej;
	struct notefile nf;
	arena_init(&a);
	rejects_init(&rej, &a);
	if (notefile_load(&nf, "notes.csv", (const char *)data, size, &a, &rej, NULL,
			  &err) == 0) {
		if (nf.rows_read != nf.notes.len + nf.rows_rejected ||
		    rej.items.len != nf.rows_rejected)
			abort();
		struct notes_audit au;
		struct scope all = { true, 0 };
		struct notes_opts o = NOTES_OPTS_DEFAULT;
		o.shingle = 1 + (unsigned)(size % 4);
		if (notes_audit_run(&au, &nf, &el, &ro, &all, &o, &rej, &err) == 0) {
			size_t used = 0;
			for (size_t k = 0; k < nf.notes.len; k++)
				used += au.v[k].state == NS_USED;
			if (used + au.unmatched + au.absent + au.duplicate != nf.notes.len)
				abort();
			char buf[600];
			for (size_t i = 0; i < ro.lines.len; i++) {
				uint8_t f = notes_line_findings(&au, i);
				for (int k = 0; k < NOTE_RULE_COUNT; k++)
					if (f & (1u << k))
						notes_reason(&au, i, (enum note_rule)k, buf, sizeof buf);
			}
			for (int k = 0; k < NOTE_RULE_COUNT; k++)
				if (au.by_rule[k] > au.attended)
					abort();
			notes_audit_free(&au);
		}
		notefile_free(&nf);
	}
	rejects_free(&rej);
	arena_release(&a);
	return 0;
}
