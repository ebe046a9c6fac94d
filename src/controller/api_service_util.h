// Helpers shared by the read and write halves of ApiService.
#pragma once

#include <string>

#include "common/status.h"
#include "doc/value.h"
#include "model/kinds.h"
#include "ports/datastore.h"

namespace egret::controller {

doc::Value Reply(doc::Value v);  // marks a reply ok
ports::ObjectKey KeyOf(const model::Object& o);
std::string RefText(const ports::ObjectKey& k);  // `EgressGateway "default"`
doc::Value RefValue(const ports::ObjectKey& k);  // {"kind", "namespace", "name"}
// The document as written to the store: the store owns uid, resourceVersion, generation and
// creationTimestamp, and status is written only through putStatus.
std::string SpecDocument(const model::Object& o);
StatusOr<doc::Value> ParseStored(const ports::StoredObject& s);

}  // namespace egret::controller
