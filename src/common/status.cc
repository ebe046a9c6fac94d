#include "common/status.h"

#include <cerrno>
#include <cstring>

namespace egret {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "OK";
    case Code::kInvalid: return "Invalid";
    case Code::kNotFound: return "NotFound";
    case Code::kAlreadyExists: return "AlreadyExists";
    case Code::kConflict: return "Conflict";
    case Code::kGone: return "Gone";
    case Code::kUnavailable: return "Unavailable";
    case Code::kUnauthorized: return "Unauthorized";
    case Code::kDeadlineExceeded: return "DeadlineExceeded";
    case Code::kFailedPrecondition: return "FailedPrecondition";
    case Code::kInternal: return "Internal";
  }
  return "Unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(CodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string m(context);
  m += ": ";
  m += message_;
  return {code_, std::move(m)};
}

Status ErrnoError(std::string_view context, int err) {
  std::string m(context);
  m += ": ";
  m += std::strerror(err);
  Code code = Code::kInternal;
  if (err == ENOENT || err == ECONNREFUSED || err == EAGAIN || err == ETIMEDOUT) {
    code = Code::kUnavailable;
  } else if (err == EACCES || err == EPERM) {
    code = Code::kUnauthorized;
  } else if (err == EEXIST) {
    code = Code::kAlreadyExists;
  }
  return {code, std::move(m)};
}

}  // namespace egret
