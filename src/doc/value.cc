#include "doc/value.h"

namespace egret::doc {

std::string_view Value::TypeName(Type t) {
  switch (t) {
    case Type::kNull: return "null";
    case Type::kBool: return "boolean";
    case Type::kInt: return "integer";
    case Type::kDouble: return "number";
    case Type::kString: return "string";
    case Type::kList: return "list";
    case Type::kMap: return "object";
  }
  return "?";
}

const Value* Value::Find(std::string_view key) const {
  if (!is_map()) return nullptr;
  for (const Member& m : as_map()) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

Value* Value::Find(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->Find(key));
}

Value& Value::Set(std::string_view key, Value v) {
  if (is_null()) v_ = Map{};
  for (Member& m : as_map()) {
    if (m.key == key) {
      m.value = std::move(v);
      return m.value;
    }
  }
  as_map().push_back(Member{std::string(key), std::move(v)});
  return as_map().back().value;
}

bool Value::Erase(std::string_view key) {
  if (!is_map()) return false;
  Map& map = as_map();
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->key == key) {
      map.erase(it);
      return true;
    }
  }
  return false;
}

Value& Value::Append(Value v) {
  if (is_null()) v_ = List{};
  as_list().push_back(std::move(v));
  return as_list().back();
}

bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

}  // namespace egret::doc
