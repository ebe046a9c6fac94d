#include "doc/value.h"

namespace egret::doc {

Value::Value() = default;
Value::Value(std::nullptr_t) {}
Value::Value(bool b) : v_(b) {}
Value::Value(int i) : v_(static_cast<int64_t>(i)) {}
Value::Value(int64_t i) : v_(i) {}
Value::Value(double d) : v_(d) {}
Value::Value(std::string s) : v_(std::move(s)) {}
Value::Value(std::string_view s) : v_(std::string(s)) {}
Value::Value(const char* s) : v_(std::string(s)) {}
Value::Value(List l) : v_(std::move(l)) {}
Value::Value(Map m) : v_(std::move(m)) {}
Value::Value(const Value& other) = default;
Value::Value(Value&& other) noexcept = default;
Value& Value::operator=(const Value& other) = default;
Value& Value::operator=(Value&& other) noexcept = default;
Value::~Value() = default;

Value Value::EmptyMap() { return Value(Map{}); }
Value Value::EmptyList() { return Value(List{}); }

bool Value::empty_container() const {
  return (is_map() && as_map().empty()) || (is_list() && as_list().empty());
}

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
