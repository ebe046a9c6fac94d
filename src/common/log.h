// Per-module, leveled logging to stderr. WARN/ERROR only when a person must act; numbers go to
// metrics, not logs. Rate limiting: EGRET_LOG_EVERY_N for messages on hot paths.
#pragma once

#include <sstream>
#include <string_view>

namespace egret::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void SetLevel(Level level);
Level CurrentLevel();
// Parses "debug|info|warn|error"; false on anything else.
bool ParseLevel(std::string_view s, Level* out);
void Emit(Level level, std::string_view module, std::string_view message);

class Line {
 public:
  Line(Level level, std::string_view module) : level_(level), module_(module) {}
  ~Line() { Emit(level_, module_, stream_.str()); }
  template <typename T>
  Line& operator<<(const T& v) {
    stream_ << v;
    return *this;
  }

 private:
  Level level_;
  std::string_view module_;
  std::ostringstream stream_;
};

}  // namespace egret::log

#define EGRET_LOG(level, module)                                             \
  if (::egret::log::Level::level < ::egret::log::CurrentLevel()) {           \
  } else                                                                     \
    ::egret::log::Line(::egret::log::Level::level, module)
