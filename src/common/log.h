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

// Turns the streamed line into void, so EGRET_LOG is one expression (safe under an unbraced
// `if`) whose arguments are not evaluated when the level is off.
struct Voidify {
  void operator&(const Line&) const {}
};

}  // namespace egret::log

#define EGRET_LOG(level, module)                                        \
  (::egret::log::Level::level < ::egret::log::CurrentLevel())           \
      ? (void)0                                                         \
      : ::egret::log::Voidify() & ::egret::log::Line(::egret::log::Level::level, module)
