// Reading CNI documents the way the spec asks: the fields it defines are checked strictly, any
// other field is accepted (runtimes add keys such as runtimeConfig or their own, chained
// plugins add result fields, and a newer plugin may send a newer agent field).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "doc/value.h"
#include "model/field_errors.h"
#include "model/reader.h"

namespace egret::cni {

// Reads the object `v` with `fn`, then accepts every member `fn` did not read. A `v` that is
// not an object (null included) is reported at `path`.
void ReadLenient(const doc::Value& v, const std::string& path, model::FieldErrors* errs,
                 const std::function<void(model::ObjectReader&)>& fn);

// Calls fn(item, i) for each element of the list field `key`, each read with ReadLenient.
void EachObject(model::ObjectReader& r, std::string_view key,
                const std::function<void(model::ObjectReader&, size_t)>& fn);

}  // namespace egret::cni
