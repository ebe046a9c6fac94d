// Status and StatusOr: the error currency of Egret. No exceptions cross module boundaries;
// every fallible function returns one of these (see docs/design/errors.md).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace egret {

// Codes follow the Kubernetes API's reasons so that the CLI and API speak one language.
enum class Code {
  kOk = 0,
  kInvalid,             // 422: the object or request is malformed or fails validation
  kNotFound,            // 404
  kAlreadyExists,       // 409
  kConflict,            // 409: resourceVersion precondition failed (optimistic concurrency)
  kGone,                // 410: the requested resourceVersion was compacted; relist
  kUnavailable,         // 503: a peer or store cannot be reached right now; retry
  kUnauthorized,        // 401
  kDeadlineExceeded,    // a wait ran out of time; the operation may be retried
  kFailedPrecondition,  // the system is not in a state that allows the operation
  kInternal,            // 500: a bug or an unexpected failure of a dependency
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "Invalid: <message>"; "OK" when ok.
  std::string ToString() const;

  // Returns a copy with "context: " prepended to the message.
  Status WithContext(std::string_view context) const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status InvalidError(std::string m) { return {Code::kInvalid, std::move(m)}; }
inline Status NotFoundError(std::string m) { return {Code::kNotFound, std::move(m)}; }
inline Status AlreadyExistsError(std::string m) { return {Code::kAlreadyExists, std::move(m)}; }
inline Status ConflictError(std::string m) { return {Code::kConflict, std::move(m)}; }
inline Status GoneError(std::string m) { return {Code::kGone, std::move(m)}; }
inline Status UnavailableError(std::string m) { return {Code::kUnavailable, std::move(m)}; }
inline Status DeadlineExceededError(std::string m) {
  return {Code::kDeadlineExceeded, std::move(m)};
}
inline Status InternalError(std::string m) { return {Code::kInternal, std::move(m)}; }
inline Status FailedPreconditionError(std::string m) {
  return {Code::kFailedPrecondition, std::move(m)};
}

// For deletes and other "make it absent" operations: NotFound means the goal is reached.
inline Status IgnoreNotFound(Status st) {
  return st.code() == Code::kNotFound ? Status::Ok() : st;
}

// errno turned into a Status at the syscall, with context: "connect /run/egret.sock: No such
// file or directory".
Status ErrnoError(std::string_view context, int err);

template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "StatusOr constructed from an ok Status");
    if (status_.ok()) status_ = InternalError("StatusOr constructed from an ok Status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace egret

#define EGRET_CONCAT_INNER(a, b) a##b
#define EGRET_CONCAT(a, b) EGRET_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function when `expr` is not ok.
#define RETURN_IF_ERROR(expr)                 \
  do {                                        \
    ::egret::Status egret_status_ = (expr);   \
    if (!egret_status_.ok()) return egret_status_; \
  } while (0)

// ASSIGN_OR_RETURN(auto x, Fn()); declares x from a StatusOr or returns its error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(EGRET_CONCAT(egret_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
