#include "model/reader.h"

#include "common/strings.h"

namespace egret::model {

std::string TypeMismatch(std::string_view want, const doc::Value& got) {
  return "must be " + std::string(want) + ", not " + std::string(got.type_name());
}

ObjectReader::ObjectReader(const doc::Value* v, std::string path, FieldErrors* errs)
    : v_(v), path_(std::move(path)), errs_(errs) {
  if (v_ && v_->is_null()) v_ = nullptr;
  if (v_ && !v_->is_map()) {
    errs_->Add(path_, TypeMismatch("an object", *v_));
    v_ = nullptr;
  }
}

ObjectReader::~ObjectReader() { Finish(); }

const doc::Value* ObjectReader::Peek(std::string_view key) const {
  const doc::Value* f = v_ ? v_->Find(key) : nullptr;
  return f && !f->is_null() ? f : nullptr;
}

const doc::Value* ObjectReader::Take(std::string_view key) {
  consumed_.emplace(key);
  return Peek(key);
}

bool ObjectReader::Has(std::string_view key) const { return Peek(key) != nullptr; }

size_t ObjectReader::ListSize(std::string_view key) const {
  const doc::Value* f = Peek(key);
  return f && f->is_list() ? f->as_list().size() : 0;
}

void ObjectReader::Error(std::string_view key, std::string reason) {
  errs_->Add(key.empty() ? path_ : Child(path_, key), std::move(reason));
}

std::optional<std::string> ObjectReader::String(std::string_view key) {
  const doc::Value* f = Take(key);
  if (!f) return std::nullopt;
  if (!f->is_string()) {
    Error(key, TypeMismatch("a string", *f));
    return std::nullopt;
  }
  return f->as_string();
}

std::string ObjectReader::RequiredString(std::string_view key) {
  std::optional<std::string> s = String(key);
  if (!s && Has(key)) return "";  // a type error, reported already
  if (!s || s->empty()) {
    Error(key, "Required value");
    return "";
  }
  return *s;
}

std::optional<int64_t> ObjectReader::Int(std::string_view key, int64_t min, int64_t max) {
  const doc::Value* f = Take(key);
  if (!f) return std::nullopt;
  if (!f->is_int()) {
    Error(key, TypeMismatch("an integer", *f));
    return std::nullopt;
  }
  int64_t v = f->as_int();
  if (v < min || v > max) {
    Error(key, std::to_string(v) + " is out of range " + std::to_string(min) + "-" +
                   std::to_string(max));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> ObjectReader::Bool(std::string_view key) {
  const doc::Value* f = Take(key);
  if (!f) return std::nullopt;
  if (!f->is_bool()) {
    Error(key, TypeMismatch("a boolean", *f));
    return std::nullopt;
  }
  return f->as_bool();
}

std::optional<ObjectReader::IntOrString> ObjectReader::IntOrStr(std::string_view key) {
  const doc::Value* f = Take(key);
  if (!f) return std::nullopt;
  if (f->is_int()) return IntOrString{f->as_int(), ""};
  if (f->is_string()) return IntOrString{std::nullopt, f->as_string()};
  Error(key, TypeMismatch("an integer or a string", *f));
  return std::nullopt;
}

std::vector<std::string> ObjectReader::StringList(std::string_view key) {
  std::vector<std::string> out(ListSize(key));
  ForEachString(key, [&](size_t i, const std::string& s) { out[i] = s; });
  return out;
}

bool ObjectReader::ForEachString(std::string_view key,
                                 const std::function<void(size_t, const std::string&)>& fn) {
  const doc::Value* f = Take(key);
  if (!f) return true;
  if (!f->is_list()) {
    Error(key, TypeMismatch("a list", *f));
    return false;
  }
  bool ok = true;
  const doc::List& list = f->as_list();
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) {
      errs_->Add(Index(Child(path_, key), i), TypeMismatch("a string", list[i]));
      ok = false;
      continue;
    }
    fn(i, list[i].as_string());
  }
  return ok;
}

std::map<std::string, std::string> ObjectReader::StringMap(std::string_view key) {
  std::map<std::string, std::string> out;
  const doc::Value* f = Take(key);
  if (!f) return out;
  if (!f->is_map()) {
    Error(key, TypeMismatch("an object", *f));
    return out;
  }
  for (const doc::Member& m : f->as_map()) {
    if (!m.value.is_string()) {
      errs_->Add(KeyPath(Child(path_, key), m.key), TypeMismatch("a string", m.value));
      continue;
    }
    out.emplace(m.key, m.value.as_string());
  }
  return out;
}

bool ObjectReader::Object(std::string_view key, const std::function<void(ObjectReader&)>& fn) {
  const doc::Value* f = Take(key);
  if (!f) return false;
  ObjectReader child(f, Child(path_, key), errs_);
  if (!child.present()) return false;
  fn(child);
  return true;
}

bool ObjectReader::RequiredObject(std::string_view key, std::string_view hint,
                                  const std::function<void(ObjectReader&)>& fn) {
  if (Object(key, fn)) return true;
  if (!Has(key)) {
    Error(key, hint.empty() ? "Required value" : "Required value: " + std::string(hint));
  }
  return false;
}

size_t ObjectReader::List(std::string_view key,
                          const std::function<void(ObjectReader&, size_t)>& fn) {
  const doc::Value* f = Take(key);
  if (!f) return 0;
  if (!f->is_list()) {
    Error(key, TypeMismatch("a list", *f));
    return 0;
  }
  const auto& list = f->as_list();
  for (size_t i = 0; i < list.size(); ++i) {
    ObjectReader child(&list[i], Index(Child(path_, key), i), errs_);
    fn(child, i);
  }
  return list.size();
}

const doc::Value* ObjectReader::Raw(std::string_view key) { return Take(key); }

void ObjectReader::Finish() {
  if (finished_) return;
  finished_ = true;
  if (!v_) return;
  for (const doc::Member& m : v_->as_map()) {
    if (!consumed_.contains(m.key)) errs_->Add(Child(path_, m.key), "unknown field");
  }
}

}  // namespace egret::model
