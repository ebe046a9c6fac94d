// Value: the document tree every YAML/JSON input and output passes through. Maps keep their
// insertion order (so output reads like the input) and reject duplicate keys on decode.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace egret::doc {

class Value;
struct Member;
using List = std::vector<Value>;
using Map = std::vector<Member>;

class Value {
 public:
  enum class Type { kNull, kBool, kInt, kDouble, kString, kList, kMap };

  // Constructors are out of line: Member is incomplete here, so everything that instantiates
  // the variant's special members lives in value.cc (clang with libstdc++ insists on it).
  Value();
  Value(std::nullptr_t);          // NOLINT
  Value(bool b);                  // NOLINT
  Value(int i);                   // NOLINT
  Value(int64_t i);               // NOLINT
  Value(double d);                // NOLINT
  Value(std::string s);           // NOLINT
  Value(std::string_view s);      // NOLINT
  Value(const char* s);           // NOLINT
  Value(List l);                  // NOLINT
  Value(Map m);                   // NOLINT
  Value(const Value& other);
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other);
  Value& operator=(Value&& other) noexcept;
  ~Value();

  static Value EmptyMap();
  static Value EmptyList();

  Type type() const { return static_cast<Type>(v_.index()); }
  static std::string_view TypeName(Type t);
  std::string_view type_name() const { return TypeName(type()); }

  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_int() const { return type() == Type::kInt; }
  bool is_double() const { return type() == Type::kDouble; }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return type() == Type::kString; }
  bool is_list() const { return type() == Type::kList; }
  bool is_map() const { return type() == Type::kMap; }

  // Accessors require the matching type (checked by the caller).
  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_double() const { return is_int() ? static_cast<double>(as_int()) : std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const List& as_list() const { return std::get<List>(v_); }
  List& as_list() { return std::get<List>(v_); }
  const Map& as_map() const { return std::get<Map>(v_); }
  Map& as_map() { return std::get<Map>(v_); }

  // Map helpers. Find returns nullptr when absent or when this is not a map.
  const Value* Find(std::string_view key) const;
  Value* Find(std::string_view key);
  // Replaces the member `key` or appends it; turns a null into a map first.
  Value& Set(std::string_view key, Value v);
  bool Erase(std::string_view key);
  // List helper; turns a null into a list first.
  Value& Append(Value v);

  bool empty_container() const;

  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string, List, Map> v_;
};

struct Member {
  std::string key;
  Value value;
  friend bool operator==(const Member& a, const Member& b) {
    return a.key == b.key && a.value == b.value;
  }
};

}  // namespace egret::doc
