#pragma once
// The store's schema: numbered migrations, the version kept in a `schema_version` table.

#include <span>
#include <string_view>

#include "emulator/json/result.h"
#include "emulator/store/db.h"

namespace timeslip::store {

// Migration i (1-based) takes a database from version i-1 to version i.
std::span<const std::string_view> Migrations();
// The version this timeslip writes: the number of migrations.
int CurrentSchemaVersion();

// Brings `db` to `target` (at most CurrentSchemaVersion()) in one transaction, applying the
// migrations it lacks. Errors (StoreError): "database schema version N is newer than this
// timeslip (M)"; the database is locked; a migration failed (nothing is applied).
json::Status Migrate(Db& db, int target = CurrentSchemaVersion());

// The version recorded in `db`; 0 for a database without a schema_version table.
json::Result<int> SchemaVersion(Db& db);

}  // namespace timeslip::store
