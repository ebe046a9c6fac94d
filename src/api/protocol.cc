#include "api/protocol.h"

namespace egret::api {

doc::Value OkReply() {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("ok", true);
  return v;
}

doc::Value ErrorReply(const Status& status) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("ok", false);
  doc::Value& e = v.Set("error", doc::Value::EmptyMap());
  e.Set("code", CodeName(status.code()));
  e.Set("message", status.message());
  return v;
}

Code CodeFromName(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(Code::kInternal); ++i) {
    auto c = static_cast<Code>(i);
    if (CodeName(c) == name) return c;
  }
  return Code::kInternal;
}

Status StatusOfReply(const doc::Value& reply) {
  const doc::Value* ok = reply.Find("ok");
  if (ok && ok->is_bool() && ok->as_bool()) return Status::Ok();
  const doc::Value* err = reply.Find("error");
  if (!ok || !err || !err->is_map()) return InternalError("malformed reply from the server");
  std::string code = StringField(*err, "code");
  std::string message = StringField(*err, "message");
  return {CodeFromName(code), message};
}

std::string StringField(const doc::Value& v, std::string_view key) {
  const doc::Value* f = v.Find(key);
  return f && f->is_string() ? f->as_string() : std::string();
}

}  // namespace egret::api
