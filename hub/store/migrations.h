// Versioned schema migrations. The schema version is SQLite's user_version;
// each migration runs once, in order, inside one transaction, so a database made
// by an older Suqiu opens and upgrades in place.
#pragma once

#include "sqlite.h"

namespace suqiu::store {

// The version a freshly migrated database has.
int latest_schema_version();
int schema_version(Connection& c);
// Upgrades to `target` (default: latest). Refuses a database newer than this
// build knows, rather than guessing at its schema.
void migrate(Connection& c, int target = -1);

}  // namespace suqiu::store
