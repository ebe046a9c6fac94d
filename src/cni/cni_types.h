// The vocabulary of the CNI protocol (spec 1.1): commands, spec versions, and errors as the
// runtime sees them ({"cniVersion","code","msg","details"} on stdout, non-zero exit).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "common/status.h"
#include "doc/value.h"

namespace egret::cni {

enum class CniCommand { kAdd, kDel, kCheck, kStatus, kGc, kVersion };
std::string_view CommandName(CniCommand c);  // "ADD", "DEL", ...
// Exact, upper-case names only, as the spec writes them; nullopt otherwise.
std::optional<CniCommand> ParseCommand(std::string_view name);

// The spec versions egret-cni speaks, oldest first. Results are printed in the version the
// network configuration names.
inline constexpr std::array<std::string_view, 3> kSupportedVersions = {"0.4.0", "1.0.0", "1.1.0"};
inline constexpr std::string_view kLatestVersion = "1.1.0";
bool IsSupportedVersion(std::string_view version);

// Error codes. 1-99 are the spec's well-known codes; 100 and up are Egret's own.
namespace code {
inline constexpr int kIncompatibleVersion = 1;
inline constexpr int kUnsupportedField = 2;
inline constexpr int kUnknownContainer = 3;
inline constexpr int kInvalidEnvironment = 4;
inline constexpr int kIoFailure = 5;
inline constexpr int kDecodeFailure = 6;
inline constexpr int kInvalidConfig = 7;
inline constexpr int kTryAgainLater = 11;
inline constexpr int kPluginNotAvailable = 50;          // STATUS: cannot serve ADD
inline constexpr int kPluginNotAvailableDegraded = 51;  // STATUS: and existing pods suffer
inline constexpr int kAgentFailed = 100;                // the agent hit a bug or broke
inline constexpr int kAgentRefused = 101;               // the node cannot serve it (pool full)
inline constexpr int kAttachmentExists = 102;           // ADD of an attachment already there
inline constexpr int kNotAuthorized = 103;              // the agent refused this caller
}  // namespace code

struct CniError {
  int code = code::kAgentFailed;
  std::string msg;      // the precise problem, one line
  std::string details;  // more context (an errno text, the agent's code); may be empty
  // The spec version of the error document: the configuration's when it named a supported
  // one, else kLatestVersion.
  std::string version = std::string(kLatestVersion);
};

inline CniError MakeCniError(int code, std::string msg, std::string details = {}) {
  CniError e;
  e.code = code;
  e.msg = std::move(msg);
  e.details = std::move(details);
  return e;
}

// The error document the runtime reads on stdout.
doc::Value EncodeCniError(const CniError& e);

// The CNI code for an agent's answer `c` to `command`. One table for both ends: the agent's
// dispatcher puts it in its reply, and the plugin falls back on it for replies without one.
// STATUS: FailedPrecondition → 51 (the datapath is degraded), anything else → 50.
// Others: Unavailable, DeadlineExceeded, Conflict, Gone → 11; NotFound → 3 for CHECK, else
// 11 (the agent has not seen the pod yet); Invalid → 7; FailedPrecondition → 101;
// AlreadyExists → 102; Unauthorized → 103; Internal → 100.
int CniCodeFor(CniCommand command, Code c);

// A value or the CniError to print instead.
template <typename T>
class [[nodiscard]] CniErrorOr {
 public:
  CniErrorOr(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  CniErrorOr(CniError error) : v_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return v_.index() == 0; }
  const CniError& error() const { return std::get<1>(v_); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, CniError> v_;
};

}  // namespace egret::cni
