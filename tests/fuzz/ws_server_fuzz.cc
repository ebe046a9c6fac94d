// Fuzz target: the lab's WebSocket server logic on whatever a client may send (the upgrade
// request, then frames), fed whole and byte by byte, and the frame decoder alone. No crash,
// no over-read, and the session's output must be the same however the input is split.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lab/ws_frame.h"
#include "lab/ws_handshake.h"
#include "lab/ws_server_session.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)egret::lab::ParseWsUpgradeRequest(input);
  for (bool masked : {true, false}) {
    egret::lab::WsDecoded d = egret::lab::DecodeWsFrame(input, {.masked = masked});
    if (d.kind == egret::lab::WsDecoded::Kind::kFrame && d.consumed > size) __builtin_trap();
  }
  egret::lab::WsServerSession whole("10.0.0.1");
  whole.Receive(input);
  egret::lab::WsServerSession split("10.0.0.1");
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    split.Receive(input.substr(i, 1));
    out += split.TakeOutput();
  }
  if (out != whole.TakeOutput()) __builtin_trap();
  return 0;
}
