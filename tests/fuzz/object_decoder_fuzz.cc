// Fuzz target: the decoder of user-supplied objects (YAML/JSON text → validated objects).
// Any input must produce either objects or a clean error: no crash, leak or UB.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "doc/json.h"
#include "doc/yaml.h"
#include "model/kinds.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto objects = egret::model::DecodeObjects(text, "fuzz");
  if (objects.ok()) {
    // What decodes must re-encode and decode to the same canonical document.
    for (const egret::model::Object& o : *objects) {
      std::string yaml = egret::doc::ToYaml(o.doc);
      auto again = egret::model::DecodeObjects(yaml);
      if (!again.ok() || again->size() != 1 || !((*again)[0].doc == o.doc)) __builtin_trap();
    }
  }
  (void)egret::doc::ParseJson(text);
  return 0;
}
