/* scope.h — which lines a run looks at: every quarter, or one (--quarter).
 * A model type: the loader, the ledger and every analysis filter by it.
 */
#ifndef GR_SCOPE_H
#define GR_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/value.h"
#include "model/roster.h"

struct scope {
	bool all;
	int32_t quarter;
};

/* Whether session SS falls in scope S. */
static inline bool scope_has(const struct scope *s, const struct session *ss)
{
	return s->all || value_quarter(ss->date) == s->quarter;
}

#endif
