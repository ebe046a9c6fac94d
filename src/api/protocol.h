// The Egret API (docs/reference/api.md): requests and replies as JSON frames over a transport.
//
//   request  {"op": "get|list|apply|delete|watch|putStatus|lease|auth|version", ...}
//   reply    {"ok": true, ...}  or  {"ok": false, "error": {"code": "Invalid", "message": "..."}}
//   watch    after an ok reply, one frame per event:
//            {"type": "ADDED|MODIFIED|DELETED", "object": {...}} and periodic
//            {"type": "BOOKMARK", "resourceVersion": "N"}; an error frame ends the stream.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "doc/value.h"

namespace egret::api {

inline constexpr std::string_view kProtocolVersion = "egret.io/api/v1";

doc::Value OkReply();
doc::Value ErrorReply(const Status& status);
// Ok for an ok reply; the carried error otherwise; Internal for a frame that is neither.
Status StatusOfReply(const doc::Value& reply);

Code CodeFromName(std::string_view name);

// Reads a string field of a request; empty when absent.
std::string StringField(const doc::Value& v, std::string_view key);

}  // namespace egret::api
