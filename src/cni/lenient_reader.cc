#include "cni/lenient_reader.h"

namespace egret::cni {

void ReadLenient(const doc::Value& v, const std::string& path, model::FieldErrors* errs,
                 const std::function<void(model::ObjectReader&)>& fn) {
  if (!v.is_map()) {
    errs->Add(path, model::TypeMismatch("an object", v));
    return;
  }
  model::ObjectReader r(&v, path, errs);
  fn(r);
  for (const doc::Member& m : v.as_map()) r.Raw(m.key);
}

void EachObject(model::ObjectReader& r, std::string_view key,
                const std::function<void(model::ObjectReader&, size_t)>& fn) {
  const doc::Value* list = r.Raw(key);
  if (!list) return;
  std::string path = r.FieldPath(key);
  if (!list->is_list()) {
    r.errors()->Add(path, model::TypeMismatch("a list", *list));
    return;
  }
  for (size_t i = 0; i < list->as_list().size(); ++i) {
    ReadLenient(list->as_list()[i], model::Index(path, i), r.errors(),
                [&](model::ObjectReader& item) { fn(item, i); });
  }
}

}  // namespace egret::cni
