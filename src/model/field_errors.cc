#include "model/field_errors.h"

#include <algorithm>

#include "common/strings.h"

namespace egret::model {

std::string Child(std::string_view parent, std::string_view field) {
  if (parent.empty()) return std::string(field);
  std::string out(parent);
  out += '.';
  out += field;
  return out;
}

std::string Index(std::string_view parent, size_t i) {
  return std::string(parent) + "[" + std::to_string(i) + "]";
}

std::string KeyPath(std::string_view parent, std::string_view key) {
  return std::string(parent) + "[" + std::string(key) + "]";
}

std::string ObjectRef(std::string_view kind, std::string_view ns, std::string_view name) {
  std::string id = ns.empty() ? std::string(name) : std::string(ns) + "/" + std::string(name);
  return std::string(kind) + " " + Quote(id);
}

bool FieldErrors::HasErrorAt(std::string_view path) const {
  return std::any_of(errors_.begin(), errors_.end(),
                     [&](const FieldError& e) { return e.path == path; });
}

Status FieldErrors::ToStatus(std::string_view kind, std::string_view ns,
                             std::string_view name) const {
  if (errors_.empty()) return Status::Ok();
  std::string ref = ObjectRef(kind, ns, name);
  std::string msg;
  for (const FieldError& e : errors_) {
    if (!msg.empty()) msg += '\n';
    msg += ref;
    msg += ": ";
    if (!e.path.empty()) {
      msg += e.path;
      msg += ": ";
    }
    msg += e.reason;
  }
  return InvalidError(std::move(msg));
}

}  // namespace egret::model
